// Checking gradients against central finite differences.
//
// For a function f of tensors x₁…xₖ and a fixed random upstream gradient u (same shape as f's
// output), the scalar L = Σ u ⊙ f(x) has the exact gradient that autograd computes. Each of its
// partial derivatives is also approximated numerically by
//
//     ∂L/∂x[i] ≈ (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h        (error O(h²))
//
// Run in Float64, with h around 1e-6, the two agree to about 1e-8 when the backward is right.
// A random u (not all ones) catches gradients that land on the wrong element.

/// The outcome of a gradient check: the worst disagreement between autograd and finite differences.
public struct GradientCheckReport: Sendable, CustomStringConvertible {
    /// Largest |autograd − numeric| over every checked element of every input.
    public var maxAbsoluteError: Double
    /// Largest |autograd − numeric| / max(1, |numeric|).
    public var maxRelativeError: Double
    /// For each input: (max absolute error, elements checked).
    public var perInput: [(maxAbsoluteError: Double, checked: Int)]

    public var description: String {
        "max abs error \(String(maxAbsoluteError)), max rel error \(String(maxRelativeError)) over "
            + perInput.enumerated().map { "input \($0.offset): \($0.element.checked) elements" }.joined(separator: ", ")
    }
}

/// Compares autograd's gradients of `Σ upstream ⊙ f(inputs)` with central finite differences.
///
/// - Parameters:
///   - inputs: leaves to differentiate with respect to (use Float64 tensors); their
///     `requiresGrad` is set for the check. Integer inputs are skipped.
///   - step: h in the central difference.
///   - maxElements: checks at most this many elements per input (evenly spread), to bound time.
///   - rng: draws the random upstream gradient.
///   - f: the function; it must be deterministic (hold dropout masks fixed).
public func gradientCheck(_ inputs: [Tensor], step: Double = 1e-6, maxElements: Int = 2000,
                          using rng: inout some RandomNumberGenerator, _ f: ([Tensor]) -> Tensor) -> GradientCheckReport {
    let differentiable = inputs.map { $0.dtype != .int64 }
    for (x, d) in zip(inputs, differentiable) where d {
        x.requiresGrad = true
        x.zeroGrad()
    }
    let out = f(inputs)
    let upstream = Tensor.normal(out.shape, dtype: out.dtype, using: &rng)
    let loss = (out * upstream).sum()
    loss.backward()

    func evaluate() -> Double { noGrad { (f(inputs) * upstream).sum().item() } }

    var report = GradientCheckReport(maxAbsoluteError: 0, maxRelativeError: 0, perInput: [])
    for (x, d) in zip(inputs, differentiable) {
        guard d else { report.perInput.append((0, 0)); continue }
        let analytic = x.grad?.doubles ?? [Double](repeating: 0, count: x.count)
        var values = x.doubles
        let stride = Swift.max(1, x.count / maxElements)
        var worst = 0.0, checked = 0
        for i in Swift.stride(from: 0, to: x.count, by: stride) {
            let original = values[i]
            values[i] = original + step
            x.setElements(values)
            let plus = evaluate()
            values[i] = original - step
            x.setElements(values)
            let minus = evaluate()
            values[i] = original
            x.setElements(values)
            let numeric = (plus - minus) / (2 * step)
            var error = Swift.abs(analytic[i] - numeric)
            if !error.isFinite { error = .infinity }  // NaN must fail, never vanish inside max()
            worst = Swift.max(worst, error)
            report.maxRelativeError = Swift.max(report.maxRelativeError, error / Swift.max(1, Swift.abs(numeric)))
            checked += 1
        }
        report.maxAbsoluteError = Swift.max(report.maxAbsoluteError, worst)
        report.perInput.append((worst, checked))
    }
    return report
}
