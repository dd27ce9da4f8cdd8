// The table of gradient checks that `fovea gradcheck` prints and the test suite asserts.
//
// Each case builds Float64 inputs from a seeded generator and a function of them. It is checked
//   1. against central finite differences (GradientCheck.swift), with a random upstream gradient;
//   2. where the op has a second implementation, the fast path in Float32 against it: the plain-loop
//      reference for conv, pooling and matmul, the same op composed from primitive ops for batch norm,
//      softmax and cross-entropy.
// Inputs keep away from kinks (ReLU and abs at 0, clamp edges, ties in max), where finite
// differences are undefined; ties are checked against the reference rule instead.

/// One row of the gradient-check table.
public struct GradientCheckCase: Sendable, CustomStringConvertible {
    public let op: String
    public let name: String
    /// Whether finite differences apply (false for deliberate ties).
    public let finiteDifferences: Bool
    let build: @Sendable (inout SplitMix64) -> (inputs: [Tensor], function: ([Tensor]) -> Tensor)
    /// Returns (max abs error, passed) of the fast path against the second implementation.
    let compare: (@Sendable (inout SplitMix64) -> (Double, Bool))?

    public var description: String { "\(op) \(name)" }
}

/// What one case measured.
public struct GradientCheckResult: Sendable {
    public let op: String
    public let name: String
    /// Worst |autograd − finite difference| / max(1, |finite difference|), or nil when not applicable.
    public let finiteDifferenceError: Double?
    /// Worst |fast − reference| over outputs and gradients, or nil when the op has one implementation.
    public let referenceError: Double?
    public let passed: Bool
}

/// Tolerances: finite differences in Float64; the Float32 fast path against a Float64 reference
/// with |actual − expected| ≤ atol + rtol·|expected|.
public enum GradientCheckTolerance {
    public static let finiteDifference = 1e-6
    public static let absolute = 1e-5
    public static let relative = 1e-4
}

extension GradientCheckCase {
    /// Runs the case with its own seed (the same numbers every time).
    public func run(seed: UInt64 = 0) -> GradientCheckResult {
        var rng = SplitMix64(seed: seed ^ UInt64(truncatingIfNeeded: description.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }))
        var fdError: Double?
        if finiteDifferences {
            let (inputs, function) = build(&rng)
            fdError = gradientCheck(inputs, using: &rng, function).maxRelativeError
        }
        var refError: Double?, refPassed = true
        if let compare {
            let (error, ok) = compare(&rng)
            refError = error
            refPassed = ok
        }
        let passed = (fdError.map { $0 <= GradientCheckTolerance.finiteDifference } ?? true) && refPassed
        return GradientCheckResult(op: op, name: name, finiteDifferenceError: fdError, referenceError: refError, passed: passed)
    }

    /// Every case, grouped by op family.
    public static var all: [GradientCheckCase] {
        elementwise + reductions + movement + products + convolutions + pooling + normalisation + losses + [smallNetwork]
    }
}

// MARK: - Helpers

/// Uniform Float64 values in [lo, hi).
func randomInput(_ shape: [Int], _ rng: inout SplitMix64, _ lo: Double = -1, _ hi: Double = 1) -> Tensor {
    Tensor.uniform(shape, low: lo, high: hi, dtype: .float64, using: &rng)
}

/// Values at least `gap` away from every point in `kinks` (shifted outwards when too close).
func awayFromKinks(_ shape: [Int], _ rng: inout SplitMix64, kinks: [Double], gap: Double = 1e-2) -> Tensor {
    let t = randomInput(shape, &rng)
    t.setElements(t.doubles.map { v in
        var v = v
        for k in kinks where Swift.abs(v - k) < gap { v = k + (v >= k ? gap : -gap) }
        return v
    })
    return t
}

