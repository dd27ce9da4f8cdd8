import Fovea
import FoveaTestSupport
import Testing

/// Every op against PyTorch: forward outputs and all gradients (with PyTorch's random upstream
/// gradient) match the committed fixtures, in Float32 (the fast path) and in Float64.
@Suite("PyTorch fixtures")
struct PyTorchFixtureTests {
    static let families = ["elementwise", "reduction", "matmul", "convolution", "pooling", "batchnorm", "softmax", "movement"]

    @Test("fixture files are present and current")
    func filesPresent() throws {
        for family in Self.families + ["network"] {
            #expect(try !Fixtures.cases(family).isEmpty, "\(family) has no cases")
        }
    }

    @Test("Float32 matches PyTorch", arguments: Fixtures.allCases(families))
    func float32(_ c: FixtureCase) throws {
        try check(c, dtype: .float32, tolerance: Tolerance.float32)
    }

    @Test("Float64 matches PyTorch", arguments: Fixtures.allCases(families))
    func float64(_ c: FixtureCase) throws {
        try check(c, dtype: .float64, tolerance: Tolerance.float64)
    }

    func check(_ c: FixtureCase, dtype: DType, tolerance: (atol: Double, rtol: Double)) throws {
        var inputs: [String: Tensor] = [:]
        for role in ["x", "y", "weight", "bias"] where c.hasTensor(role) {
            let t = try c.tensor(role, dtype: dtype)
            t.requiresGrad = c.op != "argmax"
            inputs[role] = t
        }
        let out = try run(c, inputs, dtype: dtype)
        let label = "\(c) \(dtype)"
        expectClose(out, try c.tensor("out", dtype: out.dtype), atol: tolerance.atol, rtol: tolerance.rtol, "\(label) out")
        guard c.hasTensor("upstream") else { return }
        (out * (try c.tensor("upstream", dtype: dtype))).sum().backward()
        for (role, t) in inputs {
            let expected = try c.tensor("grad.\(role)", dtype: dtype)
            expectClose(t.grad ?? Tensor.zeros(like: t), expected, atol: tolerance.atol, rtol: tolerance.rtol, "\(label) grad.\(role)")
        }
    }

