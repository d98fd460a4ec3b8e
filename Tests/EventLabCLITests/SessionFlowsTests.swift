import EventLabShell
import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing
@testable import eventlab

@Suite("Where eventlab keeps a session's flow definitions")
struct SessionFlowsTests {
    @Test("a session on a workspace keeps them in its flows file, read again when it is opened next")
    func onDisk() throws {
        let directory = temporaryDirectory()
        let options = try SessionOptions.parse(["--data", directory, "--clock", "logical"])
        do {
            let session = try options.open()
            #expect(try session.flowStore?.load() == nil)
            try session.flowStore?.save("service create billing --from orders\n")
            try session.close()
        }
        #expect(try String(contentsOfFile: directory + "/flows", encoding: .utf8) == "service create billing --from orders\n")
        let session = try options.open()
        #expect(try session.flowStore?.load() == "service create billing --from orders\n")
        try session.close()
    }

    @Test("--memory keeps them in memory, and so does a transcript that never restarts")
    func inMemory() throws {
        let session = try SessionOptions.parse(["--memory"]).open()
        #expect(session.flows.path == nil)
        try session.flowStore?.save("table create customer-view --from customers\n")
        #expect(try session.flowStore?.load() == "table create customer-view --from customers\n")
        try session.close()
        let transcript = try TranscriptWorkspaces.opener(TranscriptSettings(), nil)
        #expect((transcript.flowStore as? WorkspaceFlows)?.path == nil)
        #expect(try transcript.flowStore?.load() == nil)
        try transcript.close()
    }

    @Test("a transcript that restarts, and a lesson, keep them in their workspace's flows file, as they are opened by the same opener")
    func transcriptOnDisk() throws {
        let directory = temporaryDirectory()
        let workspace = try TranscriptWorkspaces.opener(TranscriptSettings(), directory)
        #expect((workspace.flowStore as? WorkspaceFlows)?.path == directory + "/flows")
        try workspace.close()
    }
}
