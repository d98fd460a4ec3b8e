import Foundation

/// The transcripts named on a command line: files as given, and in a directory its `*.txt`
/// files in name order (its README.md is not one, nor is a hidden file).
public enum TranscriptFiles {
    /// The transcript files `paths` name.
    ///
    /// - Throws: for a path that does not exist, or a directory that holds no transcripts, so a
    ///   mistyped path never passes as "nothing to check".
    public static func collect(_ paths: [String]) throws(ShellError) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ShellError("\(path) does not exist: give a transcript file or a directory of them")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            // Hidden files are an editor's (a lock, a backup), not transcripts.
            let transcripts = names.filter { $0.hasSuffix(".txt") && !$0.hasPrefix(".") }.sorted()
            guard !transcripts.isEmpty else { throw ShellError("\(path) holds no transcripts (*.txt files): nothing to verify there") }
            let directory = path.hasSuffix("/") ? path : path + "/"
            files += transcripts.map { directory + $0 }
        }
        return files
    }
}
