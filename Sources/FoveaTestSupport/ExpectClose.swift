import Fovea
import Testing

/// Checks `|actual − expected| ≤ atol + rtol·|expected|` element by element (shapes first), and on
/// failure records the label, the worst index with both values, and the first pairs.
public func expectClose(_ actual: Tensor, _ expected: Tensor, atol: Double, rtol: Double, _ label: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.shape == expected.shape else {
        Issue.record("\(label): shape \(actual.shape) but expected \(expected.shape)", sourceLocation: sourceLocation)
        return
    }
    let a = actual.doubles, e = expected.doubles
    var worst = -1, worstExcess = 0.0, failures = 0, maxAbs = 0.0
    for i in a.indices {
        let error = abs(a[i] - e[i])
        maxAbs = max(maxAbs, error.isNaN ? .infinity : error)
        let allowed = atol + rtol * abs(e[i])
        if !(error <= allowed) {
            failures += 1
            let excess = error.isNaN ? .infinity : error / allowed
            if worst < 0 || excess > worstExcess { worst = i; worstExcess = excess }
        }
    }
    if failures > 0 {
        let pairs = a.indices.prefix(5).map { "(\(a[$0]), \(e[$0]))" }.joined(separator: " ")
        Issue.record("""
            \(label): \(failures) of \(a.count) elements differ (atol \(atol), rtol \(rtol)); max abs error \(maxAbs); \
            worst at flat index \(worst): \(a[worst]) vs expected \(e[worst]); first pairs (actual, expected): \(pairs)
            """, sourceLocation: sourceLocation)
    }
}

/// The tolerances for comparing Float32 results with Float64 references (DECISIONS.md).
public enum Tolerance {
    public static let float32 = (atol: 1e-5, rtol: 1e-4)
    /// Float64 against Float64: only rounding differs.
    public static let float64 = (atol: 1e-10, rtol: 1e-9)
}
