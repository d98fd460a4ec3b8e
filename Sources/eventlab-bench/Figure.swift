/// One measured figure, such as `memory_append_batch100_rps`.
struct Figure {
    var name: String
    var value: Double
    var unit: String

    /// `{"figure": NAME, "value": NUMBER, "unit": TEXT}`.
    var json: String {
        #"{"figure": "\#(name)", "value": \#(Self.format(value)), "unit": "\#(unit)"}"#
    }

    /// The figures as table rows, aligned for names up to 32 characters.
    static func table(_ figures: [Figure]) -> String {
        let width = max(32, figures.map(\.name.count).max() ?? 0)
        return figures.map { figure in
            let value = format(figure.value)
            return figure.name + String(repeating: " ", count: width + 2 - figure.name.count)
                + String(repeating: " ", count: max(0, 14 - value.count)) + value + "  " + figure.unit
        }.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String {
        value >= 100 ? String(Int(value.rounded())) : String(Double(Int((value * 100).rounded())) / 100)
    }
}

/// Times `body` `runs` times and returns the median duration in seconds.
func medianSeconds(runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var samples: [Double] = []
    for _ in 0..<runs {
        let clock = ContinuousClock()
        let elapsed = try clock.measure(body)
        samples.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    return samples.sorted()[samples.count / 2]
}
