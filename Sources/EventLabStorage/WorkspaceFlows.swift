import EventLabCore
import Synchronization

/// The workspace's flow definitions: the commands that define its services and tables, one per
/// line, as text the shell writes and reads back. On disk they are the workspace's `flows` file,
/// replaced whole on each save; ``init()`` is the memory twin, for a session that keeps nothing.
///
/// Saves take turns, so two never write the same temporary file. The file belongs to the
/// workspace, so a store on disk is used only while its workspace is open.
public final class WorkspaceFlows: Sendable {
    /// The `flows` file, or nil in memory.
    public let path: String?
    /// In memory, what was saved last; on disk nothing, but held while saving, so saves take turns.
    private let saved = Mutex<String?>(nil)

    /// The definitions kept in memory, none at first.
    public init() {
        path = nil
    }

    /// The definitions in the workspace directory `directory`.
    init(directory: String) {
        path = directory + "/flows"
    }

    /// The definitions saved last, or nil when none were ever saved (a workspace that EventLab
    /// wrote before it kept any has no file).
    ///
    /// - Throws: `KAFKA_STORAGE_ERROR` when the file cannot be read or is not UTF-8 text.
    public func load() throws(BrokerError) -> String? {
        guard let path else { return saved.withLock { $0 } }
        guard let bytes = try FileSystem.read(path) else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw BrokerError(
                .kafkaStorageError,
                "\(path) is not UTF-8 text (line \(Self.firstInvalidLine(bytes)) is not): it holds the commands that define the workspace's services and tables, one per line; "
                    + "restore it as UTF-8 text, or delete it to open the workspace without them")
        }
        return text
    }

    /// Replaces the saved definitions with `text`, all or nothing: on disk a temporary file is
    /// written and synced, then renamed over the old one.
    ///
    /// - Throws: `KAFKA_STORAGE_ERROR` when the file cannot be written; the old text is kept.
    public func save(_ text: String) throws(BrokerError) {
        try saved.withLock { saved throws(BrokerError) in
            if let path { try FileSystem.writeAtomically(path, Array(text.utf8)) } else { saved = text }
        }
    }

    /// The line, counted from 1, of the first bytes in `bytes` that are not UTF-8.
    private static func firstInvalidLine(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var line = 1
        while case .scalarValue(let scalar) = decoder.decode(&iterator) {
            if scalar == "\n" { line += 1 }
        }
        return line
    }
}
