import Foundation
import Testing
@testable import EventLabWire

/// One golden message from Tests/Fixtures/wire/goldens: a body another encoder (kafka-python)
/// wrote, and every value in it in wire order.
struct GoldenMessage: CustomTestStringConvertible {
    let file: String
    let apiKey: Int16
    let version: Int16
    let isRequest: Bool
    let flexible: Bool
    let bytes: [UInt8]
    let values: [String]

    var testDescription: String { file }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/wire/goldens")

    /// Every golden message at a version this broker serves.
    static func served() -> [GoldenMessage] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".txt") }.sorted().compactMap { file in
            guard let text = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8),
                  let golden = GoldenMessage(file: file, text: text),
                  let api = ApiKey(rawValue: golden.apiKey), api.versions.contains(golden.version)
            else { return nil }
            return golden
        }
    }

    init?(file: String, text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.hasPrefix("#") }
        guard lines.count >= 2 else { return nil }
        let words = lines[0].split(separator: " ")
        guard words.count == 7, words[0] == "api", let key = Int16(words[1]), let version = Int16(words[3]) else { return nil }
        guard lines[1].hasPrefix("hex ") else { return nil }
        let hex = Array(lines[1].dropFirst(4).utf8)
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: hex.count, by: 2) {
            guard let byte = UInt8(String(decoding: hex[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.file = file
        apiKey = key
        self.version = version
        isRequest = words[4] == "request"
        flexible = words[6] == "yes"
        self.bytes = bytes
        values = Array(lines.dropFirst(2).filter { !$0.isEmpty })
    }
}

@Suite("Messages described as data read and write other encoders' bytes exactly")
struct GoldenMessageTests {
    @Test("every golden body decodes to its values in wire order, to its last byte, and encodes back to the same bytes",
          arguments: GoldenMessage.served())
    func roundTrip(_ golden: GoldenMessage) throws {
        let api = try #require(ApiKey(rawValue: golden.apiKey))
        #expect(api.flexibleVersions.contains(golden.version) == golden.flexible, "flexible versions disagree")
        let type = api.requestType
        let (values, remaining, encoded) = golden.isRequest
            ? try Self.roundTrip(golden, type) : try Self.roundTrip(golden, type.responseType)
        #expect(values == golden.values)
        #expect(remaining == 0, "\(remaining) bytes left unread")
        #expect(encoded == golden.bytes)
    }

    private static func roundTrip<T: WireStruct>(_ golden: GoldenMessage, _: T.Type) throws -> ([String], Int, [UInt8]) {
        var decoder = WireDecoder(WireReader(golden.bytes), version: golden.version, flexible: golden.flexible, listing: true)
        var value = T()
        try decoder.structure(&value)
        return (decoder.listing ?? [], decoder.reader.remaining, try value.encoded(version: golden.version, flexible: golden.flexible).bytes())
    }
}

extension KafkaRequest {
    static var responseType: Response.Type { Response.self }
}
