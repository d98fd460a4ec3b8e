import EventLabCore
import EventLabPatterns

/// Tells whoever owns a shell that records arrived on a topic its flows read, so that on the
/// system clock services and tables keep up with real clients between commands.
///
/// It uses the broker's data waiters, which fire on the appending thread: `onData` must only
/// hand the news on (write to a pipe, post a semaphore), never drain, since the shell is not
/// thread-safe. The owner then drains on its own thread, and the drain arms the watch again.
public final class FlowWatch {
    private let onData: @Sendable () -> Void
    private var armed: (broker: Broker, waiters: [WaiterID])?

    /// A watch that calls `onData`, from any thread, once records arrive past where it was armed.
    public init(onData: @escaping @Sendable () -> Void) {
        self.onData = onData
    }

    /// Forgets the waiters armed before and waits on every partition the tables and active
    /// services of `flows` read, from its log end now: armed before a drain, a record appended
    /// during or after it calls `onData`, so none is left unread until the next one comes.
    func arm(for flows: Flows, on broker: Broker) {
        disarm()
        let services = flows.services.values.filter(\.isActive).flatMap(\.service.sources)
        let aggregates = flows.aggregates.values.filter { !$0.aggregate.rules.isEmpty }.map(\.aggregate.source)
        let topics = Set(services + flows.tables.values.map(\.topic) + aggregates).union(flows.projectionSources)
        let onData = onData
        var waiters: [WaiterID] = []
        for topic in topics.sorted() {
            // A topic deleted since its reader was defined has nothing to wait for.
            guard let description = try? broker.describeTopic(topic) else { continue }
            for partition in description.partitions {
                if let id = try? broker.whenData(topic, partition: partition.index, beyond: partition.logEndOffset, onData) {
                    waiters.append(id)
                }
            }
        }
        // A service is a member of its group between drains: when a real client joins or
        // leaves, the group rebalances, and the service must rejoin to get its share.
        for name in flows.readingServices.sorted() {
            waiters.append(broker.whenGroupChanges(name, onData))
        }
        armed = (broker, waiters)
    }

    /// Forgets the waiters armed, if any.
    func disarm() {
        guard let armed else { return }
        armed.waiters.forEach { armed.broker.cancelWaiter($0) }
        self.armed = nil
    }

    deinit { disarm() }
}