/// Distinct values (a shuffled ramp with spacing 0.01 plus jitter below 0.002): no ties within h.
func distinctInput(_ shape: [Int], _ rng: inout SplitMix64) -> Tensor {
    let n = shape.reduce(1, *)
    var ramp = (0..<n).map { Double($0) * 0.01 - Double(n) * 0.005 }
    ramp.shuffle(using: &rng)
    let t = Tensor(zeros: shape, dtype: .float64)
    t.setElements(ramp.map { $0 + 0.002 * rng.nextUnitDouble() })
    return t
}

/// Worst |a − b| and whether every element satisfies |a − b| ≤ atol + rtol·|b| (b is the reference).
public func compareClose(_ actual: Tensor, _ expected: Tensor,
                         atol: Double = GradientCheckTolerance.absolute, rtol: Double = GradientCheckTolerance.relative) -> (Double, Bool) {
    require(actual.shape == expected.shape, "compareClose: shapes \(actual.shape) and \(expected.shape) differ")
    var worst = 0.0, ok = true
    for (a, b) in zip(actual.doubles, expected.doubles) {
        let e = Swift.abs(a - b)
        worst = Swift.max(worst, e)
        if !(e <= atol + rtol * Swift.abs(b)) { ok = false }
    }
    return (worst, ok)
}

/// Combines several comparisons: the worst error, and whether all passed.
func combine(_ parts: [(Double, Bool)]) -> (Double, Bool) {
    (parts.map(\.0).max() ?? 0, parts.allSatisfy(\.1))
}

/// Runs `f` on Float32 copies of `inputs` and on `reference` in Float64, with the same random
/// upstream gradient, and compares outputs and every input gradient.
func compareFastWithReference(_ inputs: [Tensor], _ rng: inout SplitMix64,
                              fast: ([Tensor]) -> Tensor, reference: ([Tensor]) -> Tensor) -> (Double, Bool) {
    let fast32 = inputs.map { $0.dtype == .int64 ? $0 : $0.converted(to: .float32) }
    let ref64 = inputs.map { $0.copied() }
    for t in fast32 + ref64 where t.dtype != .int64 { t.requiresGrad = true }
    let outFast = fast(fast32), outRef = reference(ref64)
    let upstream = Tensor.normal(outRef.shape, dtype: .float64, using: &rng)
    (outFast * upstream.converted(to: .float32)).sum().backward()
    (outRef * upstream).sum().backward()
    var parts = [compareClose(outFast, outRef)]
    for (a, b) in zip(fast32, ref64) where a.dtype != .int64 {
        parts.append(compareClose(a.grad ?? Tensor.zeros(like: a), b.grad ?? Tensor.zeros(like: b)))
    }
    return combine(parts)
}

private func unaryCase(_ op: String, _ name: String = "[2,3,4]", kinks: [Double] = [], lo: Double = -1, hi: Double = 1,
                       _ f: @escaping @Sendable (Tensor) -> Tensor) -> GradientCheckCase {
    GradientCheckCase(op: op, name: name, finiteDifferences: true, build: { rng in
        let x = kinks.isEmpty ? randomInput([2, 3, 4], &rng, lo, hi) : awayFromKinks([2, 3, 4], &rng, kinks: kinks)
        return ([x], { f($0[0]) })
    }, compare: nil)
}

private func binaryCase(_ op: String, _ a: [Int], _ b: [Int], _ f: @escaping @Sendable (Tensor, Tensor) -> Tensor) -> GradientCheckCase {
    GradientCheckCase(op: op, name: "\(a)∘\(b)", finiteDifferences: true, build: { rng in
        let x = randomInput(a, &rng), y = randomInput(b, &rng, 0.5, 1.5)  // y away from 0 for division
        return ([x, y], { f($0[0], $0[1]) })
    }, compare: nil)
}

// MARK: - Cases