    /// Calls the engine op a fixture case names.
    func run(_ c: FixtureCase, _ t: [String: Tensor], dtype: DType) throws -> Tensor {
        let x = t["x"]!
        switch c.op {
        case "add": return x + t["y"]!
        case "sub": return x - t["y"]!
        case "mul": return x * t["y"]!
        case "div": return x / t["y"]!
        case "neg": return -x
        case "exp": return x.exp()
        case "log": return x.log()
        case "sqrt": return x.sqrt()
        case "abs": return x.abs()
        case "pow": return x.pow(c.double("exponent"))
        case "clamp": return x.clamped(min: c.double("min"), max: c.double("max"))
        case "relu": return relu(x)
        case "leaky_relu": return leakyRelu(x, slope: c.double("slope"))
        case "sigmoid": return sigmoid(x)
        case "tanh": return tanh(x)
        case "gelu": return gelu(x)
        case "sum": return x.sum(axes: c.ints("axes"), keepDims: c.bool("keepdim"))
        case "mean": return x.mean(axes: c.ints("axes"), keepDims: c.bool("keepdim"))
        case "max": return x.max(axes: c.ints("axes"), keepDims: c.bool("keepdim"))
        case "argmax": return x.argmax(axis: c.int("axis"))
        case "matmul": return matmul(x, t["y"]!)
        case "linear": return linear(x, weight: t["weight"]!, bias: t["bias"])
        case "conv2d":
            return conv2d(x, weight: t["weight"]!, bias: t["bias"], stride: IntPair(c.int("stride")), padding: IntPair(c.int("padding")),
                          dilation: IntPair(c.int("dilation")), groups: c.int("groups"))
        case "max_pool2d":
            return maxPool2d(x, kernel: IntPair(c.int("kernel")), stride: IntPair(c.int("stride")), padding: IntPair(c.int("padding")))
        case "avg_pool2d":
            return avgPool2d(x, kernel: IntPair(c.int("kernel")), stride: IntPair(c.int("stride")), padding: IntPair(c.int("padding")))
        case "adaptive_avg_pool2d":
            let size = c.ints("output")
            return adaptiveAvgPool2d(x, outputSize: IntPair(size[0], size[1]))
        case "batch_norm2d":
            let mean = try c.tensor("running_mean", dtype: dtype), variance = try c.tensor("running_var", dtype: dtype)
            let out = batchNorm2d(x, weight: t["weight"], bias: t["bias"], runningMean: mean, runningVar: variance,
                                  training: c.bool("training"), momentum: c.double("momentum"), epsilon: c.double("eps"))
            if c.bool("training") {
                let tol = dtype == .float32 ? Tolerance.float32 : Tolerance.float64
                expectClose(mean, try c.tensor("running_mean_after", dtype: dtype), atol: tol.atol, rtol: tol.rtol, "\(c) running_mean")
                expectClose(variance, try c.tensor("running_var_after", dtype: dtype), atol: tol.atol, rtol: tol.rtol, "\(c) running_var")
            }
            return out
        case "softmax": return softmax(x, axis: c.int("axis"))
        case "log_softmax": return logSoftmax(x, axis: c.int("axis"))
        case "cross_entropy":
            return softmaxCrossEntropy(x, labels: try c.tensor("labels"), reduction: LossReduction(rawValue: c.string("reduction"))!,
                                       labelSmoothing: c.double("label_smoothing"))
        case "mse_loss": return mseLoss(x, t["y"]!, reduction: LossReduction(rawValue: c.string("reduction"))!)
        case "permute": return x.permuted(c.ints("dims"))
        case "transpose": return x.transposed()
        case "concat": return Tensor.concatenated([x, t["y"]!], axis: c.int("axis"))
        case "slice_batch": return x.sliced(c.int("start")..<c.int("end"))
        case "subsample_zero_pad":
            return x.subsampledZeroPadded(stride: c.int("stride"), channelsBefore: c.int("before"), channelsAfter: c.int("after"))
        case "index_select": return x.indexSelect(c.ints("indices"), axis: c.int("axis"))
        default:
            Issue.record("fixture op '\(c.op)' has no engine counterpart in this test")
            return x
        }
    }

    /// conv → batch norm → ReLU → max-pool → linear → cross-entropy, end to end, every gradient.
    @Test("small CNN end to end matches PyTorch", arguments: [DType.float32, .float64])
    func smallNetwork(dtype: DType) throws {
        let c = try #require(Fixtures.cases("network").first)
        let tol = dtype == .float32 ? Tolerance.float32 : Tolerance.float64
        let names = ["x", "conv1.weight", "conv1.bias", "bn.weight", "bn.bias", "fc.weight", "fc.bias"]
        var p: [String: Tensor] = [:]
        for name in names {
            p[name] = try c.tensor(name, dtype: dtype)
            p[name]!.requiresGrad = true
        }
        var h = conv2d(p["x"]!, weight: p["conv1.weight"]!, bias: p["conv1.bias"]!, padding: 1)
        h = batchNorm2d(h, weight: p["bn.weight"]!, bias: p["bn.bias"]!, runningMean: Tensor(zeros: [4], dtype: dtype),
                        runningVar: Tensor(repeating: 1, shape: [4], dtype: dtype), training: true)
        h = maxPool2d(relu(h), kernel: 2)
        let loss = softmaxCrossEntropy(linear(h.flattened(), weight: p["fc.weight"]!, bias: p["fc.bias"]!), labels: try c.tensor("labels"))
        expectClose(loss, try c.tensor("out", dtype: dtype), atol: tol.atol, rtol: tol.rtol, "small CNN loss \(dtype)")
        loss.backward()
        for name in names {
            expectClose(p[name]!.grad!, try c.tensor("grad.\(name)", dtype: dtype), atol: tol.atol, rtol: tol.rtol, "small CNN grad.\(name) \(dtype)")
        }
    }
}
