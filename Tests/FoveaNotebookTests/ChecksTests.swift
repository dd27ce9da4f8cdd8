import Foundation
import Fovea
import FoveaNotebook
import FoveaTestSupport
import Testing

@Suite("Checks")
struct ChecksTests {
    @Test("numbers pass when |actual − expected| ≤ tolerance, the boundary included")
    func numbers() {
        #expect(compare(actual: 3, expected: 3, tolerance: 1e-5).passed)
        #expect(compare(actual: 1.5, expected: 1, tolerance: 0.5).passed)
        #expect(!compare(actual: 1.5, expected: 1, tolerance: 0.25).passed)
        #expect(!compare(actual: .nan, expected: 1, tolerance: 1).passed)
        #expect(compare(actual: 1, expected: 2, tolerance: 1e-9).detail
                == "actual 1, expected 2, |difference| 1 > tolerance 1e-09")
    }

    @Test("tensors: the largest difference and where it is")
    func tensors() {
        let a = Tensor(shape: [2, 2], [1, 2, 3, 4])
        let b = Tensor(shape: [2, 2], [1, 2, 3.5, 4])
        let result = compare(actual: a, expected: b, tolerance: 0.1)
        #expect(!result.passed)
        #expect(result.detail == "shape [2, 2], max |difference| 0.5 at [1, 0] (actual 3, expected 3.5) > tolerance 0.1")
        #expect(compare(actual: a, expected: b, tolerance: 0.5).passed)
    }

    @Test("tensors of different shapes fail with both shapes")
    func shapes() {
        let result = compare(actual: Tensor(zeros: [2, 3]), expected: Tensor(zeros: [3, 2]), tolerance: 1)
        #expect(!result.passed)
        #expect(result.detail == "shapes differ: actual [2, 3], expected [3, 2]")
    }

    @Test("a NaN element fails, however large the tolerance")
    func nan() {
        let result = compare(actual: Tensor([1, .nan, 3]), expected: Tensor([1, 2, 3]), tolerance: 1e9)
        #expect(!result.passed)
        #expect(result.detail.contains("nan at [1]"))
    }

    @Test("a non-positive tolerance is a programmer error")
    func tolerance() async {
        await #expect(processExitsWith: .failure) {
            validate(tolerance: 0, "zero")
        }
    }
}

@Suite("range checks")
struct RangeCheckTests {
    @Test("a value inside the range passes, outside or NaN fails")
    func ranges() {
        let nb = Notebook("range-check-test", arguments: ["--output", TemporaryFolders.path("range")])
        nb.cell("ranges")
        #expect(nb.check("inside", actual: 0.7, in: 0.5...1))
        #expect(!nb.check("outside", actual: 0.2, in: 0.5...1))
        #expect(!nb.check("nan", actual: Double.nan, in: 0...1))
        #expect(nb.checks.map(\.passed) == [true, false, false])
    }
}
