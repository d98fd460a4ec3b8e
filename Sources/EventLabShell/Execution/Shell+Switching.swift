import EventLabCore
import EventLabPatterns

extension Shell {
    /// Points every command, picture and completion at `broker` from the next command on, as
    /// starting or leaving a lesson does. A listener serving the old broker serves the new one
    /// on the same port, kept open, so clients follow the learner to the workspace they are
    /// looking at. Clients connected then lose their connection, and with it what the old broker
    /// held for them (group membership, fetches waiting), so they are counted and told to restart.
    ///
    /// The flows go with the workspace: `flows` when given (the playground's, kept while a
    /// lesson ran), else those `flowStore` kept.
    func switchBroker(to broker: Broker, logicalClock: LogicalClock?, flowStore: (any FlowStore)?, flows: Flows? = nil) {
        guard broker !== self.broker else { return }
        // The old broker's groups lose the services, as when their consumers close.
        serviceMembers.leaveAll()
        self.broker = broker
        self.logicalClock = logicalClock
        self.flowStore = flowStore
        if let flows { self.flows = flows } else { restoreFlows() }
        guard let listener, listener.addresses != nil else { return }
        let clients = listener.follow()
        let addresses = NetworkCommands.shown(listener.addresses ?? [], in: self)
        let dropped = clients == 0 ? ""
            : clients == 1 ? "; the 1 client connected was disconnected: restart it to follow it"
            : "; the \(clients) clients connected were disconnected: restart them to follow it"
        say("listening on \(addresses) now serves this workspace" + dropped)
        sayListenerChanges()
    }
}