extension GradientCheckCase {
    static var elementwise: [GradientCheckCase] {
        [
            binaryCase("add", [2, 3, 4], [3, 1], +),
            binaryCase("sub", [2, 1, 4], [1, 3, 1], -),
            binaryCase("mul", [4, 3, 2, 2], [1, 3, 1, 1], *),
            binaryCase("div", [2, 3, 4], [2, 3, 4], /),
            unaryCase("neg") { -$0 },
            unaryCase("scalar ops", "2·x + 1 − x/4") { 2 * $0 + 1 - $0 / 4 },
            unaryCase("exp") { $0.exp() },
            unaryCase("log", lo: 0.2, hi: 3) { $0.log() },
            unaryCase("sqrt", lo: 0.2, hi: 3) { $0.sqrt() },
            unaryCase("pow", "x³") { $0.pow(3) },
            unaryCase("abs", kinks: [0]) { $0.abs() },
            unaryCase("clamp", "[-0.5, 0.5]", kinks: [-0.5, 0.5]) { $0.clamped(min: -0.5, max: 0.5) },
            unaryCase("relu", kinks: [0]) { relu($0) },
            unaryCase("leakyRelu", "slope 0.1", kinks: [0]) { leakyRelu($0, slope: 0.1) },
            unaryCase("sigmoid") { sigmoid($0) },
            unaryCase("tanh") { tanh($0) },
            unaryCase("gelu") { gelu($0) },
        ]
    }

    static var reductions: [GradientCheckCase] {
        func reduction(_ op: String, _ name: String, _ f: @escaping @Sendable (Tensor) -> Tensor) -> GradientCheckCase {
            GradientCheckCase(op: op, name: name, finiteDifferences: true, build: { rng in
                ([distinctInput([2, 3, 4, 5], &rng)], { f($0[0]) })
            }, compare: nil)
        }
        return [
            reduction("sum", "axes [1], keepDims") { $0.sum(axes: [1], keepDims: true) },
            reduction("sum", "all") { $0.sum() },
            reduction("mean", "axes [0, 2]") { $0.mean(axes: [0, 2]) },
            reduction("max", "axis 3") { $0.max(axes: [3]) },
            reduction("max", "axes [1, 2], keepDims") { $0.max(axes: [1, 2], keepDims: true) },
        ]
    }

    static var movement: [GradientCheckCase] {
        func move(_ op: String, _ name: String, _ f: @escaping @Sendable ([Tensor]) -> Tensor, shapes: [[Int]]) -> GradientCheckCase {
            GradientCheckCase(op: op, name: name, finiteDifferences: true, build: { rng in
                (shapes.map { randomInput($0, &rng) }, f)
            }, compare: nil)
        }
        return [
            move("reshape", "[2,3,4] → [4,6]", { $0[0].reshaped([4, 6]) * $0[0].reshaped([4, 6]) }, shapes: [[2, 3, 4]]),
            move("permute", "[0,2,3,1]", { $0[0].permuted([0, 2, 3, 1]) }, shapes: [[2, 3, 4, 5]]),
            move("transpose", "[3,5]", { $0[0].transposed() }, shapes: [[3, 5]]),
            move("slice", "batch 1..<3", { $0[0].sliced(1..<3) }, shapes: [[4, 3, 2]]),
            move("concat", "axis 1", { Tensor.concatenated([$0[0], $0[1]], axis: 1) }, shapes: [[2, 3, 4], [2, 2, 4]]),
            move("subsampleZeroPad", "stride 2, odd 5×6, 1 + 2 zero channels",
                 { $0[0].subsampledZeroPadded(stride: 2, channelsBefore: 1, channelsAfter: 2) }, shapes: [[2, 3, 5, 6]]),
            indexSelectCase([5, 3, 2, 2], indices: [3, 0, 3, 1], axis: 0, "batch, a repeat, one never picked"),
            indexSelectCase([2, 4, 3], indices: [2, 2, 0], axis: 1, "axis 1, a repeat"),
            indexSelectCase([3, 5], indices: [4, 1, 0, 1, 4, 2], axis: -1, "last axis, repeats"),
        ]
    }

