import FoveaPlot
import Testing

@Suite("Normalization")
struct NormalizationTests {
    let values: [Float] = [-1, 0.5, 3, .nan, .infinity]

    @Test("each mode maps the expected interval, ignoring NaN and ±∞")
    func ranges() {
        #expect(Normalization.minMax.range(of: values) == ValueRange(lower: -1, upper: 3))
        #expect(Normalization.symmetric.range(of: values) == ValueRange(lower: -3, upper: 3))
        #expect(Normalization.fixed(0, 10).range(of: values) == ValueRange(lower: 0, upper: 10))
        #expect(Normalization.none.range(of: values) == ValueRange(lower: 0, upper: 1))
    }

    @Test("empty ranges are widened: constants take the lowest colour, zeros the centre")
    func degenerate() {
        #expect(Normalization.minMax.range(of: [Float](repeating: 2, count: 4)) == ValueRange(lower: 2, upper: 3))
        #expect(Normalization.symmetric.range(of: [Float](repeating: 0, count: 4)) == ValueRange(lower: -1, upper: 1))
        #expect(Normalization.minMax.range(of: [Float.nan]) == ValueRange(lower: 0, upper: 1))
    }

    @Test("fraction is (v − lower) / (upper − lower), clamped")
    func fraction() {
        let range = ValueRange(lower: -2, upper: 2)
        #expect(range.fraction(of: 0) == 0.5)
        #expect(range.fraction(of: 1) == 0.75)
        #expect(range.fraction(of: 5) == 1)
        #expect(range.fraction(of: -.infinity) == 0)
    }

    @Test("non-finite values are counted and reported")
    func nonFinite() {
        let count = NonFiniteCount(values)
        #expect(count == NonFiniteCount(nan: 1, infinite: 1))
        #expect(count.notes() == ["1 NaN value shown in magenta", "1 infinite value clamped to the ends of the scale"])
    }
}
