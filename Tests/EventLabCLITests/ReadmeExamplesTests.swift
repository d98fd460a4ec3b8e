import Foundation
import Testing

/// The README's pattern sections as a learner meets them: typed in order into a fresh session.
@Suite("The README's pattern examples")
struct ReadmeExamplesTests {
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The typed lines and the printed lines of the code blocks from "Event sourcing: aggregates"
    /// up to "For teachers": `eventlab> ` starts a command, `...> ` continues it.
    static func examples() throws -> (typed: [String], shown: [String]) {
        let readme = try String(contentsOf: checkout.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "## Event sourcing: aggregates"))
        let end = try #require(lines.firstIndex(of: "## For teachers"))
        var (typed, shown): ([String], [String]) = ([], [])
        var inBlock = false
        for line in lines[start..<end] {
            if line.hasPrefix("```") { inBlock.toggle(); continue }
            guard inBlock else { continue }
            if line.hasPrefix("eventlab> ") {
                typed.append(String(line.dropFirst("eventlab> ".count)))
            } else if let range = line.range(of: "...> "), line[..<range.lowerBound].allSatisfy({ $0 == " " }) {
                typed.append(String(line[range.upperBound...]))
            } else {
                shown.append(line)
            }
        }
        return (typed, shown)
    }

    @Test("typed in order, the aggregate, command, projection and upcaster examples all run and print what the README shows")
    func patternSectionsRunInOrder() throws {
        let (typed, shown) = try Self.examples()
        #expect(typed.count > 10)
        let result = try EventLabRun.run(["--memory", "--clock", "logical"], input: typed.joined(separator: "\n") + "\n")
        #expect(result.status == 0)
        #expect(!result.stdout.contains("error:") && !result.stderr.contains("error:"), "\(result.stdout)\(result.stderr)")
        let printed = Set(result.stdout.split(separator: "\n").map(String.init))
        for line in shown where !line.contains("…") {
            #expect(printed.contains(line), "the README shows `\(line)`, which the session does not print:\n\(result.stdout)")
        }
    }

    @Test("the examples of help aggregate, command, send and projection, typed in order on the README's topic, all run")
    func helpExamplesRunInOrder() throws {
        let help = try EventLabRun.run(["--memory", "-c", "help aggregate; help command; help send; help projection"])
        let defining = ["aggregate create account ", "aggregate account on ", "command withdraw --", "command deposit --", "projection create balances ", "projection balances on "]
        let examples = help.stdout.split(separator: "\n").map { $0.drop { $0 == " " } }
            .filter { line in defining.contains { line.hasPrefix($0) } }.map(String.init)
        #expect(examples.count >= 8, "\(help.stdout)")
        let session = ["topic create accounts --partitions 3 --retention forever"] + examples
            + [#"send deposit {"account":"a-1","amount":100}"#, #"send withdraw {"account":"a-1","amount":30}"#, "query balances a-1"]
        let result = try EventLabRun.run(["--memory", "--clock", "logical"], input: session.joined(separator: "\n") + "\n")
        #expect(result.status == 0)
        #expect(!result.stdout.contains("error:") && !result.stderr.contains("error:"), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(#"account a-1 is at version 2: {"balance":70}"#), "\(result.stdout)")
    }

    @Test("the learner's documents name no Swift API of the implementation")
    func noSwiftNames() throws {
        let patterns = Self.checkout.appendingPathComponent("patterns")
        let files = try FileManager.default.contentsOfDirectory(atPath: patterns.path).filter { $0.hasSuffix(".md") }
            .map { patterns.appendingPathComponent($0) } + [Self.checkout.appendingPathComponent("README.md")]
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for swift in ["(_:", "Flows.", "()`"] {
                #expect(!text.contains(swift), "\(file.lastPathComponent) names a Swift API (`\(swift)`)")
            }
        }
    }
}
