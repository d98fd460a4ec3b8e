import CZlib
import EventLabCore

/// Gzip-compressed produce batches, made plain before the core sees them: the core stores
/// uncompressed batches only, so consumers get exactly what they would from Kafka after
/// decompression, and EventLab's pictures can read every record.
enum Gzip {
    /// The largest a batch may grow to when decompressed: a guard against decompression bombs.
    static let maxInflatedBytes = 64 * 1024 * 1024

    /// `bytes` unchanged unless it is a gzip batch; then the same batch uncompressed, with a new CRC.
    ///
    /// - Throws: `CORRUPT_MESSAGE` for a bad CRC or bad gzip data; `MESSAGE_TOO_LARGE` past the guard.
    static func decompressedIfGzip(_ batch: ArraySlice<UInt8>) throws(BrokerError) -> ArraySlice<UInt8> {
        let bytes = Array(batch.prefix(RecordBatch.headerSize))
        guard bytes.count == RecordBatch.headerSize, bytes[16] == 2, bytes[22] & 0x07 == 1 else { return batch }
        let crc = bytes[17..<21].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard CRC32C.checksum(batch.dropFirst(21)) == crc else {
            throw BrokerError(.corruptMessage, "corrupt record batch: the gzip batch fails its CRC-32C")
        }
        let inflated: [UInt8]
        do {
            inflated = try inflate(Array(batch.dropFirst(RecordBatch.headerSize)))
        } catch {
            throw error.brokerError(subject: "the gzip batch", corrupt: "corrupt record batch")
        }
        var writer = ByteWriter(capacity: RecordBatch.headerSize + inflated.count)
        writer.write(bytes: bytes)
        writer.write(bytes: inflated)
        writer.overwrite(Int32(writer.count - RecordBatch.logOverhead), at: 8)
        writer.overwrite(Int16(bitPattern: (UInt16(bytes[21]) << 8 | UInt16(bytes[22])) & ~0x07), at: 21)
        let checksum = writer.bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[21...])) }
        writer.overwrite(checksum, at: 17)
        return writer.bytes[...]
    }

    /// Why gzip data did not inflate; each caller words it for what it was inflating.
    enum InflateFailure: Error {
        case cannotStart
        /// Past `maxInflatedBytes`.
        case tooLarge
        case badData(zlibStatus: Int32)

        /// The failure as Kafka's error: `subject` names what was inflated, `prefix` opens the
        /// message for bad data.
        func brokerError(subject: String, corrupt prefix: String) -> BrokerError {
            switch self {
            case .cannotStart: BrokerError(.corruptMessage, "cannot start gzip decompression")
            case .tooLarge: BrokerError(.messageTooLarge, "\(subject) inflates past \(Gzip.maxInflatedBytes) bytes")
            case .badData(let status): BrokerError(.corruptMessage, "\(prefix): bad gzip data (zlib status \(status))")
            }
        }
    }

    /// The gzip stream `input` inflated, never past `maxInflatedBytes`.
    static func inflate(_ input: [UInt8]) throws(InflateFailure) -> [UInt8] {
        var stream = z_stream()
        guard eventlab_inflate_init_gzip(&stream) == Z_OK else { throw .cannotStart }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = input
        var status: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                output += chunk[0..<(chunk.count - Int(stream.avail_out))]
            } while status == Z_OK && output.count <= maxInflatedBytes && (stream.avail_in > 0 || stream.avail_out == 0)
        }
        guard output.count <= maxInflatedBytes else { throw .tooLarge }
        guard status == Z_STREAM_END else { throw .badData(zlibStatus: status) }
        return output
    }
}
