import EventLabCore

/// Writes a message's fields for one version into a response body. Stored record batches, and
/// byte fields of `sharedBytesThreshold` bytes or more (a group's member metadata), become pieces
/// of their own rather than copies: a Fetch answer is read from the log only as it is sent, and a
/// DescribeGroups answer repeated again and again costs no copies of what the group holds.
public struct WireEncoder: WireCoder {
    public let version: Int16
    public let flexible: Bool
    private var writer = WireWriter()
    private var body = ResponseBody()
    /// The tagged fields of the structure being written that differ from their defaults.
    private var taggedValues: [UInt32: [UInt8]] = [:]
    /// The size from which a byte field is shared, not copied.
    static let sharedBytesThreshold = 256

    /// An encoder for `version`.
    public init(version: Int16, flexible: Bool) {
        self.version = version
        self.flexible = flexible
    }

    /// The body written.
    public mutating func finish() -> ResponseBody {
        flush()
        return body
    }

    private mutating func flush() {
        body.append(.bytes(writer.take()))
    }

    public mutating func field<T: WirePrimitive>(_ value: inout T, _ versions: Versions) {
        guard has(versions) else { return }
        if let bytes = value.bytesToShare, bytes.count >= Self.sharedBytesThreshold {
            writer.length(bytes.count, compact: flexible, wide: true)
            flush()
            body.append(.bytes(bytes[...]))
        } else {
            value.write(&writer, flexible: flexible)
        }
    }

    public mutating func field<T: WireStruct>(_ value: inout T, _ versions: Versions) {
        guard has(versions) else { return }
        structureNeverFails(&value)
    }

    public mutating func field<T: WireStruct>(_ value: inout [T], _ versions: Versions) {
        guard has(versions) else { return }
        writer.count(value.count, compact: flexible)
        for index in value.indices { structureNeverFails(&value[index]) }
    }

    public mutating func field<T: WireStruct>(_ value: inout [T]?, _ versions: Versions) {
        guard has(versions) else { return }
        guard value != nil else { return writer.count(nil, compact: flexible) }
        field(&value!, versions)
    }

    public mutating func field<T: WirePrimitive>(_ value: inout [T], _ versions: Versions) {
        guard has(versions) else { return }
        writer.count(value.count, compact: flexible)
        for element in value { element.write(&writer, flexible: flexible) }
    }

    public mutating func field<T: WirePrimitive>(_ value: inout [T]?, _ versions: Versions) {
        guard has(versions) else { return }
        guard value != nil else { return writer.count(nil, compact: flexible) }
        field(&value!, versions)
    }

    public mutating func records(_ value: inout ArraySlice<UInt8>?, _ versions: Versions) {
        guard has(versions) else { return }
        writer.length(value?.count, compact: flexible, wide: true)
        if let value { writer.raw(Array(value)) }
    }

    public mutating func records(_ value: inout [any StoredBytes]?, _ versions: Versions) {
        guard has(versions) else { return }
        writer.length(value?.reduce(0) { $0 + $1.count }, compact: flexible, wide: true)
        guard let value else { return }
        flush()
        for stored in value { body.append(.stored(stored)) }
    }

    public mutating func tagged<T: WirePrimitive & Equatable>(
        _ value: inout T, tag: UInt32, _ versions: Versions, default defaultValue: T
    ) {
        guard has(versions), value != defaultValue else { return }
        var fieldWriter = WireWriter()
        value.write(&fieldWriter, flexible: flexible)
        taggedValues[tag] = Array(fieldWriter.take())
    }

    /// Writes a structure's fields and, in a flexible version, its tagged fields: those it
    /// declares, where they differ from their defaults, and those a `TaggedWireStruct` kept. Encoding
    /// cannot fail: every method of this coder returns normally.
    mutating func structureNeverFails<T: WireStruct>(_ value: inout T) {
        do throws(WireError) {
            try value.code(&self)
        } catch {
            preconditionFailure("encoding cannot fail, yet \(T.self) threw \(error)")
        }
        guard flexible else { return }
        taggedValues = [:]
        do throws(WireError) {
            try value.codeTagged(&self)
        } catch {
            preconditionFailure("encoding cannot fail, yet \(T.self) threw \(error)")
        }
        let tags = ((value as? any TaggedWireStruct)?.taggedFields ?? [:]).merging(taggedValues) { _, declared in declared }
        writer.unsignedVarint(UInt32(tags.count))
        for (tag, bytes) in tags.sorted(by: { $0.key < $1.key }) {
            writer.unsignedVarint(tag)
            writer.unsignedVarint(UInt32(bytes.count))
            writer.raw(bytes)
        }
    }
}
