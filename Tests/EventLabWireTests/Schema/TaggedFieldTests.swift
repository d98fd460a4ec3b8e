@testable import EventLabWire
import Testing

@Suite("Tagged fields a structure declares")
struct TaggedFieldTests {
    private func listing(_ bytes: [UInt8]) throws -> ([String], CreateTopicsResponse.Topic) {
        var decoder = WireDecoder(WireReader(bytes), version: 5, flexible: true, listing: true)
        var topic = CreateTopicsResponse.Topic()
        try decoder.structure(&topic)
        #expect(decoder.reader.remaining == 0)
        return (decoder.listing ?? [], topic)
    }

    @Test("a tagged field at its default is not written; another value is written under its tag and read back into its field")
    func declared() throws {
        var topic = CreateTopicsResponse.Topic(name: "t", errorCode: 0, errorMessage: nil)
        let plain = try topic.encoded(version: 5, flexible: true).bytes()
        #expect(plain.last == 0)
        #expect(try listing(plain).0.suffix(1) == ["tags 0"])
        topic.topicConfigErrorCode = 29
        let tagged = try topic.encoded(version: 5, flexible: true).bytes()
        #expect(Array(tagged.suffix(5)) == [1, 0, 2, 0, 29])
        let (lines, decoded) = try listing(tagged)
        #expect(lines.suffix(3) == ["tags 1", "tag 0", "int16 29"])
        #expect(decoded == topic)
    }

    @Test("a tag the structure does not declare is listed raw and skipped")
    func undeclared() throws {
        var plain = try CreateTopicsResponse.Topic(name: "t", errorCode: 0, errorMessage: nil).encoded(version: 5, flexible: true).bytes()
        plain.removeLast()
        let (lines, decoded) = try listing(plain + [2, 0, 2, 0, 7, 5, 1, 9])
        #expect(lines.suffix(5) == ["tags 2", "tag 0", "int16 7", "tag 5", "raw 09"])
        #expect(decoded.topicConfigErrorCode == 7)
    }

    @Test("a declared tag whose bytes do not hold exactly its value is refused")
    func wrongSize() throws {
        var plain = try CreateTopicsResponse.Topic(name: "t", errorCode: 0, errorMessage: nil).encoded(version: 5, flexible: true).bytes()
        plain.removeLast()
        #expect(throws: WireError.self) { try listing(plain + [1, 0, 3, 0, 7, 0]) }
    }
}
