import Testing
@testable import EventLabPatterns

@Suite("Fields of one record read through one index of its members")
struct JSONMembersTests {
    /// Each path's answer read through one shared index, then scanned afresh: range or error.
    func answers(_ paths: [[JSONPathStep]], _ bytes: [UInt8]) -> [(shared: Result<Range<Int>?, JSONError>, fresh: Result<Range<Int>?, JSONError>)] {
        bytes.withUnsafeBufferPointer { buffer in
            var members = JSONMembers()
            return paths.map { path in
                (Result { () throws(JSONError) in try JSONScanner.find(path, in: buffer, members: &members) },
                 Result { () throws(JSONError) in try JSONScanner.find(path, in: buffer) })
            }
        }
    }

    @Test("gives each field's bytes as a fresh scan does, in any order, with duplicates, escapes and many members")
    func handMade() {
        let documents = [
            #" {"type":"Deposited", "account" : "a-1","amount":12.25,"type":"Other"} "#,
            #"{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":{"k":[1,2]}}"#,
            #"{"\u0061":1,"a":2,"b":{"a":3}}"#,
            #"{"a":[1,{"x":"}"}],"b":"q\"","c":null}"#,
            #"{}"#, #"[{"a":1}]"#, #""a""#, "", "  ",
        ]
        let names = ["type", "account", "amount", "a", "b", "c", "i", "j", "k", "zz", ""]
        for text in documents {
            var paths = names.map { [JSONPathStep.member($0)] } + names.reversed().map { [JSONPathStep.member($0)] }
            paths += [[.member("j"), .member("k"), .index(1)], [.member("b"), .member("a")], [], [.index(0), .member("a")]]
            for (index, answer) in answers(paths, Array(text.utf8)).enumerated() {
                #expect(answer.shared == answer.fresh, "\(text) at \(paths[index])")
            }
        }
    }

    @Test("gives the same range or the same error as a fresh scan on random and broken documents")
    func randomDocuments() {
        var generator = SeededGenerator(seed: 16)
        let foreign = Array(#"{}[]:,"\ 0e-"#.utf8) + [0xFF, 0x00]
        var found = 0
        var failed = 0
        for round in 0..<4_000 {
            let value = RandomJSON.value(depth: 0, using: &generator)
            var bytes = Array(RandomJSON.spaced(value, using: &generator).utf8)
            if round % 2 == 1 {
                for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    if Bool.random(using: &generator) { bytes.remove(at: index) } else { bytes[index] = foreign.randomElement(using: &generator)! }
                }
            }
            let paths = (0..<6).map { _ in
                Bool.random(using: &generator)
                    ? RandomJSON.path(into: value, using: &generator)
                    : [.member(RandomJSON.names.randomElement(using: &generator)!)]
            }
            for (index, answer) in answers(paths, bytes).enumerated() {
                #expect(answer.shared == answer.fresh, "\(String(decoding: bytes, as: UTF8.self)) at \(paths[index])")
                switch answer.fresh {
                case .success(let range): if range != nil { found += 1 }
                case .failure: failed += 1
                }
            }
        }
        #expect(found > 2_000 && failed > 100)
    }

    @Test("a record's other bytes are never read through an index of the last one")
    func anotherDocument() throws {
        let first = Array(#"{"id":"a","amount":1}"#.utf8)
        let second = Array(#"{"amount":22,"id":"b"}"#.utf8)
        var members = JSONMembers()
        let one = try first.withUnsafeBufferPointer { try JSONScanner.find([.member("amount")], in: $0, members: &members) }
        let two = try second.withUnsafeBufferPointer { try JSONScanner.find([.member("amount")], in: $0, members: &members) }
        #expect(one.map { String(decoding: first[$0], as: UTF8.self) } == "1")
        #expect(two.map { String(decoding: second[$0], as: UTF8.self) } == "22")
    }
}
