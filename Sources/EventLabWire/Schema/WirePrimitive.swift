/// A value Kafka's protocol writes as one unit: an integer, a Boolean, a string or bytes.
public protocol WirePrimitive: Sendable {
    /// The fewest bytes the value takes, so an array's count can be checked before allocation.
    static var minimumSize: Int { get }
    /// Reads the value; `flexible` selects compact lengths.
    static func read(_ reader: inout WireReader, flexible: Bool) throws(WireError) -> Self
    /// Writes the value; `flexible` selects compact lengths.
    func write(_ writer: inout WireWriter, flexible: Bool)
    /// The value as one line of a listing: its wire type, then its value.
    var leaf: String { get }
    /// The bytes of a bytes field, which an encoder may send from where they are; nil for any
    /// other value.
    var bytesToShare: [UInt8]? { get }
}

extension WirePrimitive {
    public var bytesToShare: [UInt8]? { nil }
}

/// A primitive that may be null in Kafka's protocol: a string or bytes.
public protocol NullableWirePrimitive: WirePrimitive {
    /// Reads the value or null.
    static func readNullable(_ reader: inout WireReader, flexible: Bool) throws(WireError) -> Self?
    /// Writes the value or null.
    static func writeNullable(_ value: Self?, _ writer: inout WireWriter, flexible: Bool)
    /// A null as one line of a listing.
    static var nullLeaf: String { get }
}

extension NullableWirePrimitive {
    public static func read(_ reader: inout WireReader, flexible: Bool) throws(WireError) -> Self {
        guard let value = try readNullable(&reader, flexible: flexible) else {
            throw WireError("a \(Self.self) at byte \(reader.position) is null but may not be")
        }
        return value
    }

    public func write(_ writer: inout WireWriter, flexible: Bool) { Self.writeNullable(self, &writer, flexible: flexible) }
}

extension Optional: WirePrimitive where Wrapped: NullableWirePrimitive {
    public static var minimumSize: Int { 1 }
    public static func read(_ reader: inout WireReader, flexible: Bool) throws(WireError) -> Self {
        try Wrapped.readNullable(&reader, flexible: flexible)
    }
    public func write(_ writer: inout WireWriter, flexible: Bool) { Wrapped.writeNullable(self, &writer, flexible: flexible) }
    public var leaf: String { map(\.leaf) ?? Wrapped.nullLeaf }
    public var bytesToShare: [UInt8]? { self?.bytesToShare }
}

/// Kafka's fixed-size integers, big-endian.
public protocol WireInteger: WirePrimitive, FixedWidthInteger {
    /// The integer's name in Kafka's definitions.
    static var wireName: String { get }
}

extension WireInteger {
    public static var minimumSize: Int { MemoryLayout<Self>.size }
    public static func read(_ reader: inout WireReader, flexible: Bool) throws(WireError) -> Self { try reader.integer(Self.self) }
    public func write(_ writer: inout WireWriter, flexible: Bool) { writer.integer(self) }
    public var leaf: String { "\(Self.wireName) \(self)" }
}

extension Int8: WireInteger { public static var wireName: String { "int8" } }
extension Int16: WireInteger { public static var wireName: String { "int16" } }
extension Int32: WireInteger { public static var wireName: String { "int32" } }
extension Int64: WireInteger { public static var wireName: String { "int64" } }
extension UInt16: WireInteger { public static var wireName: String { "uint16" } }

extension Bool: WirePrimitive {
    public static var minimumSize: Int { 1 }
    public static func read(_ reader: inout WireReader, flexible: Bool) throws(WireError) -> Bool { try reader.boolean() }
    public func write(_ writer: inout WireWriter, flexible: Bool) { writer.boolean(self) }
    public var leaf: String { "bool \(self)" }
}

extension String: NullableWirePrimitive {
    public static var minimumSize: Int { 1 }
    public static func readNullable(_ reader: inout WireReader, flexible: Bool) throws(WireError) -> String? {
        flexible ? try reader.compactNullableString() : try reader.nullableString()
    }
    public static func writeNullable(_ value: String?, _ writer: inout WireWriter, flexible: Bool) {
        flexible ? writer.compactString(value) : writer.string(value)
    }
    public var leaf: String { "string \(jsonQuoted)" }
    public static var nullLeaf: String { "string null" }

    private var jsonQuoted: String {
        var quoted = "\""
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case _ where scalar.value < 0x20:
                quoted += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}

extension Array: WirePrimitive, NullableWirePrimitive where Element == UInt8 {
    public static var minimumSize: Int { 1 }
    public static func readNullable(_ reader: inout WireReader, flexible: Bool) throws(WireError) -> [UInt8]? {
        try reader.nullableBytesView(compact: flexible).map(Array.init)
    }
    public static func writeNullable(_ value: [UInt8]?, _ writer: inout WireWriter, flexible: Bool) {
        writer.length(value?.count, compact: flexible, wide: true)
        if let value { writer.raw(value) }
    }
    public var leaf: String { "bytes " + hex }
    public var bytesToShare: [UInt8]? { self }
    public static var nullLeaf: String { "bytes null" }

    var hex: String {
        let digits = Array<Character>("0123456789abcdef")
        var text = ""
        text.reserveCapacity(count * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return text
    }
}