    /// `indexSelect`: finite differences, and the fast copy and scatter-add against plain loops.
    static func indexSelectCase(_ shape: [Int], indices: [Int], axis: Int, _ name: String) -> GradientCheckCase {
        GradientCheckCase(op: "indexSelect", name: name, finiteDifferences: true, build: { rng in
            ([randomInput(shape, &rng)], { $0[0].indexSelect(indices, axis: axis) })
        }, compare: { rng in
            let x = randomInput(shape, &rng)
            var outShape = shape
            outShape[axis < 0 ? axis + shape.count : axis] = indices.count
            let upstream = randomInput(outShape, &rng)
            let fast = x.converted(to: .float32)
            fast.requiresGrad = true
            let out = fast.indexSelect(indices, axis: axis)
            (out * upstream.converted(to: .float32)).sum().backward()
            return combine([
                compareClose(out, indexSelectReference(x, indices, axis: axis)),
                compareClose(fast.grad!, indexSelectBackwardReference(upstream, shape: shape, indices: indices, axis: axis)),
            ])
        })
    }

    static var products: [GradientCheckCase] {
        [
            GradientCheckCase(op: "matmul", name: "[5,7]·[7,3]", finiteDifferences: true, build: { rng in
                ([randomInput([5, 7], &rng), randomInput([7, 3], &rng)], { matmul($0[0], $0[1]) })
            }, compare: { rng in
                let a = randomInput([5, 7], &rng), b = randomInput([7, 3], &rng)
                return compareClose(matmul(a.converted(to: .float32), b.converted(to: .float32)), matmulReference(a, b))
            }),
            GradientCheckCase(op: "linear", name: "[4,6] → 5, bias", finiteDifferences: true, build: { rng in
                ([randomInput([4, 6], &rng), randomInput([5, 6], &rng), randomInput([5], &rng)],
                 { linear($0[0], weight: $0[1], bias: $0[2]) })
            }, compare: { rng in
                let inputs = [randomInput([4, 6], &rng), randomInput([5, 6], &rng), randomInput([5], &rng)]
                return compareFastWithReference(inputs, &rng, fast: { linear($0[0], weight: $0[1], bias: $0[2]) },
                                                reference: { matmul($0[0], $0[1].transposed()) + $0[2] })
            }),
        ]
    }

    /// (name, input [N, C, H, W], weight [K, C/g, R, S], stride, padding, dilation, groups, bias)
    static let convolutionGrid: [(String, [Int], [Int], IntPair, IntPair, IntPair, Int, Bool)] = [
        ("3×3 s1 p0", [2, 3, 7, 6], [4, 3, 3, 3], 1, 0, 1, 1, true),
        ("3×3 s1 p1", [2, 3, 5, 5], [4, 3, 3, 3], 1, 1, 1, 1, true),
        ("3×3 s1 p1, 8→8 (direct AVX-512 kernels)", [2, 8, 8, 7], [8, 8, 3, 3], 1, 1, 1, 1, true),
        ("3×3 s2 p1", [2, 3, 7, 7], [4, 3, 3, 3], 2, 1, 1, 1, true),
        ("3×3 s2 p2 d2", [2, 2, 9, 9], [3, 2, 3, 3], 2, 2, 2, 1, false),
        ("3×3 s1 p2 d2", [1, 2, 7, 6], [3, 2, 3, 3], 1, 2, 2, 1, true),
        ("5×5 s1 p2", [2, 2, 7, 6], [3, 2, 5, 5], 1, 2, 1, 1, true),
        ("5×5 s2 p0 (LeNet-like)", [2, 3, 9, 9], [2, 3, 5, 5], 2, 0, 1, 1, true),
        ("1×1 s2 p1", [2, 3, 7, 6], [2, 3, 1, 1], 2, 1, 1, 1, false),
        ("3×2 s[1,2] p[1,0]", [2, 2, 7, 6], [3, 2, 3, 2], [1, 2], [1, 0], 1, 1, true),
        ("groups 2", [2, 4, 5, 5], [6, 2, 3, 3], 1, 1, 1, 2, true),
        ("groups 2 s2", [2, 4, 7, 6], [6, 2, 3, 3], 2, 0, 1, 2, false),
        ("depthwise", [2, 4, 5, 5], [4, 1, 3, 3], 1, 1, 1, 4, true),
        ("depthwise s2 d2 p2", [2, 4, 7, 6], [4, 1, 3, 3], 2, 2, 2, 4, false),
    ]

