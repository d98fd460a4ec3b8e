import EventLabCore
import EventLabShell
import EventLabTestSupport
import Foundation
import Testing

@Suite("The lesson runner: lessons on workspaces of their own, goals checked after each command")
struct LessonRunnerTests {
    @Test("a lesson runs on its own workspace with its setup run, and `lesson exit` goes back to the playground as it was", arguments: Backend.allCases)
    func ownWorkspace(_ backend: Backend) throws {
        let bench = try LessonBench(backend)
        bench.ok("topic create mine")
        let started = bench.ok("lesson start 1")
        #expect(started.contains("Lesson 1: First steps: a topic, records, a group"))
        #expect(started.contains("── Lesson 1 · step 1 of 4: Make a topic ──"))
        #expect(started.contains("Make the topic **orders** with *three* partitions."))
        #expect(started.contains("Goal: `topic orders partitions == 3`"))
        #expect(bench.topics == ["audit"])
        bench.ok("topic create scratch")
        let left = bench.ok("lesson exit")
        #expect(left.contains("Left lesson 1 at step 1 of 4: `lesson start 1` resumes it there. Back in your playground."))
        #expect(bench.topics == ["mine"])
        #expect(bench.run("lesson exit").contains("error: no lesson is running: `lesson list` shows the lessons, `lesson start 1` resumes lesson 1 at step 1"))
        #expect(bench.ok("lesson").contains("No lesson is running: `lesson list` shows the lessons, `lesson start 1` resumes lesson 1 at step 1."))
    }

    @Test("reaching every goal of a step shows a ✓ per goal and the next step")
    func goalsReached() throws {
        let bench = try LessonBench()
        bench.ok("lesson start first-steps")
        let reached = bench.ok("topic create orders --partitions 3")
        #expect(reached.contains("✓ topic orders exists\n✓ topic orders has 3 partitions\nStep 1 of 4 done."))
        #expect(reached.contains("── Lesson 1 · step 2 of 4: Publish ──"))
        #expect(!bench.ok("publish orders key=a one").contains("✓"))
        #expect(bench.ok("publish orders key=b two").contains("✓ topic orders has 2 records"))
    }

