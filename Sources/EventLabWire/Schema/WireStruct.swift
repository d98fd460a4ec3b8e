import EventLabCore

/// A message or one of its nested structures, described once: its `code` method names each field
/// with the versions it exists in, and one coder reads it, writes it, or lists its values.
///
/// A field outside its versions keeps the value `init()` gave it (Kafka's default) and is neither
/// read nor written. In a flexible version every structure ends with a block of tagged fields.
public protocol WireStruct: Sendable {
    /// The structure with every field at Kafka's default.
    init()
    /// Passes every field, in wire order, to `coder`.
    mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError)
    /// Passes each tagged field to `coder.tagged`; called only in flexible versions, after
    /// `code`. A structure without tagged fields keeps the default, which passes none.
    mutating func codeTagged<Coder: WireCoder>(_ coder: inout Coder) throws(WireError)
}

extension WireStruct {
    public mutating func codeTagged<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {}
}

/// A structure that keeps the tagged fields it was given (in a flexible version) and does not
/// declare in `codeTagged`, by tag.
public protocol TaggedWireStruct: WireStruct {
    /// Tagged fields by tag: each value is the field's own bytes.
    var taggedFields: [UInt32: [UInt8]] { get set }
}

extension WireStruct {
    /// The structure read from `reader` at `version`.
    ///
    /// - Throws: `WireError` for bytes that do not hold it.
    public static func decoded(from reader: inout WireReader, version: Int16, flexible: Bool) throws(WireError) -> Self {
        var decoder = WireDecoder(reader, version: version, flexible: flexible)
        var value = Self()
        try decoder.structure(&value)
        reader = decoder.reader
        return value
    }

    /// The structure's bytes at `version`, with stored records and large byte fields left where they are.
    public func encoded(version: Int16, flexible: Bool) -> ResponseBody {
        var encoder = WireEncoder(version: version, flexible: flexible)
        var value = self
        encoder.structureNeverFails(&value)
        return encoder.finish()
    }
}
