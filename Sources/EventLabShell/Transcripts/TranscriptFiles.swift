import Foundation

/// The transcripts and lessons named on a command line: files as given, and in a directory its
/// `*.txt` files (transcripts) and `NN-*.md` files (lessons) in name order; its README.md and
/// GOALS.md are neither, nor is a hidden file.
public enum TranscriptFiles {
    /// The transcript and lesson files `paths` name.
    ///
    /// - Throws: for a path that does not exist, or a directory that holds neither, so a
    ///   mistyped path never passes as "nothing to check".
    public static func collect(_ paths: [String]) throws(ShellError) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ShellError("\(path) does not exist: give a transcript or lesson file, or a directory of them")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            // Hidden files are an editor's (a lock, a backup), not transcripts.
            let found = names.filter { ($0.hasSuffix(".txt") && !$0.hasPrefix(".")) || isLessonName($0) }.sorted()
            guard !found.isEmpty else {
                throw ShellError("\(path) holds no transcripts (*.txt files) or lessons (NN-slug.md files): nothing to verify there")
            }
            let directory = path.hasSuffix("/") ? path : path + "/"
            files += found.map { directory + $0 }
        }
        return files
    }

    /// Whether `path` is verified as a lesson: a Markdown file (a misnamed one is then reported).
    public static func isLesson(_ path: String) -> Bool { path.hasSuffix(".md") }

    /// Whether a name in a directory is a lesson's: two digits, `-`, and `.md`.
    static func isLessonName(_ name: String) -> Bool {
        let characters = Array(name)
        return name.hasSuffix(".md") && characters.count > 6 && characters[0].isASCII && characters[0].isNumber
            && characters[1].isASCII && characters[1].isNumber && characters[2] == "-"
    }
}
