import EventLabCore
import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing

@Suite("A workspace's flow definitions")
struct WorkspaceFlowsTests {
    /// The definitions of a fresh workspace on `backend`, and its directory on disk.
    func fresh(_ backend: Backend) throws -> (WorkspaceFlows, String?) {
        switch backend {
        case .memory: return (WorkspaceFlows(), nil)
        case .disk:
            let directory = temporaryDirectory()
            return (try Workspace(directory: directory).flows, directory)
        }
    }

    let services = "service create billing --from orders\nservice billing on OrderPlaced emit payments {\"order\":$.id}\n"

    @Test("none are saved at first; a save is read back whole, and the next replaces it", arguments: Backend.allCases)
    func savedAndReplaced(backend: Backend) throws {
        let (flows, _) = try fresh(backend)
        #expect(try flows.load() == nil)
        try flows.save(services)
        #expect(try flows.load() == services)
        try flows.save("table create customer-view --from customers\n")
        #expect(try flows.load() == "table create customer-view --from customers\n")
        try flows.save("")
        #expect(try flows.load() == "")
    }

    @Test("on disk they are the workspace's flows file, kept across a restart")
    func keptAcrossRestart() throws {
        let directory = temporaryDirectory()
        try Workspace(directory: directory).flows.save(services)
        #expect(try String(contentsOfFile: directory + "/flows", encoding: .utf8) == services)
        #expect(try Workspace(directory: directory).flows.load() == services)
    }

    @Test("a save the disk cannot take, part written or not synced, keeps the previous definitions and leaves nothing behind", arguments: [0, 10])
    func failedSaveKeepsOld(partialBytes: Int) throws {
        let directory = temporaryDirectory()
        let flows = try Workspace(directory: directory).flows
        try flows.save(services)
        FileFaults.fillDisk(under: directory, partialBytes: partialBytes)
        #expect(brokerError { try flows.save("table create customer-view --from customers\n") }?.code == .kafkaStorageError)
        FileFaults.clear(directory)
        FileFaults.onSync(under: directory) { _ in true }
        #expect(brokerError { try flows.save("table create customer-view --from customers\n") }?.code == .kafkaStorageError)
        FileFaults.clear(directory)
        #expect(try flows.load() == services)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("flows") } == ["flows"])
    }

    @Test("a save cut short by a crash, its temporary file left behind, keeps the previous definitions, and the next save goes through")
    func crashDuringSave() throws {
        let directory = temporaryDirectory()
        try Workspace(directory: directory).flows.save(services)
        try Data("table create cust".utf8).write(to: URL(fileURLWithPath: directory + "/flows.tmp"))
        let flows = try Workspace(directory: directory).flows
        #expect(try flows.load() == services)
        try flows.save("table create customer-view --from customers\n")
        #expect(try Workspace(directory: directory).flows.load() == "table create customer-view --from customers\n")
    }

    @Test("a flows file that is not UTF-8 is refused, naming the file, the line and what to do")
    func notUTF8() throws {
        let directory = temporaryDirectory()
        let flows = try Workspace(directory: directory).flows
        try Data(Array("service create billing --from orders\nservice billing on \u{e9}t\u{e9} emit x {}\n".utf8) + [0xFF, 0x0A]).write(to: URL(fileURLWithPath: directory + "/flows"))
        let error = brokerError { _ = try flows.load() }
        #expect(error?.code == .kafkaStorageError)
        #expect(error?.message == "\(directory)/flows is not UTF-8 text (line 3 is not): it holds the commands that define the workspace's services and tables, one per line; restore it as UTF-8 text, or delete it to open the workspace without them")
    }

    @Test("a workspace written before flows were kept opens with none, keeps format 6, and keeps the file when reopened")
    func olderWorkspaceHasNone() throws {
        let directory = temporaryDirectory()
        try withReopened(directory) { broker in
            try broker.createTopic("orders", partitions: 1)
            try broker.close()
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/flows"))
        #expect(try Workspace(directory: directory).flows.load() == nil)
        try Workspace(directory: directory).flows.save(services)
        try withReopened(directory) { broker in
            #expect(broker.topics().map(\.name) == ["orders"])
            try broker.close()
        }
        #expect(try String(contentsOfFile: directory + "/format-version", encoding: .utf8) == "6\n")
        #expect(try Workspace(directory: directory).flows.load() == services)
    }
}