    static var convolutions: [GradientCheckCase] {
        convolutionGrid.map { (name, xShape, wShape, stride, padding, dilation, groups, hasBias) in
            let inputs: @Sendable (inout SplitMix64) -> [Tensor] = { rng in
                [randomInput(xShape, &rng), randomInput(wShape, &rng)] + (hasBias ? [randomInput([wShape[0]], &rng)] : [])
            }
            let f: @Sendable ([Tensor]) -> Tensor = {
                conv2d($0[0], weight: $0[1], bias: $0.count > 2 ? $0[2] : nil, stride: stride, padding: padding, dilation: dilation, groups: groups)
            }
            return GradientCheckCase(op: "conv2d", name: name, finiteDifferences: true, build: { rng in (inputs(&rng), f) },
                                     compare: { rng in
                let t = inputs(&rng)
                let x32 = t.map { $0.converted(to: .float32) }
                for v in x32 { v.requiresGrad = true }
                let out = f(x32)
                let dOut = randomInput(out.shape, &rng)
                out.backward(dOut.converted(to: .float32))
                let ref = conv2dReference(t[0], weight: t[1], bias: hasBias ? t[2] : nil, stride: stride, padding: padding, dilation: dilation, groups: groups)
                let (dx, dw, db) = conv2dBackwardReference(dOut, x: t[0], weight: t[1], stride: stride, padding: padding, dilation: dilation, groups: groups)
                var parts = [compareClose(out, ref), compareClose(x32[0].grad!, dx), compareClose(x32[1].grad!, dw)]
                if hasBias { parts.append(compareClose(x32[2].grad!, db)) }
                return combine(parts)
            })
        }
    }

    static var pooling: [GradientCheckCase] {
        func pool(_ op: String, _ name: String, _ shape: [Int], _ k: Int, _ s: Int, _ p: Int, ties: Bool = false) -> GradientCheckCase {
            let isMax = op == "maxPool2d"
            let make: @Sendable (inout SplitMix64) -> Tensor = { rng in
                if ties {  // small integers: many windows hold several equal maxima
                    let t = Tensor(zeros: shape, dtype: .float64)
                    t.setElements((0..<t.count).map { _ in Double(rng.next() % 3) })
                    return t
                }
                return distinctInput(shape, &rng)
            }
            let f: @Sendable ([Tensor]) -> Tensor = {
                isMax ? maxPool2d($0[0], kernel: IntPair(k), stride: IntPair(s), padding: IntPair(p))
                      : avgPool2d($0[0], kernel: IntPair(k), stride: IntPair(s), padding: IntPair(p))
            }
            return GradientCheckCase(op: op, name: name, finiteDifferences: !ties, build: { rng in ([make(&rng)], f) }, compare: { rng in
                let x = make(&rng)
                let x32 = x.converted(to: .float32)
                x32.requiresGrad = true
                let out = f([x32])
                let dOut = randomInput(out.shape, &rng)
                out.backward(dOut.converted(to: .float32))
                let ref = isMax ? maxPool2dReference(x, kernel: IntPair(k), stride: IntPair(s), padding: IntPair(p), dOut: dOut)
                                : avgPool2dReference(x, kernel: IntPair(k), stride: IntPair(s), padding: IntPair(p), dOut: dOut)
                return combine([compareClose(out, ref.out), compareClose(x32.grad!, ref.dInput!)])
            })
        }
        func adaptive(_ name: String, _ shape: [Int], _ size: IntPair) -> GradientCheckCase {
            GradientCheckCase(op: "adaptiveAvgPool2d", name: name, finiteDifferences: true, build: { rng in
                ([randomInput(shape, &rng)], { adaptiveAvgPool2d($0[0], outputSize: size) })
            }, compare: nil)
        }
        return [
            pool("maxPool2d", "2×2 s2", [2, 3, 6, 6], 2, 2, 0),
            pool("maxPool2d", "3×3 s2 p1 (overlapping)", [2, 2, 7, 7], 3, 2, 1),
            pool("maxPool2d", "3×3 s1 odd 5×5", [2, 2, 5, 5], 3, 1, 0),
            pool("maxPool2d", "ties 3×3 s2 p1", [2, 2, 7, 7], 3, 2, 1, ties: true),
            pool("avgPool2d", "2×2 s2", [2, 3, 6, 6], 2, 2, 0),
            pool("avgPool2d", "3×3 s2 p1", [2, 2, 7, 7], 3, 2, 1),
            pool("avgPool2d", "3×3 s1 p1", [2, 2, 5, 5], 3, 1, 1),
            adaptive("global 1×1", [2, 3, 5, 5], 1),
            adaptive("3×2 from 7×5", [2, 3, 7, 5], [3, 2]),
        ]
    }

