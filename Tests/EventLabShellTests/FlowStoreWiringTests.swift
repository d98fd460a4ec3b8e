import EventLabCore
import EventLabShell
import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing

@Suite("The shell is given the flow definitions of the workspace it acts on")
struct FlowStoreWiringTests {
    @Test("a transcript's shell keeps them in its workspace, so they are there again after `% restart`")
    func transcriptRestart() throws {
        let session = try TranscriptSession(settings: TranscriptSettings(), onDisk: true, opener: DiskTranscriptWorkspace.opener)
        defer { session.close() }
        try #require(session.shell.flowStore).save("service create billing --from orders\n")
        try session.restart()
        #expect(try session.shell.flowStore?.load() == "service create billing --from orders\n")
    }

    @Test("a lesson's shell keeps them in the lesson's workspace, and `lesson exit` gives the playground's back")
    func lesson() throws {
        let bench = try LessonBench()
        let playground = WorkspaceFlows()
        bench.shell.flowStore = playground
        bench.ok("lesson start 1")
        let lesson = try #require(bench.shell.flowStore as? WorkspaceFlows)
        #expect(lesson.path?.hasPrefix(bench.state + "/") == true && lesson.path?.hasSuffix("/workspace/flows") == true)
        bench.ok("lesson exit")
        #expect(bench.shell.flowStore === playground)
    }
}
