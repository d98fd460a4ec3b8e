/// What `eventlab verify` found in a lesson: the steps whose solution ran and whose goals were
/// checked, the manual steps it skipped, and the first failure, if any.
public struct LessonVerification: Equatable, Sendable {
    /// Steps whose goals were unmet at their start and met after their solution.
    public var checkedSteps: Int
    /// Manual steps, skipped: their solutions are never run.
    public var manualSteps: Int
    /// The first step, setup command or goal that did not hold; verifying stops there, because
    /// the steps after it would start from a state the lesson does not expect.
    public var failure: LessonFailure?

    /// `4 steps checked, 1 manual skipped`.
    public var summary: String {
        let checked = "\(checkedSteps) step\(checkedSteps == 1 ? "" : "s") checked"
        return manualSteps == 0 ? checked : checked + ", \(manualSteps) manual skipped"
    }
}

/// Where a lesson stopped working, in words an author acts on: the lesson, the step and the goal
/// or command, and what the broker held.
public struct LessonFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The step that failed, counted from 1; nil when the setup failed.
    public let step: Int?
    /// The line of the goal or command that failed, counted from 1.
    public let line: Int
    /// Such as `lesson 01-the-log step 2 'Append records': goal ``topic orders records >= 3`` is
    /// already met when the step starts: topic orders has 3 records`.
    public let message: String

    /// A failure of `step` (nil for the setup) on `line`, saying `message`.
    public init(step: Int?, line: Int, _ message: String) {
        self.step = step
        self.line = line
        self.message = message
    }

    public var description: String { message }
}
