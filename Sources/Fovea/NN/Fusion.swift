// Conv → batch norm (→ ReLU) as one convolution when nothing needs the parts. In evaluation mode a
// batch norm is a fixed affine map per channel, y = (conv(x)_k − μ_k)·s_k + β_k with s_k = γ_k/√(σ²_k + ε),
// which folds into the convolution's weight and bias:
//     w′[k] = w[k] · s_k,        b′_k = β_k + (b_k − μ_k) · s_k
// and the ReLU is applied as the convolution stores each output (in the direct kernels), so the
// activations are written once instead of three times. It applies only with gradients off (`noGrad`:
// `fovea eval`, `predict`, the inference benchmark), in evaluation mode, and when no trace is recorded
// (`fovea summary --profile` and feature-map figures see every layer). The result equals the three
// layers' up to rounding (Tests/FoveaTests/NN/FusionTests.swift). PyTorch does the same fold when a
// model is frozen for inference (torch.jit.freeze, torch.fx's fusion), not in eager mode.
//
// Where it is used: `Sequential` folds every Conv2d, BatchNorm2d (, ReLU) run it holds (the VGG-style
// net: inference 0.995–1.22× as fast as unfolded, four paired runs on the 2-core test machine; ResNet's
// projection shortcuts); BasicBlock and the ResNet stems call convBatchNorm (ResNet-20 inference
// 0.98–1.10×, median 1.01×, five paired runs, and 1.06× in eight runs in sequence). Before the direct
// kernels prefetched their input, folding measured 0.86–0.92× on ResNet-20, most likely because the
// unfolded batch norm and ReLU passes left the next convolution's input in cache (the prefetches made
// the difference go away). The bottleneck block (ResNet-50)
// does not fold yet (not measured).

/// Whether layers may run fused: nothing is recorded, neither a gradient graph nor a module trace
/// (which must see every layer's own output).
private var recordsNothing: Bool { !GradMode.isEnabled && ModuleTrace.recorder == nil }

/// `relu(a + b)`, a residual block's output: one pass through the backend when nothing is recorded
/// (the fold's condition, in any mode), the two ops otherwise; equal to the bit
/// (Tests/FoveaTests/NN/FusionTests.swift). ResNet-20 inference, two binaries at once, one thread
/// each, three pairs: 1.06–1.07× as fast with it and a faster 1×1 max-pool for the shortcut (since
/// replaced by one op, subsampledZeroPadded).
func addReLU(_ a: Tensor, _ b: Tensor) -> Tensor {
    guard recordsNothing, a.shape == b.shape, a.dtype == b.dtype, a.dtype != .int64 else { return relu(a + b) }
    return a.backend.addReLU(a, b)
}

/// Whether ``convBatchNorm(_:_:_:relu:)`` folds `bn` into the convolution before it: evaluation mode,
/// gradients off, no module trace recording.
public func foldsBatchNorm(_ bn: BatchNorm2d) -> Bool {
    !bn.isTraining && recordsNothing
}

/// `relu(bn(conv(x)))` (or `bn(conv(x))` when `relu` is false): one convolution with the batch norm
/// folded into its weight and bias when ``foldsBatchNorm(_:)`` allows, the three layers otherwise.
public func convBatchNorm(_ conv: Conv2d, _ bn: BatchNorm2d, _ x: Tensor, relu applyingReLU: Bool) -> Tensor {
    guard foldsBatchNorm(bn) else {
        let y = bn(conv(x))
        return applyingReLU ? relu(y) : y
    }
    require(bn.weight.count == conv.weight.shape[0],
            "convBatchNorm: \(bn.weight.count) batch-norm channels after \(conv.weight.shape[0]) convolution outputs")
    let (weight, bias) = switch conv.weight.dtype {
    case .float64: foldedParameters(conv, bn, Double.self)
    default: foldedParameters(conv, bn, Float.self)
    }
    let p = Conv2dParameters(stride: conv.stride.pair, padding: conv.padding.pair, dilation: conv.dilation.pair, groups: conv.groups)
    return applyingReLU ? x.backend.conv2dReLU(x, weight: weight, bias: bias, p) : x.backend.conv2d(x, weight: weight, bias: bias, p)
}

/// w′ and b′ of the fold above, in Double, in plain loops: as tensor ops, a dozen small ops per layer
/// would each pay the engine's per-op overhead (threads woken, tensors allocated).
private func foldedParameters<T: FloatElement>(_ conv: Conv2d, _ bn: BatchNorm2d, _: T.Type) -> (weight: Tensor, bias: Tensor) {
    let kernels = conv.weight.shape[0], perKernel = conv.weight.count / kernels
    let weight = Tensor(uninitialized: conv.weight.shape, dtype: T.dtype), bias = Tensor(uninitialized: [kernels], dtype: T.dtype)
    let w = conv.weight.pointer(T.self), folded = weight.pointer(T.self), b = bias.pointer(T.self)
    let gamma = bn.weight.doubles, beta = bn.bias.doubles, mean = bn.runningMean.doubles, variance = bn.runningVar.doubles
    let convBias = conv.bias?.doubles ?? [Double](repeating: 0, count: kernels)
    withExtendedLifetime(conv.weight) {
        for k in 0..<kernels {
            let scale = gamma[k] / (variance[k] + bn.epsilon).squareRoot()
            for i in (k * perKernel)..<((k + 1) * perKernel) { folded[i] = T(Double(w[i]) * scale) }
            b[k] = T(beta[k] + (convBias[k] - mean[k]) * scale)
        }
    }
    return (weight, bias)
}
