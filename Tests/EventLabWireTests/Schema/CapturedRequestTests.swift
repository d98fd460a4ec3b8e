import Foundation
import Testing
@testable import EventLabWire

/// A request a real client sent, from Tests/Fixtures/wire/captured: sarama, librdkafka (kcat,
/// confluent-kafka) and kafka-python at each setting of the compatibility matrix.
struct CapturedRequest: CustomTestStringConvertible {
    let file: String
    let frame: [UInt8]

    var testDescription: String { file }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/wire/captured")

    /// Every captured request at a version this broker serves.
    static func served() -> [CapturedRequest] {
        let cells = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
        return cells.flatMap { cell -> [CapturedRequest] in
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(cell).path)) ?? []).sorted()
            return files.filter { $0.hasSuffix(".hex") }.compactMap { file in
                guard let text = try? String(contentsOf: directory.appendingPathComponent(cell).appendingPathComponent(file), encoding: .utf8),
                      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("request ") }),
                      let frame = hexBytes(line.dropFirst("request ".count)), frame.count >= 4,
                      let api = ApiKey(rawValue: Int16(frame[0]) << 8 | Int16(frame[1])),
                      api.versions.contains(Int16(frame[2]) << 8 | Int16(frame[3]))
                else { return nil }
                return CapturedRequest(file: cell + "/" + file, frame: frame)
            }
        }
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}

@Suite("Requests real clients sent decode, and encode back to the clients' own bytes")
struct CapturedRequestTests {
    @Test("each captured request decodes as its API and version, and its body encodes back byte for byte",
          arguments: CapturedRequest.served())
    func roundTrip(_ captured: CapturedRequest) throws {
        let (header, request) = try RequestDecoder.decode(captured.frame)
        guard case .typed(let typed) = request else {
            Issue.record("\(captured.file) did not decode as a request described as data")
            return
        }
        var reader = WireReader(captured.frame)
        _ = try reader.integer(Int32.self)  // key and version
        _ = try reader.integer(Int32.self)  // correlation id
        _ = try reader.nullableString()  // client id
        if header.flexible { try reader.skipTaggedFields() }
        let body = Array(captured.frame[reader.position...])
        #expect(try typed.encoded(version: header.apiVersion, flexible: header.flexible).bytes() == body)
    }
}
