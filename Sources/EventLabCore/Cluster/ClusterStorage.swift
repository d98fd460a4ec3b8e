/// Keeps a whole cluster: each broker's own storage (the copies of the partitions it hosts), the
/// controller's image of the cluster, and the groups' committed offsets — in memory, or in a
/// workspace on disk (`brokers/<id>/…`, `cluster`).
///
/// Every method either does all it says or throws and leaves things as they were.
public protocol ClusterStorage: AnyObject {
    /// The brokers stored, by id, each with its own storage; at least one.
    func loadBrokers() throws(BrokerError) -> [Int32: any LogStorage]
    /// Adds storage for a new broker `id`, which holds nothing yet.
    func addBroker(_ id: Int32) throws(BrokerError) -> any LogStorage
    /// The controller's image as last saved (``ClusterImage`` reads it), or nil if none was.
    func loadImage() throws(BrokerError) -> String?
    /// Replaces the controller's image, atomically.
    func saveImage(_ text: String) throws(BrokerError)
    /// Where the groups' committed offsets are kept.
    var committedOffsets: any CommittedOffsetsStorage { get }
    /// Makes everything durable and marks a clean shutdown of every broker; the storage is not
    /// used afterwards.
    func close() throws(BrokerError)
}