    static var normalisation: [GradientCheckCase] {
        /// Batch norm composed from primitive ops (the definition), for the fused kernel to equal.
        @Sendable func composedBatchNorm(_ x: Tensor, _ gamma: Tensor, _ beta: Tensor) -> Tensor {
            let c = x.shape[1]
            let mean = x.mean(axes: [0, 2, 3], keepDims: true)
            let centered = x - mean
            let variance = (centered * centered).mean(axes: [0, 2, 3], keepDims: true)
            return centered / (variance + 1e-5).sqrt() * gamma.reshaped([1, c, 1, 1]) + beta.reshaped([1, c, 1, 1])
        }
        let shape = [4, 3, 5, 5]
        let inputs: @Sendable (inout SplitMix64) -> [Tensor] = { rng in
            [randomInput(shape, &rng, -2, 3), randomInput([3], &rng, 0.5, 1.5), randomInput([3], &rng)]
        }
        return [
            GradientCheckCase(op: "batchNorm2d", name: "training [4,3,5,5]", finiteDifferences: true, build: { rng in
                // Fresh running buffers on every call: probes must not depend on earlier probes.
                (inputs(&rng), { batchNorm2d($0[0], weight: $0[1], bias: $0[2], runningMean: nil, runningVar: nil, training: true) })
            }, compare: { rng in
                compareFastWithReference(inputs(&rng), &rng,
                                         fast: { batchNorm2d($0[0], weight: $0[1], bias: $0[2], runningMean: nil, runningVar: nil, training: true) },
                                         reference: { composedBatchNorm($0[0], $0[1], $0[2]) })
            }),
            GradientCheckCase(op: "batchNorm2d", name: "eval [4,3,5,5]", finiteDifferences: true, build: { rng in
                let mean = randomInput([3], &rng), variance = randomInput([3], &rng, 0.5, 2)
                return (inputs(&rng), { batchNorm2d($0[0], weight: $0[1], bias: $0[2], runningMean: mean, runningVar: variance, training: false) })
            }, compare: nil),
            GradientCheckCase(op: "dropout", name: "p 0.5, mask held fixed", finiteDifferences: true, build: { rng in
                let mask = dropoutMask([2, 3, 4], probability: 0.5, dtype: .float64, using: &rng)
                return ([randomInput([2, 3, 4], &rng)], { dropout($0[0], mask: mask) })
            }, compare: nil),
        ]
    }

