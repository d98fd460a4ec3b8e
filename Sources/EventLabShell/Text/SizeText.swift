/// Byte sizes as a person types and reads them: `10MB`, `512KB`, `1GB` (powers of 1024, as
/// Kafka's documentation counts), or a plain number of bytes.
enum SizeText {
    static func parse(_ text: String) -> Int64? {
        let upper = text.uppercased()
        for (suffix, scale) in [("KB", Int64(1024)), ("MB", 1 << 20), ("GB", 1 << 30), ("B", 1)] where upper.hasSuffix(suffix) {
            guard let amount = Int64(upper.dropLast(suffix.count)), amount >= 0 else { return nil }
            let (bytes, overflow) = amount.multipliedReportingOverflow(by: scale)
            return overflow ? nil : bytes
        }
        return Int64(text).flatMap { $0 >= 0 ? $0 : nil }
    }

    static func format(_ bytes: Int64) -> String {
        for (suffix, scale) in [("GB", Int64(1 << 30)), ("MB", 1 << 20), ("KB", 1024)] where bytes >= scale && bytes % scale == 0 {
            return "\(bytes / scale)\(suffix)"
        }
        return "\(bytes)B"
    }
}
