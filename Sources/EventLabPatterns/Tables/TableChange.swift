/// What applying one record did to a table.
public enum TableChange: Hashable, Sendable {
    /// The key took the record's value; `added` when the table did not hold the key before.
    case stored(added: Bool)
    /// A tombstone: the key is gone; `existed` when the table held it.
    case deleted(existed: Bool)
    /// The record was left out of the table for `reason`; the position still moved past it.
    case skipped(TableSkip)
    /// The record lies below the table's position in its partition: it was applied before,
    /// so replaying it after a restart changes nothing.
    case alreadyApplied
}

/// Why a table left a record out.
public enum TableSkip: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// The record has no key, and a table keeps the last value per key.
    case noKey

    public var description: String {
        switch self {
        case .noKey: "no key: a table keeps the last value per key, so a record without one has nowhere to go"
        }
    }
}
