import EventLabCore

/// Reads a message's fields from a frame, version by version; with `listing` on it also lists
/// each value read, one line per value, for tests against other encoders' golden bytes.
public struct WireDecoder: WireCoder {
    /// Where the next field is read from.
    public private(set) var reader: WireReader
    public let version: Int16
    public let flexible: Bool
    /// Each value read, in wire order, when listing.
    public private(set) var listing: [String]?
    /// The tagged field being read, until a `tagged` call of the structure takes it.
    private var pendingTag: (tag: UInt32, bytes: ArraySlice<UInt8>)?

    /// A decoder of `reader`'s bytes at `version`.
    public init(_ reader: WireReader, version: Int16, flexible: Bool, listing: Bool = false) {
        self.reader = reader
        self.version = version
        self.flexible = flexible
        self.listing = listing ? [] : nil
    }

    private mutating func list(_ line: @autoclosure () -> String) {
        if listing != nil { listing!.append(line()) }
    }

    public mutating func field<T: WirePrimitive>(_ value: inout T, _ versions: Versions) throws(WireError) {
        guard has(versions) else { return }
        value = try T.read(&reader, flexible: flexible)
        list(value.leaf)
    }

    public mutating func field<T: WireStruct>(_ value: inout T, _ versions: Versions) throws(WireError) {
        guard has(versions) else { return }
        try structure(&value)
    }

    public mutating func field<T: WireStruct>(_ value: inout [T], _ versions: Versions) throws(WireError) {
        guard has(versions) else { return }
        var elements: [T]? = nil
        try field(&elements, versions)
        guard let elements else { throw WireError("an array of \(T.self) at byte \(reader.position) is null but may not be") }
        value = elements
    }

    public mutating func field<T: WireStruct>(_ value: inout [T]?, _ versions: Versions) throws(WireError) {
        guard has(versions) else { return }
        value = try array(T.self, minimumSize: 1) { decoder throws(WireError) in
            var element = T()
            try decoder.structure(&element)
            return element
        }
    }

    public mutating func field<T: WirePrimitive>(_ value: inout [T], _ versions: Versions) throws(WireError) {
        guard has(versions) else { return }
        var elements: [T]? = nil
        try field(&elements, versions)
        guard let elements else { throw WireError("an array of \(T.self) at byte \(reader.position) is null but may not be") }
        value = elements
    }

    public mutating func field<T: WirePrimitive>(_ value: inout [T]?, _ versions: Versions) throws(WireError) {
        guard has(versions) else { return }
        value = try array(T.self, minimumSize: T.minimumSize) { decoder throws(WireError) in
            let element = try T.read(&decoder.reader, flexible: decoder.flexible)
            decoder.list(element.leaf)
            return element
        }
    }

    public mutating func records(_ value: inout ArraySlice<UInt8>?, _ versions: Versions) throws(WireError) {
        guard has(versions) else { return }
        value = try reader.nullableBytesView(compact: flexible)
        list(value.map { Array($0).leaf } ?? [UInt8].nullLeaf)
    }

    public mutating func records(_ value: inout [any StoredBytes]?, _ versions: Versions) throws(WireError) {
        guard has(versions) else { return }
        let bytes = try reader.nullableBytesView(compact: flexible).map(Array.init)
        value = bytes.map { [HeldBytes($0)] }
        list(bytes?.leaf ?? [UInt8].nullLeaf)
    }

    public mutating func tagged<T: WirePrimitive & Equatable>(
        _ value: inout T, tag: UInt32, _ versions: Versions, default defaultValue: T
    ) throws(WireError) {
        guard has(versions), let pending = pendingTag, pending.tag == tag else { return }
        pendingTag = nil
        var fieldReader = WireReader(Array(pending.bytes))
        value = try T.read(&fieldReader, flexible: flexible)
        guard fieldReader.remaining == 0 else {
            throw WireError("tagged field \(tag) has \(fieldReader.remaining) bytes after its \(T.self) value")
        }
        list("tag \(tag)")
        list(value.leaf)
    }

    /// Reads a structure's fields, then, in a flexible version, its tagged fields: each one the
    /// structure declares into its field, any other kept by a `TaggedWireStruct`, skipped by the rest.
    mutating func structure<T: WireStruct>(_ value: inout T) throws(WireError) {
        try value.code(&self)
        guard flexible else { return }
        let count = try reader.unsignedVarint()
        list("tags \(count)")
        var tags: [UInt32: [UInt8]] = [:]
        for _ in 0..<count {
            let tag = try reader.unsignedVarint()
            let bytes = try reader.raw(Int(try reader.unsignedVarint()))
            pendingTag = (tag, bytes)
            try value.codeTagged(&self)
            guard pendingTag != nil else { continue }
            pendingTag = nil
            list("tag \(tag)")
            list("raw \(Array(bytes).hex)")
            tags[tag] = Array(bytes)
        }
        if var tagged = value as? any TaggedWireStruct {
            tagged.taggedFields = tags
            value = tagged as! T
        }
    }

    private mutating func array<T>(
        _: T.Type, minimumSize: Int, _ element: (inout WireDecoder) throws(WireError) -> T
    ) throws(WireError) -> [T]? {
        guard let count = try reader.count(compact: flexible) else {
            list("array null")
            return nil
        }
        guard count * max(1, minimumSize) <= reader.remaining else {
            throw WireError("an array of \(count) elements cannot fit the \(reader.remaining) bytes left")
        }
        list("array \(count)")
        var result: [T] = []
        // A count a client claims reserves room for 1,024 elements at most; the rest grow as they decode.
        result.reserveCapacity(min(count, 1024))
        for _ in 0..<count { result.append(try element(&self)) }
        return result
    }
}