    static var losses: [GradientCheckCase] {
        @Sendable func labels(_ rng: inout SplitMix64, _ n: Int, _ classes: Int) -> Tensor {
            Tensor(shape: [n], int64: (0..<n).map { _ in Int64(rng.next() % UInt64(classes)) })
        }
        /// Cross-entropy composed from primitives: −mean_n Σ_j q_nj · (z_nj − log Σ_i exp z_ni).
        @Sendable func composedCrossEntropy(_ z: Tensor, _ y: Tensor, _ smoothing: Double) -> Tensor {
            let (n, c) = (z.shape[0], z.shape[1])
            var q = [Double](repeating: smoothing / Double(c), count: n * c)
            for (i, label) in y.int64s.enumerated() { q[i * c + Int(label)] += 1 - smoothing }
            let target = Tensor(shape: [n, c], float64: q)
            let logZ = z.exp().sum(axes: [1], keepDims: true).log()
            return -((z - logZ) * target).sum() / Double(n)
        }
        func crossEntropy(_ name: String, _ reduction: LossReduction, _ smoothing: Double) -> GradientCheckCase {
            let build: @Sendable (inout SplitMix64) -> (inputs: [Tensor], function: ([Tensor]) -> Tensor) = { rng in
                let y = labels(&rng, 6, 5)
                let f: ([Tensor]) -> Tensor = { softmaxCrossEntropy($0[0], labels: y, reduction: reduction, labelSmoothing: smoothing) }
                return ([randomInput([6, 5], &rng, -3, 3)], f)
            }
            let compare: @Sendable (inout SplitMix64) -> (Double, Bool) = { rng in
                let y = labels(&rng, 6, 5)
                return compareFastWithReference([randomInput([6, 5], &rng, -3, 3)], &rng,
                                                fast: { softmaxCrossEntropy($0[0], labels: y, labelSmoothing: smoothing) },
                                                reference: { composedCrossEntropy($0[0], y, smoothing) })
            }
            return GradientCheckCase(op: "softmaxCrossEntropy", name: name, finiteDifferences: true, build: build,
                                     compare: reduction == .mean ? compare : nil)
        }
        return [
            GradientCheckCase(op: "softmax", name: "[4,10] axis 1", finiteDifferences: true, build: { rng in
                ([randomInput([4, 10], &rng, -3, 3)], { softmax($0[0], axis: 1) })
            }, compare: { rng in
                compareFastWithReference([randomInput([4, 10], &rng, -3, 3)], &rng, fast: { softmax($0[0], axis: 1) },
                                         reference: { $0[0].exp() / $0[0].exp().sum(axes: [1], keepDims: true) })
            }),
            GradientCheckCase(op: "logSoftmax", name: "[3,4,5] axis 1", finiteDifferences: true, build: { rng in
                ([randomInput([3, 4, 5], &rng, -3, 3)], { logSoftmax($0[0], axis: 1) })
            }, compare: nil),
            crossEntropy("mean", .mean, 0),
            crossEntropy("mean, label smoothing 0.1", .mean, 0.1),
            crossEntropy("sum", .sum, 0),
            crossEntropy("none (per sample)", .none, 0),
            GradientCheckCase(op: "mseLoss", name: "mean [3,4]", finiteDifferences: true, build: { rng in
                ([randomInput([3, 4], &rng), randomInput([3, 4], &rng)], { mseLoss($0[0], $0[1]) })
            }, compare: nil),
        ]
    }

    /// conv → batch norm → ReLU → max-pool → linear → cross-entropy, every parameter checked.
    static var smallNetwork: GradientCheckCase {
        GradientCheckCase(op: "small CNN", name: "conv-bn-relu-pool-linear-CE", finiteDifferences: true, build: { rng in
            let labels = Tensor(shape: [4], int64: (0..<4).map { _ in Int64(rng.next() % 5) })
            let inputs = [randomInput([4, 3, 8, 8], &rng), randomInput([4, 3, 3, 3], &rng, -0.3, 0.3), randomInput([4], &rng, -0.1, 0.1),
                          randomInput([4], &rng, 0.5, 1.5), randomInput([4], &rng), randomInput([5, 64], &rng, -0.2, 0.2), randomInput([5], &rng)]
            return (inputs, { p in
                var h = conv2d(p[0], weight: p[1], bias: p[2], padding: 1)
                h = batchNorm2d(h, weight: p[3], bias: p[4], runningMean: nil, runningVar: nil, training: true)
                h = maxPool2d(relu(h), kernel: 2)
                return softmaxCrossEntropy(linear(h.flattened(), weight: p[5], bias: p[6]), labels: labels)
            })
        }, compare: nil)
    }
}
