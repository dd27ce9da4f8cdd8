import FoveaPlot
import Testing

@Suite("Axis and nice numbers")
struct AxisTests {
    @Test("steps are 1, 2 or 5 × 10^k", arguments: [
        (0.4, 0.5), (0.5, 0.5), (1.01, 2), (3, 5), (7, 10), (0.00031, 0.0005), (180, 200),
    ])
    func niceSteps(_ rough: Double, _ expected: Double) {
        #expect(abs(NiceNumbers.step(atLeast: rough) - expected) < 1e-12 * expected)
    }

    @Test("the nearest nice step rounds to 1, 2, 5 or 10", arguments: [(0.25, 0.2), (0.14, 0.1), (0.36, 0.5), (8, 10)])
    func nearestSteps(_ rough: Double, _ expected: Double) {
        #expect(abs(NiceNumbers.step(near: rough) - expected) < 1e-12 * expected)
    }

    @Test("a linear axis extends to round ticks: 0.3…2.3 becomes 0…2.5")
    func linear() {
        let axis = Axis.linear(from: 0.3, to: 2.3)
        #expect(axis.lower == 0 && axis.upper == 2.5)
        #expect(axis.ticks.map(\.label) == ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"])
        #expect(axis.fraction(of: 1.25) == 0.5)
    }

    @Test("a data range starting at 0 or ending on a tick is not widened past it")
    func noExtraTick() {
        let probabilities = Axis.linear(from: 0, to: 0.549)
        #expect(probabilities.lower == 0 && abs(probabilities.upper - 0.6) < 1e-12)
        let rate = Axis.linear(from: 0, to: 0.1)
        #expect(rate.lower == 0 && abs(rate.upper - 0.1) < 1e-12)
    }

    @Test("integer ticks for counts, and the exact range when not extended")
    func integerAndExact() {
        #expect(Axis.linear(from: 0, to: 3, integerTicks: true).ticks.map(\.value) == [0, 1, 2, 3])
        let epochs = Axis.linear(from: 1, to: 30, targetTicks: 8, extendToTicks: false)
        #expect(epochs.lower == 1 && epochs.upper == 30)
        #expect(epochs.ticks.map(\.label) == ["5", "10", "15", "20", "25", "30"])
    }

    @Test("a log axis has ticks at powers of ten, with 2 and 5 when the range is short")
    func logarithmic() {
        let wide = Axis.logarithmic(from: 0.01, to: 100)
        #expect(wide.ticks.map(\.label) == ["0.01", "0.1", "1", "10", "100"])
        #expect(abs(wide.fraction(of: 1) - 0.5) < 1e-12)
        let short = Axis.logarithmic(from: 0.3, to: 4)
        #expect(short.ticks.map(\.label) == ["0.5", "1", "2"])
    }

    @Test("categories sit at their index, top to bottom when asked")
    func categories() {
        let axis = Axis.categories(["a", "b", "c", "d"], topToBottom: true)
        #expect(axis.fraction(of: 0) == 0.875 && axis.fraction(of: 3) == 0.125)
    }

    @Test("labels show the decimals the step needs and use a real minus sign")
    func labels() {
        #expect(NiceNumbers.label(1.5, step: 0.5) == "1.5")
        #expect(NiceNumbers.label(0.04, step: 0.02) == "0.04")
        #expect(NiceNumbers.label(-2, step: 1) == "−2")
        #expect(NiceNumbers.label(1e-17, step: 0.1) == "0.0")
        #expect(NiceNumbers.label(2e-5, step: 1e-5) == "2e-5")
        #expect(NiceNumbers.label(1.5e6, step: 5e5) == "1.5e6")
        #expect(NumberFormat.grouped(1234567) == "1,234,567")
        #expect(NumberFormat.short(0.0123456) == "0.01235")
    }
}
