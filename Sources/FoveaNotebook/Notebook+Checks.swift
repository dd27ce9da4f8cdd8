import Fovea
import Foundation

// Checks record their result (they survive -O, unlike `assert`); `finish()` exits non-zero if any
// failed. The comparisons themselves are in Checks.swift.

extension Notebook {
    /// Checks that a number (`Float` or `Double`) equals what it should be:
    /// `|actual − expected| ≤ tolerance`.
    ///
    ///     nb.check("the hand loop equals conv2d", actual: byHand, expected: y.item(), tolerance: 1e-5)
    ///
    /// The result, with both numbers and their difference, is printed and recorded; the lesson
    /// goes on either way, and ``finish()`` exits with status 1 if any check failed.
    ///
    /// - Precondition: `tolerance` is positive and finite: a constant chosen for the computation
    ///   (1e-5 for Float32 arithmetic, 1e-9 for Float64), never derived from the data.
    /// - Returns: whether the check passed.
    @discardableResult
    public func check(_ name: String, actual: some BinaryFloatingPoint, expected: some BinaryFloatingPoint,
                      tolerance: Double, filePath: String = #filePath, line: Int = #line) -> Bool {
        validate(tolerance: tolerance, name)
        let (passed, detail, summary) = compare(actual: Double(actual), expected: Double(expected), tolerance: tolerance)
        return recordCheck(name: name, passed: passed, detail: detail, summary: summary, filePath: filePath, line: line)
    }

    /// Checks that two tensors agree: the same shape, and `|actual − expected| ≤ tolerance` for
    /// every element. The largest difference and where it is are reported.
    ///
    ///     nb.check("autograd equals the hand gradient", actual: w.grad!, expected: byHand, tolerance: 1e-9)
    ///
    /// - Precondition: `tolerance` is positive and finite.
    /// - Returns: whether the check passed; a shape mismatch fails with both shapes in the message.
    @discardableResult
    public func check(_ name: String, actual: Tensor, expected: Tensor, tolerance: Double,
                      filePath: String = #filePath, line: Int = #line) -> Bool {
        validate(tolerance: tolerance, name)
        let (passed, detail, summary) = compare(actual: actual, expected: expected, tolerance: tolerance)
        return recordCheck(name: name, passed: passed, detail: detail, summary: summary, filePath: filePath, line: line)
    }

    /// Checks that a number lies in a range: for claims such as "accuracy is well above chance",
    /// which have bounds rather than an exact value.
    ///
    ///     nb.check("test accuracy is well above chance", actual: accuracy, in: 0.5...1)
    @discardableResult
    public func check(_ name: String, actual: some BinaryFloatingPoint, in range: ClosedRange<Double>,
                      filePath: String = #filePath, line: Int = #line) -> Bool {
        let value = Double(actual)
        let passed = range.contains(value)  // NaN is in no range
        let detail = "actual \(String(format: "%.6g", value)) \(passed ? "in" : "not in") [\(range.lowerBound), \(range.upperBound)]"
        let summary = "\(String(format: "%.3g", value)) \(passed ? "in" : "not in") \(String(format: "%g", range.lowerBound))…\(String(format: "%g", range.upperBound))"
        return recordCheck(name: name, passed: passed, detail: detail, summary: summary, filePath: filePath, line: line)
    }

    @discardableResult
    package func recordCheck(name: String, passed: Bool, detail: String, summary: String? = nil, filePath: String, line: Int) -> Bool {
        let cell = state.withLock { $0.cells[$0.cells.count - 1].title }
        let result = CheckResult(name: name, passed: passed, detail: detail, summary: summary ?? detail, cell: cell, file: filePath, line: line)
        let place = passed ? "" : "  (\((filePath as NSString).lastPathComponent):\(line))"
        // A pass is one short line; a failure shows every number, and where the check is.
        let echo = terminal.styled("\(result.mark) \(name)", passed ? .passed : .failed)
            + (passed ? " (\(result.summary))" : ": \(detail)" + place)
        record(.check(result), echo: echo)
        return passed
    }
}
