/// Times and durations as a person types and reads them: UTC ISO 8601 and `8d`, `1h30m`.
enum TimeText {
    /// `2024-01-01T00:00:05Z`, with milliseconds only when there are some.
    static func format(_ milliseconds: Int64) -> String {
        let seconds = milliseconds.floorDivided(by: 1000)
        let millis = milliseconds - seconds * 1000
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        return text + (millis == 0 ? "Z" : ".\(pad(millis, 3))Z")
    }

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
              (1...12).contains(month), (1...31).contains(day)
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

    /// Milliseconds in `8d`, `12h`, `30m`, `45s`, `500ms`, or combinations like `1h30m`.
    static func parseDuration(_ text: String) -> Int64? {
        var total: Int64 = 0
        var digits = ""
        var characters = Array(text)[...]
        guard !characters.isEmpty else { return nil }
        while let character = characters.first {
            if character.isNumber {
                digits.append(character)
                characters = characters.dropFirst()
                continue
            }
            guard let amount = Int64(digits) else { return nil }
            let unit: Int64
            if characters.starts(with: "ms") {
                unit = 1
                characters = characters.dropFirst(2)
            } else {
                switch character {
                case "d": unit = 86_400_000
                case "h": unit = 3_600_000
                case "m": unit = 60_000
                case "s": unit = 1000
                case "w": unit = 7 * 86_400_000
                default: return nil
                }
                characters = characters.dropFirst()
            }
            let (product, overflow) = amount.multipliedReportingOverflow(by: unit)
            guard !overflow else { return nil }
            total += product
            digits = ""
        }
        return digits.isEmpty ? total : nil
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
}
