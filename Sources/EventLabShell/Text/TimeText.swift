/// Times and durations as a person types and reads them: UTC ISO 8601 and `8d`, `1h30m`.
enum TimeText {
    /// `2024-01-01T00:00:05Z`, with milliseconds only when there are some.
    ///
    /// Any `Int64` formats, for a stored record may hold −2^63 or 2^63−1: years past 9999 get
    /// more digits and years before 1 a minus sign (ISO 8601's expanded years).
    static func format(_ milliseconds: Int64) -> String {
        let seconds = milliseconds.floorDivided(by: 1000)
        let millis = milliseconds.floorRemainder(1000)
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds.floorRemainder(86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        return text + (millis == 0 ? "Z" : ".\(pad(millis, 3))Z")
    }

    /// A record's time: `format(milliseconds)`, marked as a time that varies (`Varying`) when
    /// `varies` (a time read from the system clock), or `no time` for -1, Kafka's "no timestamp",
    /// which a magic-0 message (Kafka 0.8–0.9) carries.
    static func format(_ milliseconds: Int64, varies: Bool) -> String {
        if milliseconds == noTimestamp { return "no time" }
        return varies ? Varying.mark(format(milliseconds), as: .time) : format(milliseconds)
    }

    /// Kafka's "no timestamp".
    static let noTimestamp: Int64 = -1

    /// Milliseconds since the epoch for `2024-01-01T00:00:05Z`, `2024-01-01T00:00:05.250Z`,
    /// `2024-01-01` or a plain number of milliseconds.
    static func parseTime(_ text: String) -> Int64? {
        if let number = Int64(text) { return number }
        let characters = Array(text)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= characters.count else { return nil }
            return Int64(String(characters[range]))
        }
        guard characters.count >= 10, characters[4] == "-", characters[7] == "-",
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), (1...31).contains(day),
              // 2024-02-30 is no day: refused rather than read as 2024-03-01.
              civilDate(daysSinceEpoch: daysSinceEpoch(year: year, month: month, day: day)) == (year, month, day)
        else { return nil }
        var milliseconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400_000
        if characters.count == 10 { return milliseconds }
        guard characters.count >= 20, characters[10] == "T", characters[13] == ":", characters[16] == ":",
              characters.last == "Z", let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              hour < 24, minute < 60, second < 60
        else { return nil }
        milliseconds += ((hour * 60 + minute) * 60 + second) * 1000
        if characters.count == 20 { return milliseconds }
        guard characters[19] == ".", let fraction = number(20..<(characters.count - 1)), characters.count - 21 <= 3 else { return nil }
        let scale: Int64 = [100, 10, 1][characters.count - 22]
        return milliseconds + fraction * scale
    }

    /// Milliseconds in `8d`, `12h`, `30m`, `45s`, `500ms`, or combinations like `1h30m`; nil
    /// if `text` is not a duration.
    ///
    /// - Throws: for a duration longer than `Int64.max` milliseconds, naming that longest one
    ///   and `name` (the option or command it was given to).
    static func parseDuration(_ text: String, for name: String) throws(ShellError) -> Int64? {
        var parts: [(digits: Substring, unit: Int64)] = []
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(digits.count)
            guard !digits.isEmpty else { return nil }
            let units: [(String, Int64)] = [("ms", 1), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("w", 7 * 86_400_000)]
            guard let (suffix, unit) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(suffix.count)
            parts.append((digits, unit))
        }
        var total: Int64 = 0
        for part in parts {
            guard let amount = Int64(part.digits) else { throw tooLong(name, text) }
            let (product, overflow) = amount.multipliedReportingOverflow(by: part.unit)
            let (sum, overflowSum) = total.addingReportingOverflow(product)
            guard !overflow, !overflowSum else { throw tooLong(name, text) }
            total = sum
        }
        return total
    }

    private static func tooLong(_ name: String, _ text: String) -> ShellError {
        ShellError("\(name) \(text) is longer than the longest duration, \(formatDuration(.max)) (\(Int64.max) ms): give a shorter one")
    }

    /// `7d`, `1h30m`, `250ms`: the largest units that divide the duration.
    static func formatDuration(_ milliseconds: Int64) -> String {
        guard milliseconds > 0 else { return "0s" }
        var rest = milliseconds
        var parts = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] where rest >= size {
            parts += "\(rest / size)\(unit)"
            rest %= size
        }
        return parts
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Howard Hinnant's days-from-civil, exact for the proleptic Gregorian calendar.
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civilDate(daysSinceEpoch days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// The remainder of `floorDivided(by:)`, from 0 up to `divisor` (positive), computed
    /// without multiplying back, which would overflow near `Int64.min`.
    func floorRemainder(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
