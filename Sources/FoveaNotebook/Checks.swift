import Fovea
import Foundation

// Checks compare a number the lesson computed with the number it should be. They record their
// result instead of trapping (an `assert` disappears under -O), and `Notebook.finish()` exits
// non-zero if any failed. A check passes when |actual − expected| ≤ tolerance for every element,
// with a positive, constant tolerance; NaN never passes.

/// The result of one `check`: its name, whether it passed, and the numbers behind it.
public struct CheckResult: Equatable, Sendable {
    /// What was checked, in the lesson's words ("conv2d equals the hand loop").
    public var name: String
    public var passed: Bool
    /// The numbers: actual, expected, the (largest) difference and the tolerance, or why the
    /// shapes differ.
    public var detail: String
    /// The same in a few characters, for a passing check's line: `|Δ| 0 ≤ 1e-12`, `0.42 in 0…0.75`.
    public var summary: String
    /// The title of the cell the check ran in.
    public var cell: String
    /// Where the check was called.
    public var file: String
    public var line: Int

    /// `✓` or `✗`.
    public var mark: String { passed ? "✓" : "✗" }
}

/// Compares two numbers: passes when `|actual − expected| ≤ tolerance`.
package func compare(actual: Double, expected: Double, tolerance: Double) -> (passed: Bool, detail: String, summary: String) {
    let difference = Swift.abs(actual - expected)
    let passed = difference <= tolerance
    let detail = "actual \(number(actual)), expected \(number(expected)), "
        + "|difference| \(small(difference)) \(passed ? "≤" : ">") tolerance \(small(tolerance))"
    return (passed, detail, "|Δ| \(small(difference)) \(passed ? "≤" : ">") \(small(tolerance))")
}

/// Compares two tensors: shapes first, then every element; reports the largest difference and
/// where it is. A NaN in either tensor fails at the first such element.
package func compare(actual: Tensor, expected: Tensor, tolerance: Double) -> (passed: Bool, detail: String, summary: String) {
    guard actual.shape == expected.shape else {
        let detail = "shapes differ: actual \(actual.shape), expected \(expected.shape)"
        return (false, detail, detail)
    }
    let (a, e) = (actual.doubles, expected.doubles)
    guard !a.isEmpty else { return (true, "shape \(actual.shape), no elements", "no elements") }
    var worst = 0
    var worstDifference = -1.0
    for i in a.indices {
        let difference = Swift.abs(a[i] - e[i])
        if difference.isNaN { (worst, worstDifference) = (i, .nan); break }
        if difference > worstDifference { (worst, worstDifference) = (i, difference) }
    }
    let passed = worstDifference <= tolerance
    let detail = "shape \(actual.shape), max |difference| \(small(worstDifference)) at \(multiIndex(worst, shape: actual.shape)) "
        + "(actual \(number(a[worst])), expected \(number(e[worst]))) \(passed ? "≤" : ">") tolerance \(small(tolerance))"
    return (passed, detail, "max |Δ| \(small(worstDifference)) \(passed ? "≤" : ">") \(small(tolerance))")
}

/// Checks that a tolerance is a positive, finite constant: a programmer error otherwise.
package func validate(tolerance: Double, _ name: String) {
    require(tolerance > 0 && tolerance.isFinite, "check \"\(name)\": tolerance \(tolerance) must be positive and finite")
}

/// A number with up to 7 significant digits: `3`, `0.1234568`, `1.5e-08`.
package func number(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    return String(format: "%.7g", value)
}

/// A difference or tolerance, in scientific notation when small: `0`, `2.4e-07`, `0.5`.
package func small(_ value: Double) -> String {
    if value == 0 { return "0" }
    if !value.isFinite || Swift.abs(value) >= 1e-3 { return number(value) }
    return String(format: "%.2g", value)
}

/// The row-major position `flat` as an index per axis: `[1, 2]`.
private func multiIndex(_ flat: Int, shape: [Int]) -> [Int] {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.count)
    for axis in shape.indices.reversed() where shape[axis] > 0 {
        index[axis] = rest % shape[axis]
        rest /= shape[axis]
    }
    return index
}
