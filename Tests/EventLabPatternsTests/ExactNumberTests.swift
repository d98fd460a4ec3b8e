import Testing
@testable import EventLabPatterns

@Suite("Exact numbers")
struct ExactNumberTests {
    func number(_ text: String) throws -> ExactNumber {
        guard case .number(let number) = try JSONParser.parse(text) else { throw JSONError(offset: 0, message: "not a number") }
        return number
    }

    @Test("0.1 + 0.2 is exactly 0.3, and decimals print without trailing zeros")
    func decimalsAreExact() throws {
        let sum = try ExactNumber.adding(number("0.1"), number("0.2"))
        #expect(sum == (try number("0.3")))
        #expect(sum.description == "0.3")
        #expect(try number("1.50").description == "1.5")
        #expect(try number("2.000").description == "2")
        #expect(try number("-0").description == "0")
        #expect(try number("-0.05").description == "-0.05")
        #expect(try number("1.5e3").description == "1500")
        #expect(try number("15e-1").description == "1.5")
        #expect(try ExactNumber.multiplying(number("19.99"), number("3")).description == "59.97")
        #expect(try ExactNumber.subtracting(number("100"), number("0.01")).description == "99.99")
    }

    @Test("results that do not fit 64 bits or 18 decimals are errors, never rounded or trapped")
    func overflowIsAnError() throws {
        let max = ExactNumber(Int64.max)
        #expect(throws: NumberError.tooLarge) { try ExactNumber.adding(max, ExactNumber(1)) }
        #expect(throws: NumberError.tooLarge) { try ExactNumber.subtracting(ExactNumber(Int64.min), ExactNumber(1)) }
        #expect(throws: NumberError.tooLarge) { try ExactNumber.multiplying(max, ExactNumber(2)) }
        #expect(throws: NumberError.tooLarge) { try ExactNumber.negating(ExactNumber(Int64.min)) }
        #expect(throws: NumberError.tooPrecise) {
            try ExactNumber.multiplying(self.number("0.0000000001"), self.number("0.0000000001"))
        }
        #expect(throws: JSONError.self) { try JSONParser.parse("9223372036854775808") }
        #expect(throws: JSONError.self) { try JSONParser.parse("0.0000000000000000001") }
        #expect(throws: JSONError.self) { try JSONParser.parse("1e400") }
        #expect(try number("9223372036854775807").mantissa == Int64.max)
        #expect(try number("-9223372036854775808").mantissa == Int64.min)
        #expect(try number("0e999999") == ExactNumber(0))
        #expect(try number("1." + String(repeating: "0", count: 1_000)).description == "1")
        #expect(try number("1" + String(repeating: "0", count: 18)).description == "1000000000000000000")
        #expect(throws: JSONError.self) { try JSONParser.parse("1" + String(repeating: "0", count: 19)) }
    }

    @Test("division is exact when the quotient ends within 10 decimals, else rounded half to even there")
    func division() throws {
        #expect(try ExactNumber.dividing(ExactNumber(10), ExactNumber(4)).description == "2.5")
        #expect(try ExactNumber.dividing(ExactNumber(1), ExactNumber(3)).description == "0.3333333333")
        #expect(try ExactNumber.dividing(ExactNumber(2), ExactNumber(3)).description == "0.6666666667")
        #expect(try ExactNumber.dividing(ExactNumber(-2), ExactNumber(3)).description == "-0.6666666667")
        #expect(try ExactNumber.dividing(ExactNumber(1), ExactNumber(1024)).description == "0.0009765625")
        // Half to even at the tenth decimal: ...25 → ...2, ...35 → ...4.
        #expect(try ExactNumber.dividing(number("0.0000000025"), ExactNumber(10)).description == "0.0000000002")
        #expect(try ExactNumber.dividing(number("0.0000000035"), ExactNumber(10)).description == "0.0000000004")
        #expect(try ExactNumber.dividing(number("7.5"), number("0.5")).description == "15")
        #expect(try ExactNumber.dividing(ExactNumber(Int64.max), ExactNumber(3)).description == "3074457345618258602")
        #expect(throws: NumberError.divisionByZero) { try ExactNumber.dividing(ExactNumber(1), ExactNumber(0)) }
        #expect(throws: NumberError.tooLarge) { try ExactNumber.dividing(ExactNumber(Int64.max), self.number("0.5")) }
        #expect(try ExactNumber.remainder(ExactNumber(-7), ExactNumber(3)).description == "-1")
        #expect(try ExactNumber.remainder(number("7.5"), ExactNumber(2)).description == "1.5")
        #expect(throws: NumberError.divisionByZero) { try ExactNumber.remainder(ExactNumber(1), ExactNumber(0)) }
    }

    @Test("numbers compare by value whatever their scale")
    func comparison() throws {
        #expect(try number("1.10") == number("1.1"))
        #expect(try number("0.999") < number("1"))
        #expect(try number("-2.5") < number("-2.4"))
        #expect(try !(number("3") < number("3.0")))
    }
}
