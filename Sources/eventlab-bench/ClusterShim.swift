// TEMPORARY: stands in for Workspace.makeCluster until it lands on main; removed at that merge.
import EventLabCore
import EventLabStorage

extension Workspace {
    func makeCluster(newBrokers: Int) throws(BrokerError) -> sending any ClusterStorage { throw BrokerError(.invalidRequest, "disk clusters are not there yet") }
}
