#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EventLabCore

/// The C library's rename, which `FileSystem.rename` would otherwise shadow.
private func systemRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }

/// The directory operations the workspace needs, each failing with a storage error.
enum FileSystem {
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Creates `path` and any missing parents.
    static func createDirectory(_ path: String) throws(BrokerError) {
        var partial = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            partial += "/" + component
            if exists(partial) { continue }
            if !FileFaults.changeAllowed(partial) || mkdir(partial, 0o755) != 0 && errno != EEXIST { throw storageError("creating the directory", partial) }
        }
    }

    /// The names in a directory, sorted, without `.` and `..`.
    static func list(_ path: String) throws(BrokerError) -> [String] {
        guard let directory = opendir(path) else { throw storageError("listing", path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// A file's size in bytes, or nil if it cannot be read.
    static func size(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Removes a file; a missing file is fine.
    static func remove(_ path: String) throws(BrokerError) {
        guard FileFaults.changeAllowed(path), unlink(path) == 0 else {
            if errno == ENOENT { return }
            throw storageError("removing", path)
        }
        FileFaults.removed(path)
    }

    /// Removes a directory and everything in it.
    static func removeTree(_ path: String) throws(BrokerError) {
        guard exists(path) else { return }
        if isDirectory(path) {
            for name in try list(path) { try removeTree(path + "/" + name) }
            if !FileFaults.changeAllowed(path) || rmdir(path) != 0 { throw storageError("removing", path) }
        } else {
            try remove(path)
        }
    }

    /// Renames atomically: afterwards `to` is either the old or the new file, never a mix.
    static func rename(_ from: String, to: String) throws(BrokerError) {
        if !FileFaults.changeAllowed(to) || systemRename(from, to) != 0 { throw storageError("renaming \(from) to", to) }
    }

    /// Makes a directory's entries (new, renamed and removed files) durable.
    static func syncDirectory(_ path: String) throws(BrokerError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw storageError("opening the directory", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw storageError("syncing the directory", path) }
    }

    /// Replaces a small file whole: write a temporary file, sync it, rename it over the old one.
    static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(BrokerError) {
        let temporary = path + ".tmp"
        do throws(BrokerError) {
            let file = try LogFile(path: temporary, create: true)
            try file.truncate(to: 0)
            try file.write(bytes, at: 0)
            try file.sync()
        } catch {
            _ = unlink(temporary)
            throw error
        }
        try rename(temporary, to: path)
        try syncDirectory(parent(of: path))
    }

    /// The whole contents of a file, or nil if it does not exist.
    static func read(_ path: String) throws(BrokerError) -> [UInt8]? {
        guard exists(path) else { return nil }
        let file = try LogFile(path: path)
        return try file.read(at: 0, count: try file.size())
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
