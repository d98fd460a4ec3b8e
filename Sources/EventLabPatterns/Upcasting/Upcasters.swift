import EventLabCore

/// The upcasters in force, numbered for the session's life (a number is never given twice), and
/// applied in number order as a chain: an upcaster sees the event the ones before it left, so
/// `v1 → v2` then `v2 → v3` turns a `v1` event into a `v3` one.
///
/// Every service, aggregate and projection carries the same upcasters and applies them to each
/// record before its own rules read it, matching an upcaster's type where it reads its own: a
/// field (by default `type`), which an upcaster's template may change for the next upcaster in
/// the chain; or a header, which an upcaster leaves as it is — it rewrites only the value —
/// so every upcaster of a header-typed reader's chain matches the header's type. Tables copy
/// values as the log holds them and are not upcast.
public struct Upcasters: Sendable, Equatable {
    /// An upcaster with its number.
    public typealias Numbered = NumberedRules<Upcaster>.Numbered

    /// A record after the upcasters, with the numbers of those that applied, in order.
    public struct Upcast: Sendable, Equatable {
        public var record: Record
        public var applied: [Int]
    }

    /// The upcasters, in number order.
    public var all: [Numbered] { book.all }
    /// The number the next upcaster added without one gets.
    public var nextNumber: Int { book.nextNumber }
    /// True when there are none: then a record is read as it is, at the cost of one check.
    public var isEmpty: Bool { book.all.isEmpty }
    private var book = NumberedRules<Upcaster>()

    /// No upcasters.
    public init() {}

    /// Adds `upcaster` and returns its number: the next, or `number` when given (as saved flows
    /// give each upcaster its own) and no upcaster has it now.
    @discardableResult
    public mutating func add(_ upcaster: Upcaster, number wanted: Int? = nil) throws(UpcastError) -> Int {
        do throws(NumberedRules<Upcaster>.NumberError) {
            return try book.add(upcaster, number: wanted)
        } catch {
            throw Self.error(error)
        }
    }

    /// Puts `upcaster` in place of upcaster `number`, which keeps its number.
    public mutating func replace(_ number: Int, with upcaster: Upcaster) throws(UpcastError) {
        do throws(NumberedRules<Upcaster>.NumberError) {
            try book.replace(number, with: upcaster)
        } catch {
            throw Self.error(error)
        }
    }

    /// Removes upcaster `number`; the others keep their numbers.
    public mutating func remove(_ number: Int) throws(UpcastError) {
        do throws(NumberedRules<Upcaster>.NumberError) {
            try book.remove(number)
        } catch {
            throw Self.error(error)
        }
    }

    /// Makes the next upcaster added without a number get at least `number`, as the ones
    /// removed since kept theirs.
    public mutating func numberFrom(_ number: Int) {
        book.numberFrom(number)
    }

    /// Each upcaster as `N. on TYPE … to …`: what `upcast list` shows, and what an aggregate's
    /// fingerprint mixes in, so state folded under other upcasters is not reused.
    public var lines: [String] { all.map { "\($0.number). \($0.rule.source)" } }

    public static func == (a: Upcasters, b: Upcasters) -> Bool {
        a.nextNumber == b.nextNumber && a.lines == b.lines
    }

    /// `record`, read at `partition` by a reader that finds event types at `typeSource`, as the
    /// upcasters make it.
    public func apply(
        _ record: Record, partition: Int32 = 0, typeSource: EventTypeSource = .field("type")
    ) -> Result<Record, UpcastFailure> {
        upcast(record, partition: partition, typeSource: typeSource).map(\.record)
    }

    /// `apply(_:partition:typeSource:)` with the numbers of the upcasters that applied.
    public func upcast(
        _ record: Record, partition: Int32 = 0, typeSource: EventTypeSource = .field("type")
    ) -> Result<Upcast, UpcastFailure> {
        let reader = EventTypeReader(typeSource)
        return upcast(record, partition: partition, readType: reader.read)
    }

    /// The chain over `record`, whose type `readType` reads as its reader does. A record whose
    /// type no upcaster names is returned at once: types change only through upcasters.
    func upcast(
        _ record: Record, partition: Int32, readType: (Record) -> EventTypeReader.Read
    ) -> Result<Upcast, UpcastFailure> {
        guard !isEmpty, case .type(var type) = readType(record), book.positions(for: type) != nil else {
            return .success(Upcast(record: record, applied: []))
        }
        var current = record
        var applied: [Int] = []
        for numbered in book.all where numbered.rule.eventType == type {
            let upcaster = numbered.rule
            var (part, column) = ("condition", upcaster.conditionColumn)
            do throws(EvaluationError) {
                if let condition = upcaster.condition, !(try condition.test(current, partition: partition)) { continue }
                (part, column) = ("template", upcaster.templateColumn)
                let value = try upcaster.template.evaluate(current, partition: partition)
                guard case .object = value else {
                    return .failure(UpcastFailure(
                        upcaster: numbered.number,
                        reason: "the template at column \(column) gives \(value.kind), but an event must be a JSON object"))
                }
                current.value = JSONPrinter.bytes(value)[...]
            } catch {
                return .failure(UpcastFailure(upcaster: numbered.number, reason: "\(RuleSpot.describe(part, column: column + error.column - 1, in: upcaster.source)): \(error.message)"))
            }
            applied.append(numbered.number)
            // The next upcaster matches the type this one left; with none, the chain ends.
            guard case .type(let next) = readType(current) else { break }
            type = next
        }
        return .success(Upcast(record: current, applied: applied))
    }

    private static func error(_ error: NumberedRules<Upcaster>.NumberError) -> UpcastError {
        switch error {
        case .taken(let number):
            UpcastError("there is already an upcaster \(number): `upcast replace \(number) on …` changes it")
        case .missing(let number, let known):
            UpcastError("there is no upcaster \(number): " + (known.isEmpty
                ? "there are no upcasters; add one with `upcast on TYPE to TEMPLATE`"
                : "the upcasters are \(known.map(String.init).joined(separator: ", "))"))
        }
    }
}
