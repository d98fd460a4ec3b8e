import EventLabTestSupport
import Foundation
import Testing

@Suite("Where the workspace is and which clock runs")
struct SessionSummaryTests {
    @Test("help ends by saying the workspace, on disk or in memory, and the clock")
    func helpSaysTheSession() throws {
        let memory = try EventLabRun.run(["--memory", "-c", "help"])
        #expect(memory.stdout.hasSuffix("\n\nThis session: workspace in memory (--memory: nothing is kept after exit) · system clock (real time).\n"))
        let data = temporaryDirectory()
        let disk = try EventLabRun.run(["--data", data, "--clock", "logical", "-c", "help"])
        #expect(disk.stdout.contains("This session: workspace \(data) (on disk, kept between runs) · logical clock (moves only on `clock advance`)."))
    }

    @Test("with no --data, help names the default workspace under XDG_DATA_HOME, else ~/.local/share")
    func defaultWorkspace() throws {
        let xdg = temporaryDirectory()
        let underXDG = try EventLabRun.run(["-c", "help"], environment: ["XDG_DATA_HOME": xdg])
        #expect(underXDG.stdout.contains("This session: workspace \(xdg)/eventlab (on disk, kept between runs)"))
        let home = temporaryDirectory()
        let underHome = try EventLabRun.run(["-c", "help"], environment: ["HOME": home, "XDG_DATA_HOME": ""])
        #expect(underHome.stdout.contains("This session: workspace \(home)/.local/share/eventlab (on disk, kept between runs)"))
    }
}
