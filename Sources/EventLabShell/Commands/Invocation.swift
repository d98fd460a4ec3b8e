/// A parsed command: its spec, positional words, option values and flags; not run yet.
public struct Invocation: Equatable, Sendable {
    public let spec: CommandSpec
    /// Positional words, in order.
    public var arguments: [String]
    /// Each option's values, in order given (several for repeatable options).
    public var options: [String: [String]]
    /// The flags given.
    public var flags: Set<String>
    /// True for `show NAME`, where the name may be a topic or a group.
    public var isBareShow = false
    /// The old words typed for this command (`broker listen`), when they were not its own.
    public var renamedFrom: String?

    /// The last value of `option`, if given.
    public func value(_ option: String) -> String? { options[option]?.last }

    /// Whether `flag` was given.
    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// Positional argument `index`, if given.
    public func argument(_ index: Int) -> String? { index < arguments.count ? arguments[index] : nil }
}
