import ArgumentParser
import EventLabWire
import Foundation

/// Valid requests to start mutating from: every golden request body in
/// Tests/Fixtures/wire/goldens (one per API and version Kafka 2.5 serves, old message formats
/// and flexible versions included), each behind a request header of the right version.
enum GoldenSeeds {
    /// The request frames (without size prefixes) built from the goldens in `directory`.
    ///
    /// - Throws: when the directory holds no golden request, so a fuzz run never goes on with
    ///   nothing to mutate.
    static func load(from directory: String) throws -> [[UInt8]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let frames = names.filter { $0.hasSuffix("-request.txt") }.sorted().compactMap { name in
            (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)).flatMap(frame)
        }
        guard !frames.isEmpty else {
            throw ValidationError("no golden requests in \(directory): run from the repository's root, or pass --goldens DIR")
        }
        return frames
    }

    /// A frame from one golden file: its `api K version N request flexible yes|no` line and its hex body.
    private static func frame(_ text: String) -> [UInt8]? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }
        guard lines.count >= 2, lines[1].hasPrefix("hex") else { return nil }
        let words = lines[0].split(separator: " ")
        guard words.count == 7, let key = Int16(words[1]), let version = Int16(words[3]) else { return nil }
        var writer = WireWriter()
        writer.integer(key)
        writer.integer(version)
        writer.integer(Int32(7))
        writer.string("fuzz")
        if words[6] == "yes" { writer.noTaggedFields() }
        let hex = Array(lines[1].dropFirst(3).trimmingCharacters(in: .whitespaces).utf8)
        for index in stride(from: 0, to: hex.count - 1, by: 2) {
            guard let byte = UInt8(String(decoding: hex[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            writer.integer(byte)
        }
        return writer.bytes
    }
}
