import EventLabCore

/// `show cluster`.
struct ShowCluster: ShellCommand {
    static let spec = CommandSpec(
        path: ["show", "cluster"], arguments: [], options: [],
        summary: "Draw the brokers: which are up, the controller, what each leads and hosts, and partitions in trouble.",
        teaches: "A cluster is several brokers; each partition has replicas on some of them, one the leader that producers and consumers talk to, and the in-sync replicas (ISR) that have kept up with it. The controller elects leaders and keeps each ISR: in Kafka 2.5 it is one of the brokers, elected through ZooKeeper; since Kafka 4 it is KRaft, a quorum of controllers. A partition is under-replicated while its ISR is smaller than its replicas (a broker is down or behind), and offline while no replica in its ISR is up: then nobody can read or write it.",
        examples: ["show cluster"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) {
        let broker = shell.broker
        shell.say(ClusterPicture.render(broker.cluster(), topics: broker.topics(), width: shell.width))
        // `show cluster` always means this picture: name the subcommand for a topic or group
        // called `cluster`.
        if broker.topics().contains(where: { $0.name == "cluster" }) {
            shell.say("(a topic called 'cluster' is drawn by `show topic cluster`)")
        }
        if broker.groups().contains(where: { $0.groupId == "cluster" }) {
            shell.say("(a group called 'cluster' is drawn by `show group cluster`)")
        }
    }
}