    @Test("goals over a lesson's services are checked on the flows of its own workspace")
    func flowGoals() throws {
        let flows = URL(fileURLWithPath: LessonBench.fixtures).deletingLastPathComponent().appendingPathComponent("flows").path
        let bench = try LessonBench(lessons: flows)
        bench.ok("lesson start 1")
        bench.ok("service create billing --from orders")
        #expect(bench.ok("lesson check").contains("✓ service billing is running\n✗ service billing has emitted 0 records; the goal is 1\nNot yet:"))
        bench.ok(#"service billing on OrderPlaced emit payments {"type":"PaymentRequested","order":$.id}"#)
        let reached = bench.ok(#"publish orders {"type":"OrderPlaced","id":"o-1"}"#)
        #expect(reached.contains("✓ service billing is running\n✓ service billing has emitted 1 record\nStep 1 of 3 done."), "\(reached)")
    }

    @Test("`lesson check` says for each goal what the broker holds and, unmet, what the goal wants")
    func check() throws {
        let bench = try LessonBench()
        bench.ok("lesson start 1")
        #expect(!bench.ok("topic create orders").contains("✓"))
        let checked = bench.ok("lesson check")
        #expect(checked.contains("✓ topic orders exists\n✗ topic orders has 1 partition; the goal is 3\nNot yet:"))
        #expect(checked.contains("`lesson start 1 --step 1` starts this step again."), "\(checked)")
        bench.ok("topic alter orders --partitions 3")
        #expect(bench.ok("lesson").contains("step 2 of 4: Publish"))
    }

    @Test("hints come one at a time, in order, until there are none")
    func hints() throws {
        let bench = try LessonBench()
        #expect(bench.run("lesson hint").contains("error: no lesson is running: `lesson list` shows the lessons"))
        bench.ok("lesson start 1")
        #expect(bench.ok("lesson hint") == "Hint 1 of 2: `topic create` takes the topic's name.\n")
        #expect(bench.ok("lesson hint") == "Hint 2 of 2: `--partitions 3` asks for three partitions.\n")
        #expect(bench.ok("lesson hint").contains("No more hints for this step (2 given): `lesson solution` shows the commands."))
    }

    @Test("the solution is shown after asking on a terminal, without asking otherwise; --run reaches the goals")
    func solution() throws {
        let bench = try LessonBench()
        bench.ok("lesson start 1")
        #expect(bench.ok("lesson solution") == "Solution of step 1:\n    topic create orders --partitions 3\n")
        var asked: [String] = []
        var answer = false
        bench.shell.isInteractive = true
        bench.shell.confirm = { question in
            asked.append(question)
            return answer
        }
        #expect(bench.ok("lesson solution") == "Not shown.\n")
        #expect(asked == ["Show the solution of step 1? (`lesson hint` helps you find it yourself) [y/N] "])
        answer = true
        #expect(bench.ok("lesson solution").contains("    topic create orders --partitions 3"))
        let ran = bench.ok("lesson solution --run")
        #expect(ran.contains("» topic create orders --partitions 3\ncreated topic"))
        #expect(ran.contains("✓ topic orders has 3 partitions\nStep 1 of 4 done."))
        // The solution of a step of two commands is checked once, after its last.
        let second = bench.ok("lesson solution --run")
        #expect(second.components(separatedBy: "✓").count == 2)
        #expect(second.contains("step 3 of 4: Read with a group"))
    }

    @Test("`lesson next` needs the goals met, `skip` moves on with the solution's state, `back` and `reset` rebuild a step's start")
    func navigation() throws {
        let bench = try LessonBench()
        bench.ok("lesson start 1")
        #expect(bench.run("lesson next").contains("error: step 1's goals are not met yet: `lesson check` says what is missing"))
        #expect(bench.run("lesson back").contains("error: this is the first step"))
        bench.ok("topic create mistake")
        let skipped = bench.ok("lesson skip")
        #expect(skipped.contains("Skipped step 1"))
        #expect(skipped.contains("step 2 of 4: Publish"))
        #expect(bench.topics == ["audit", "orders"])
        bench.ok("publish orders key=a one")
        bench.ok("lesson reset")
        #expect(try bench.holds("topic orders records == 0"))
        bench.ok("publish orders key=a one; publish orders key=b two")
        // A skipped step is not done.
        #expect(bench.ok("lesson progress").contains("    1. Make a topic\n  ✓ 2. Publish\n  ▸ 3. Read with a group\n    4. Look from outside (manual)"))
        let back = bench.ok("lesson back")
        #expect(back.contains("Back to step 2"))
        #expect(try bench.holds("topic orders records == 0"))
        bench.ok("publish orders key=a one; publish orders key=b two")
        bench.ok("consume orders --group billing")
        let manual = bench.ok("lesson check")
        #expect(manual.contains("Step 4 is manual: the runner cannot check it. When you have done it, `lesson next` moves on."))
        let done = bench.ok("lesson next")
        #expect(done.contains("Step 4 is manual: the runner cannot check it, so it counts as done."))
        #expect(done.contains("Lesson 1 complete: 3 of 4 steps done. `lesson start 2` begins the next lesson; `lesson exit` goes back to your playground."))
        #expect(bench.ok("lesson list").contains("  ✓ 1  first-steps  First steps: a topic, records, a group ← running"))
    }

    @Test("progress and the lesson's workspace are kept: a new session resumes at the same step with the same state")
    func resume() throws {
        let bench = try LessonBench(.disk)
        bench.ok("lesson start 1")
        bench.ok("topic create orders --partitions 3")
        bench.ok("publish orders key=a one")
        bench.ok("clock advance 1h")
        bench.restart()
        #expect(bench.shell.lessons?.resumeNote() == "Lesson 1 was left at step 2: `lesson start 1` resumes it.")
        #expect(bench.ok("lesson list").contains("  ▸ 1  first-steps  First steps: a topic, records, a group (at step 2 of 4)"))
        let resumed = bench.ok("lesson start 1")
        #expect(resumed.contains("You were at lesson 1, step 2: your lesson workspace is as you left it."))
        #expect(resumed.contains("step 2 of 4: Publish"))
        #expect(try bench.holds("topic orders records == 1"))
        #expect(bench.ok("clock").contains("2024-01-01T01:00:00"))
        #expect(bench.ok("publish orders key=b two").contains("Step 2 of 4 done."))
        #expect(bench.ok("lesson start 1").contains("You are in lesson 1, step 3 of 4, already."))
    }

    @Test("under --memory a lesson runs in memory and keeps nothing after exit, saying so; left and started again in the session, it resumes as it was")
    func inMemory() throws {
        let bench = try LessonBench(inMemory: true)
        bench.shell.sessionSummary = "workspace in memory (--memory: nothing is kept after exit)"
        let started = bench.ok("lesson start 1")
        #expect(started.contains("It runs on a workspace of its own, on the logical clock, in memory (--memory): nothing of it is kept after you quit; your playground waits as it was until `lesson exit`."), "\(started)")
        bench.ok("topic create orders --partitions 3")
        bench.ok("publish orders key=a one")
        #expect(bench.ok("help").contains("This session: lesson 1 on workspace in memory (--memory: nothing is kept after exit)"))
        bench.ok("lesson exit")
        #expect(bench.ok("lesson list").contains("  ▸ 1  first-steps  First steps: a topic, records, a group (at step 2 of 4)"))
        #expect(bench.shell.lessons?.resumeNote() == "Lesson 1 was left at step 2: `lesson start 1` resumes it.")
        let resumed = bench.ok("lesson start 1")
        #expect(resumed.contains("You were at lesson 1, step 2: your lesson workspace is as you left it."), "\(resumed)")
        #expect(try bench.holds("topic orders records == 1"))
        bench.ok("lesson reset")
        #expect(try bench.holds("topic orders records == 0"))
        #expect(!FileManager.default.fileExists(atPath: bench.state + "/eventlab"), "nothing is written under the state directory")
        // Quitting and starting EventLab again: nothing was kept.
        bench.restart()
        #expect(bench.shell.lessons?.resumeNote() == nil)
        #expect(!bench.ok("lesson list").contains("(at step"))
        #expect(bench.ok("lesson start 1").contains("step 1 of 4: Make a topic"))
        #expect(!FileManager.default.fileExists(atPath: bench.state + "/eventlab"))
    }

    @Test("progress finds its steps by title when the lesson changed: a step inserted moves the learner with their step, a step gone goes on at the first not done")
    func lessonChanged() throws {
        let directory = temporaryDirectory("eventlab-changed-lesson")
        let file = directory + "/01-first-steps.md"
        let original = try String(contentsOfFile: LessonBench.fixtures + "/01-first-steps.md", encoding: .utf8)
        try original.write(toFile: file, atomically: true, encoding: .utf8)
        let bench = try LessonBench(lessons: directory)
        bench.ok("lesson start 1")
        bench.ok("topic create orders --partitions 3")
        bench.ok("lesson exit")
        let inserted = "## Look at it\n\nGoal: `topic orders exists`\n\nSolution:\n\n```\ntopic describe orders\n```\n\n## Publish\n"
        try original.replacingOccurrences(of: "## Publish\n", with: inserted).write(toFile: file, atomically: true, encoding: .utf8)
        #expect(bench.ok("lesson list").contains("(at step 3 of 5)"))
        let resumed = bench.ok("lesson start 1")
        #expect(resumed.contains("You were at lesson 1, step 3 (the lesson changed since, so your step has a new number): your lesson workspace is as you left it."), "\(resumed)")
        #expect(resumed.contains("step 3 of 5: Publish"))
        #expect(bench.ok("lesson progress").contains("  ✓ 1. Make a topic\n    2. Look at it\n  ▸ 3. Publish"))
        bench.ok("lesson exit")
        try original.replacingOccurrences(of: "## Publish\n", with: inserted).replacingOccurrences(of: "## Publish\n", with: "## Publish twice\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let lost = bench.ok("lesson start 1")
        #expect(lost.contains("Lesson 1 changed since you left it, and your step is no longer in it: it goes on at step 2, the first you have not done"), "\(lost)")
        #expect(lost.contains("step 2 of 5: Look at it"))
        #expect(try bench.holds("topic orders partitions == 3"))
    }

    @Test("progress saved without step titles is read by step number")
    func untitledProgress() throws {
        let bench = try LessonBench()
        let directory = bench.state + "/eventlab/lessons/01-first-steps"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try #"{"done":[0],"finished":false,"step":1}"#.write(toFile: directory + "/progress.json", atomically: true, encoding: .utf8)
        #expect(bench.ok("lesson list").contains("(at step 2 of 4)"))
        #expect(bench.shell.lessons?.resumeNote() == "Lesson 1 was left at step 2: `lesson start 1` resumes it.")
        #expect(bench.ok("lesson progress").contains("Lesson 1 (first-steps): at step 2, 1 step done"))
    }

    @Test("--step K starts at step K with the setup and the solutions before it replayed on a fresh workspace")
    func startAtStep() throws {
        let bench = try LessonBench()
        bench.ok("lesson start 1")
        bench.ok("topic create stray")
        let jumped = bench.ok("lesson start 1 --step 3")
        #expect(jumped.contains("Starting at step 3: the steps before it were replayed on a fresh workspace."))
        #expect(jumped.contains("step 3 of 4: Read with a group"))
        #expect(bench.topics == ["audit", "orders"])
        #expect(try bench.holds("topic orders records == 2"))
        #expect(bench.run("lesson start 1 --step 9").contains("error: lesson 1 has steps 1 to 4: --step 9 is not one of them"))
    }

    @Test("a lesson whose goal cannot be read does not start, naming its file and line")
    func badGoal() throws {
        let bench = try LessonBench()
        let failed = bench.run("lesson start 2")
        #expect(failed.contains("error: lesson 2 cannot be read: \(LessonBench.fixtures)/02-bad-goal.md:17: in the goal `topik orders exists`, at its column 1: 'topik' is not something a goal checks"))
        #expect(bench.run("lesson start 7").contains("error: no lesson '7': the lessons are 1 first-steps, 2 bad-goal"))
        #expect(bench.topics == [])
    }

    @Test("a lesson whose setup fails does not start, saying which command failed and why; the playground stays")
    func failingSetup() throws {
        let bench = try LessonBench(lessons: LessonBench.fixtures + "/../bad")
        bench.ok("topic create mine")
        let failed = bench.run("lesson start 4")
        #expect(failed.contains("error: lesson 4's setup failed at `topic create orders --partitions 0`: --partitions must be at least 1"), "\(failed)")
        #expect(bench.topics == ["mine"])
        #expect(bench.run("lesson").contains("No lesson is running"))
    }

    @Test("`lesson forget` asks first, needs --yes without a terminal, and forgets every lesson's progress")
    func forget() throws {
        let bench = try LessonBench()
        bench.ok("lesson start 1; topic create orders --partitions 3")
        #expect(bench.run("lesson forget").contains("error: lesson forget deletes every lesson's progress and asks first"))
        let forgotten = bench.ok("lesson forget --yes")
        #expect(forgotten.contains("Left lesson 1: back in your playground.\nEvery lesson's progress and workspace is forgotten"), "\(forgotten)")
        #expect(!forgotten.contains("kept"))
        #expect(bench.shell.lessons?.resumeNote() == nil)
        #expect(bench.ok("lesson start 1").contains("step 1 of 4: Make a topic"))
        #expect(bench.ok("lesson progress").contains("  ▸ 1. Make a topic"))
    }

    @Test("a lesson workspace another EventLab has open is neither forgotten nor rebuilt: it is named, and kept with its progress")
    func workspaceInUse() throws {
        let first = try LessonBench()
        first.ok("lesson start 1")
        let second = try LessonBench(state: first.state)
        let forgotten = second.ok("lesson forget --yes")
        #expect(forgotten.contains("forgotten but lesson 1 (first-steps), open in the EventLab of process \(getpid()): a workspace in use is kept, with its progress"), "\(forgotten)")
        #expect(second.ok("lesson progress").contains("Lesson 1 (first-steps): at step 1"))
        let started = second.run("lesson start 1")
        #expect(started.contains("error: lesson 1's workspace is in use by another EventLab (process \(getpid())): leave the lesson there"), "\(started)")
        #expect(second.run("lesson start 1 --step 2").contains("error: lesson 1's workspace is in use by another EventLab"))
        #expect(first.ok("topic create orders --partitions 3").contains("Step 1 of 4 done."))
        first.ok("lesson exit")
        #expect(second.ok("lesson forget --yes").contains("Every lesson's progress and workspace is forgotten: `lesson start 1` begins afresh."))
        #expect(second.ok("lesson start 1").contains("step 1 of 4: Make a topic"))
    }

    @Test("a step is rendered for the terminal's width")
    func width() throws {
        let bench = try LessonBench()
        bench.shell.width = 40
        let lines = bench.ok("lesson start 1").split(separator: "\n")
        #expect(lines.contains("Make the topic **orders** with *three*"))
        // Headings and code stay whole.
        #expect(lines.allSatisfy { $0.count <= 40 || $0.hasPrefix("    ") || $0.hasPrefix("──") || $0.hasPrefix("Lesson 1: ") }, "\(lines)")
        #expect(lines.contains("`lesson check` says what is missing;"))
        #expect(lines.contains("── Lesson 1 · step 1 of 4: Make a"))
        #expect(lines.contains("   topic ──"))
        let listed = bench.ok("lesson list").split(separator: "\n")
        #expect(listed.contains("  ▸ 1  first-steps  First steps: a"), "\(listed)")
        #expect(listed.contains("                    topic, records, a"))
        // Only a word longer than the width (a path) goes past it.
        #expect(listed.allSatisfy { $0.count <= 40 || $0.hasPrefix("Lessons in ") || $0.contains("/") }, "\(listed)")
    }

    @Test("a listener serving the playground moves to the lesson's workspace on the same port, kept open, and back on `lesson exit`")
    func listenerFollows() throws {
        let bench = try LessonBench()
        let listener = RecordingListener()
        bench.shell.listener = listener
        bench.ok("listen 0")
        #expect(bench.ok("lesson start 1").contains("listening on 127.0.0.1:40123 now serves this workspace"))
        #expect(listener.calls == ["listen 0", "follow"])
        #expect(bench.ok("lesson exit").contains("listening on 127.0.0.1:40123 now serves this workspace"))
        #expect(listener.calls == ["listen 0", "follow", "follow"])
    }

    @Test("clients connected when the listener moves to another workspace are said to be disconnected, and to be restarted")
    func clientsDisconnected() throws {
        let bench = try LessonBench()
        let listener = RecordingListener()
        bench.shell.listener = listener
        bench.ok("listen 0")
        listener.clients = 2
        let started = bench.ok("lesson start 1")
        #expect(started.contains("listening on 127.0.0.1:40123 now serves this workspace; the 2 clients connected were disconnected: restart them to follow it"), "\(started)")
        listener.clients = 1
        #expect(bench.ok("lesson reset").contains("the 1 client connected was disconnected: restart it to follow it"))
        listener.clients = 0
        #expect(bench.ok("lesson skip").contains("listening on 127.0.0.1:40123 now serves this workspace\n"))
    }

    @Test("Tab completes the lesson commands, and lesson numbers and slugs after `lesson start`")
    func completion() throws {
        let bench = try LessonBench()
        let names = { bench.shell.lessons?.library.completionNames() ?? [] }
        let completer = Completer(broker: bench.shell.broker, lessonNames: names)
        #expect(completer.complete("lesson start ").candidates == ["1", "2", "bad-goal", "first-steps"])
        #expect(completer.complete("lesson start fi").candidates == ["first-steps"])
        #expect(completer.complete("lesson s").candidates == ["skip", "solution", "start"])
        let steps = Completer(broker: bench.shell.broker, lessonNames: names, lessonSteps: { bench.shell.lessons?.library.completionSteps($0) ?? [] })
        #expect(steps.complete("lesson start 1 --step ").candidates == ["1", "2", "3", "4"])
        #expect(steps.complete("lesson start first-steps --step 3").candidates == ["3"])
        #expect(steps.complete("lesson start 9 --step ").candidates == [])
        #expect(completer.complete("lesson forget --yes ").candidates == [])
        #expect(completer.complete("lesson forget ").candidates == ["--yes"])
        #expect(completer.complete("lesson solution --run --").candidates == [])
        #expect(completer.complete("lesson start 1 --step 2 ").candidates == [])
    }

    @Test("`help` lists the lesson commands, and `help lesson` says where lessons and their progress are kept")
    func help() throws {
        let bench = try LessonBench()
        let overview = bench.ok("help")
        #expect(overview.contains("lesson start"))
        #expect(overview.contains("Start a lesson, or resume it where you left it."))
        #expect(bench.ok("help lesson").contains("$XDG_STATE_HOME/eventlab/lessons"))
        bench.shell.sessionSummary = "the playground"
        bench.ok("lesson start 1")
        #expect(bench.ok("help").contains("This session: lesson 1 on workspace \(bench.state)/eventlab/lessons/01-first-steps/workspace (on disk"))
        bench.ok("lesson exit")
        #expect(bench.ok("help").contains("This session: the playground."))
    }
}

@Suite("Where lessons are found")
struct LessonLibraryTests {
    @Test("EVENTLAB_LESSONS first, then the repository above the executable, then ./lessons; none found is said")
    func find() throws {
        let root = temporaryDirectory("eventlab-lessons-find")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let repository = root + "/repo"
        try FileManager.default.createDirectory(atPath: repository + "/lessons", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: repository + "/.build/debug", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: repository + "/Package.swift", contents: Data())
        let executable = repository + "/.build/debug/eventlab"
        let given = LessonLibrary.find(environment: ["EVENTLAB_LESSONS": LessonBench.fixtures], executablePath: executable, currentDirectory: root)
        #expect(given.directory == LessonBench.fixtures)
        #expect(LessonLibrary.find(environment: [:], executablePath: executable, currentDirectory: root).directory == repository + "/lessons")
        let elsewhere = root + "/elsewhere/eventlab"
        #expect(LessonLibrary.find(environment: [:], executablePath: elsewhere, currentDirectory: repository).directory == repository + "/lessons")
        let none = LessonLibrary.find(environment: [:], executablePath: elsewhere, currentDirectory: root)
        #expect(none.directory == nil)
        let output = CapturedOutput()
        let shell = Shell(broker: try Broker(), logicalClock: nil, output: output)
        shell.lessons = LessonRunner(library: none, environment: ["XDG_STATE_HOME": root], opener: MemoryTranscriptWorkspace.opener)
        shell.execute("lesson list")
        #expect(output.text.contains("error: no lessons found (looked in the repository above \(elsewhere), \(root)/lessons): set EVENTLAB_LESSONS"))
    }
}

/// Records what the shell asks of its listener; port 0 gets 40123.
private final class RecordingListener: BrokerListener {
    var addresses: [ListenerAddress]?
    var clients = 0
    var calls: [String] = []

    func listen(port: Int) throws -> [ListenerAddress] {
        calls.append("listen \(port)")
        let addresses = [ListenerAddress(broker: 1, address: "127.0.0.1:\(port == 0 ? 40123 : port)")]
        self.addresses = addresses
        return addresses
    }

    func stop() throws {
        calls.append("stop")
        addresses = nil
    }

    func follow() -> Int {
        calls.append("follow")
        return clients
    }

    func changes() -> [ListenerChange] { [] }
}

@Suite("A manual step with goals")
struct ManualGoalTests {
    static let lesson = """
        # Outside: a client joins

        A manual step whose goal a real client reaches.

        ## Make a topic

        Try:

        ```
        topic create orders
        ```

        Goal: `topic orders exists`

        Solution:

        ```
        topic create orders
        ```

        ## A client reads as billing

        Manual: Run a consumer in the group `billing` against `listen`.

        Goal: `group billing exists`

        Solution:

        ```
        consume orders --group billing
        ```

        """

    @Test("is checked as usual: its ✓ comes at the next command once the goal holds, and `lesson check` says what is missing")
    func checkedAsUsual() throws {
        let directory = temporaryDirectory("eventlab-manual-lesson")
        try Self.lesson.write(toFile: directory + "/01-outside.md", atomically: true, encoding: .utf8)
        let bench = try LessonBench(lessons: directory)
        bench.ok("lesson start 1")
        #expect(bench.ok("topic create orders").contains("Step 1 of 2 done."))
        let missing = bench.ok("lesson check")
        #expect(missing.contains("✗ group billing does not exist"))
        #expect(missing.contains("this step is manual, so `lesson next` also moves on"))
        // What a real client would do, done here through the shell.
        #expect(bench.ok("consume orders --group billing").contains("✓ group billing exists"))
        #expect(bench.ok("lesson check").contains("Lesson 1 is complete"))
    }

    @Test("a manual step moved on from with its goals unmet, before the last, is said to be skipped")
    func skippedInTheMiddle() throws {
        let directory = temporaryDirectory("eventlab-manual-lesson")
        let lesson = Self.lesson + """

            ## After it

            Goal: `topic more exists`

            Solution:

            ```
            topic create more
            ```

            """
        try lesson.write(toFile: directory + "/01-outside.md", atomically: true, encoding: .utf8)
        let bench = try LessonBench(lessons: directory)
        bench.ok("lesson start 1")
        bench.ok("topic create orders")
        #expect(bench.ok("lesson next").contains("Step 2 of 3 skipped."))
    }

    @Test("`lesson next` moves on from it with its goals unmet, saying which and leaving it not done")
    func nextWithoutGoals() throws {
        let directory = temporaryDirectory("eventlab-manual-lesson")
        try Self.lesson.write(toFile: directory + "/01-outside.md", atomically: true, encoding: .utf8)
        let bench = try LessonBench(lessons: directory)
        bench.ok("lesson start 1")
        bench.ok("topic create orders")
        let next = bench.ok("lesson next")
        #expect(next.contains("✗ group billing does not exist\nStep 2's goal is not met: it is manual, so it moves on without it, not done."), "\(next)")
        #expect(!next.contains("counts as done"))
        #expect(next.contains("Lesson 1 complete: 1 of 2 steps done. That was the last lesson: `lesson exit` goes back to your playground"))
        #expect(bench.ok("lesson progress").contains("  ✓ 1. Make a topic\n    2. A client reads as billing (manual)"))
        try Self.lesson.write(toFile: directory + "/02-again.md", atomically: true, encoding: .utf8)
        let second = bench.ok("lesson start 2")
        #expect(second.contains("Left lesson 1, which you finished."), "\(second)")
        #expect(!second.contains("progress is kept"))
    }
}
