/// An exact decimal number: `mantissa × 10^-scale`, with a 64-bit mantissa and at most 18 decimal
/// places. Integers are numbers of scale 0, so `0.1 + 0.2 == 0.3` holds exactly and a balance
/// never reads `0.30000000000000004`. Every operation that would not fit reports a
/// `NumberError` instead of rounding silently or trapping.
///
/// Numbers are kept normalized (no trailing zero decimals), so `1.50` and `1.5` are the same value
/// and print the same way.
public struct ExactNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The digits, with the sign.
    public let mantissa: Int64
    /// How many of the mantissa's digits are decimals (0...18).
    public let scale: Int

    /// The most decimal places a number keeps.
    public static let maxScale = 18
    /// How many decimal places a quotient that does not end keeps (rounded half to even).
    public static let divisionScale = 10

    /// The integer `value`.
    public init(_ value: Int64) {
        mantissa = value
        scale = 0
    }

    /// `mantissa × 10^-scale`, normalized; fails when it cannot be held in 64 bits and 18 places.
    public init(mantissa: Int64, scale: Int) throws(NumberError) {
        try self.init(wide: Int128(mantissa), scale: scale)
    }

    /// Normalizes a wide mantissa: strips trailing zero decimals, then checks that it fits.
    init(wide: Int128, scale: Int) throws(NumberError) {
        // Nearly every value fits 64 bits at a scale in range: it is normalized in 64-bit
        // arithmetic, the same steps as below, as a 128-bit remainder is a library call.
        if scale >= 0, let narrow = Int64(exactly: wide) {
            var m = narrow
            var s = scale
            while s > 0 && m % 10 == 0 {
                m /= 10
                s -= 1
            }
            guard s <= Self.maxScale else { throw .tooPrecise }
            mantissa = m
            self.scale = s
            return
        }
        var m = wide
        var s = scale
        while s > 0 && m % 10 == 0 {
            m /= 10
            s -= 1
        }
        while s < 0 {
            let (product, overflow) = m.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw .tooLarge }
            m = product
            s += 1
        }
        guard s <= Self.maxScale else { throw .tooPrecise }
        guard let narrow = Int64(exactly: m) else { throw .tooLarge }
        mantissa = narrow
        self.scale = s
    }

    /// True when the number has no decimals.
    public var isInteger: Bool { scale == 0 }

    /// The canonical text: digits, a point only when there are decimals, no exponent, no `-0`.
    public var description: String {
        if scale == 0 { return String(mantissa) }
        let negative = mantissa < 0
        var digits = String(mantissa.magnitude)
        if digits.count <= scale {
            digits = String(repeating: "0", count: scale - digits.count + 1) + digits
        }
        let point = digits.index(digits.endIndex, offsetBy: -scale)
        return (negative ? "-" : "") + digits[..<point] + "." + digits[point...]
    }

    // MARK: - Arithmetic

    /// The two mantissas brought to a common scale, in 128 bits (never overflows for two Int64s).
    private static func aligned(_ a: ExactNumber, _ b: ExactNumber) -> (Int128, Int128, Int) {
        let scale = max(a.scale, b.scale)
        return (Int128(a.mantissa) * power(scale - a.scale), Int128(b.mantissa) * power(scale - b.scale), scale)
    }

    static func power(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// `a + b`, exactly.
    public static func adding(_ a: ExactNumber, _ b: ExactNumber) throws(NumberError) -> ExactNumber {
        let (x, y, scale) = aligned(a, b)
        return try ExactNumber(wide: x + y, scale: scale)
    }

    /// `a - b`, exactly.
    public static func subtracting(_ a: ExactNumber, _ b: ExactNumber) throws(NumberError) -> ExactNumber {
        let (x, y, scale) = aligned(a, b)
        return try ExactNumber(wide: x - y, scale: scale)
    }

    /// `a × b`, exactly; too many decimal places is an error, not a rounding.
    public static func multiplying(_ a: ExactNumber, _ b: ExactNumber) throws(NumberError) -> ExactNumber {
        try ExactNumber(wide: Int128(a.mantissa) * Int128(b.mantissa), scale: a.scale + b.scale)
    }

    /// `a ÷ b`: exact when the quotient ends within `divisionScale` decimals, otherwise rounded
    /// half to even at `divisionScale` decimals, or at fewer when a large quotient leaves no room
    /// in 64 bits (`1 / 3` is `0.3333333333`, `10 / 4` is `2.5`).
    public static func dividing(_ a: ExactNumber, _ b: ExactNumber) throws(NumberError) -> ExactNumber {
        guard b.mantissa != 0 else { throw .divisionByZero }
        let (x, y, _) = aligned(a, b)
        let divisor = y.magnitude
        // Long division, one decimal at a time: every intermediate stays below 10 × divisor < 2^127.
        var quotient = x.magnitude / divisor
        var rest = x.magnitude % divisor
        guard quotient <= UInt128(Int64.max) else { throw .tooLarge }
        var scale = 0
        while rest != 0 && scale < divisionScale && quotient * 10 + 9 <= UInt128(Int64.max) {
            rest *= 10
            quotient = quotient * 10 + rest / divisor
            rest %= divisor
            scale += 1
        }
        if rest * 2 > divisor || (rest * 2 == divisor && quotient % 2 == 1) { quotient += 1 }
        let negative = (x < 0) != (y < 0)
        return try ExactNumber(wide: negative ? -Int128(quotient) : Int128(quotient), scale: scale)
    }

    /// `a % b`: the remainder of the truncated quotient, with the sign of `a` (`-7 % 3` is `-1`).
    public static func remainder(_ a: ExactNumber, _ b: ExactNumber) throws(NumberError) -> ExactNumber {
        guard b.mantissa != 0 else { throw .divisionByZero }
        let (x, y, scale) = aligned(a, b)
        return try ExactNumber(wide: x % y, scale: scale)
    }

    /// `-a`.
    public static func negating(_ a: ExactNumber) throws(NumberError) -> ExactNumber {
        try ExactNumber(wide: -Int128(a.mantissa), scale: a.scale)
    }

    public static func < (a: ExactNumber, b: ExactNumber) -> Bool {
        let (x, y, _) = aligned(a, b)
        return x < y
    }
}

/// Why an exact number operation had no result.
public enum NumberError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The result needs more than 64 bits.
    case tooLarge
    /// The result needs more than 18 decimal places.
    case tooPrecise
    /// Division or remainder by zero.
    case divisionByZero

    public var description: String {
        switch self {
        case .tooLarge: "the number does not fit in 64 bits (at most 9223372036854775807 without decimals)"
        case .tooPrecise: "the number has more than 18 decimal places"
        case .divisionByZero: "division by zero"
        }
    }
}
