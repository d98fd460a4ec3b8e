import EventLabCore

/// What a message's `code` method passes its fields to: a decoder reads them, an encoder writes
/// them. Each call names the versions the field exists in; outside them the call does nothing.
///
/// In a flexible version strings, bytes and arrays take compact lengths, and every structure ends
/// with a block of tagged fields; the coder does both, so no message repeats them.
public protocol WireCoder {
    /// The version being read or written.
    var version: Int16 { get }
    /// Whether that version is flexible.
    var flexible: Bool { get }

    /// An integer, Boolean, string or bytes field.
    mutating func field<T: WirePrimitive>(_ value: inout T, _ versions: Versions) throws(WireError)
    /// A nested structure.
    mutating func field<T: WireStruct>(_ value: inout T, _ versions: Versions) throws(WireError)
    /// An array of structures.
    mutating func field<T: WireStruct>(_ value: inout [T], _ versions: Versions) throws(WireError)
    /// A nullable array of structures.
    mutating func field<T: WireStruct>(_ value: inout [T]?, _ versions: Versions) throws(WireError)
    /// An array of integers or strings.
    mutating func field<T: WirePrimitive>(_ value: inout [T], _ versions: Versions) throws(WireError)
    /// A nullable array of integers or strings.
    mutating func field<T: WirePrimitive>(_ value: inout [T]?, _ versions: Versions) throws(WireError)
    /// Record batches a client sent: read as a view into the request's frame, never copied.
    mutating func records(_ value: inout ArraySlice<UInt8>?, _ versions: Versions) throws(WireError)
    /// Stored record batches for a client (nil: a null records field): written as they lie in
    /// the log, copied only when sent.
    mutating func records(_ value: inout [any StoredBytes]?, _ versions: Versions) throws(WireError)
    /// A tagged field, from a structure's `codeTagged`: read when its `tag` is in the block, and
    /// written only when it differs from `defaultValue`, as Kafka writes tagged fields.
    mutating func tagged<T: WirePrimitive & Equatable>(
        _ value: inout T, tag: UInt32, _ versions: Versions, default defaultValue: T
    ) throws(WireError)
}

extension WireCoder {
    /// Whether this coder's version is in `versions`.
    public func has(_ versions: Versions) -> Bool { versions.contains(version) }
}
