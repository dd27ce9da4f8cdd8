/// The device seam: every kernel the ops need, for one kind of device.
///
/// Ops (Sources/Fovea/Ops) compute the math of a layer in terms of these kernels and record their
/// backward with autograd; a backend only moves numbers. Kernels take and return plain tensors
/// (never recorded by autograd) whose storage lives on the backend's device. Backward kernels
/// return fresh gradient tensors; ops add them up.
///
/// Only ``CPUBackend`` exists now. A CUDA backend conforms to this protocol, adds a ``Device``
/// case, and the ops, autograd, modules and optimizers run on it unchanged. See Backend/README.md.
public protocol Backend: Sendable {
    /// A short name for logs and benchmarks, e.g. "cpu (OpenBLAS SkylakeX, 2 threads)".
    var name: String { get }

    // MARK: Elementwise (CPU/CPU+Elementwise.swift)
    /// `f(x)` for each element.
    func unary(_ op: UnaryOp, _ x: Tensor) -> Tensor
    /// `dOut · f′(x)` for each element; `out` is `f(x)` (some derivatives are cheaper from it).
    func unaryBackward(_ op: UnaryOp, x: Tensor, out: Tensor, dOut: Tensor) -> Tensor
    /// `a ∘ b` with NumPy broadcasting.
    func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) -> Tensor
    /// max(0, a + b) for tensors of one shape, in one pass (a residual block's output; no gradient is
    /// recorded for it: see addReLU, Sources/Fovea/NN/Fusion.swift).
    func addReLU(_ a: Tensor, _ b: Tensor) -> Tensor

    // MARK: Reductions and movement (CPU/CPU+Reduction.swift, CPU/CPU+Movement.swift)
    /// Sums (or means, or maxima) over `axes`, keeping them as size-1 dimensions.
    func reduce(_ op: ReduceOp, _ x: Tensor, axes: [Int]) -> Tensor
    /// The index of the first maximum along `axis` (an Int64 tensor, `axis` kept as size 1).
    func argmax(_ x: Tensor, axis: Int) -> Tensor
    /// Repeats size-1 dimensions of `x` to fill `shape` (the adjoint of a sum over those axes).
    func broadcast(_ x: Tensor, to shape: [Int]) -> Tensor
    /// The axes of `x` reordered: `out.shape[i] = x.shape[dims[i]]`.
    func permute(_ x: Tensor, _ dims: [Int]) -> Tensor
    /// The tensors joined along `axis`.
    func concat(_ tensors: [Tensor], axis: Int) -> Tensor
    /// Indices `range` of `axis`.
    func slice(_ x: Tensor, axis: Int, range: Range<Int>) -> Tensor
    /// Writes `dOut` into a zero tensor of `shape` at indices `range` of `axis` (slice's adjoint).
    func sliceBackward(_ dOut: Tensor, shape: [Int], axis: Int, range: Range<Int>) -> Tensor
    /// out[n, before + c, i, j] = x[n, c, s·i, s·j], zeros in `before` and `after` extra channels
    /// (Ops/Subsample.swift).
    func subsampleZeroPad(_ x: Tensor, stride: Int, before: Int, after: Int) -> Tensor
    /// dx[n, c, s·i, s·j] = dOut[n, before + c, i, j], zeros elsewhere (subsampleZeroPad's adjoint).
    func subsampleZeroPadBackward(_ dOut: Tensor, inputShape: [Int], stride: Int, before: Int) -> Tensor
    /// The slices `indices` of `axis`, in order (indices already checked).
    func indexSelect(_ x: Tensor, axis: Int, indices: [Int]) -> Tensor
    /// `dOut` scatter-added into a zero tensor of `shape` at `indices` of `axis` (indexSelect's adjoint).
    func indexSelectBackward(_ dOut: Tensor, shape: [Int], axis: Int, indices: [Int]) -> Tensor

    // MARK: Matrix products (CPU/CPU+MatMul.swift)
    /// `op(a) · op(b)` for 2-D tensors, where `op` transposes when asked.
    func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor
    /// Adds `bias[j]` to every row of a 2-D `x`, in a new tensor.
    func addRowBias(_ x: Tensor, _ bias: Tensor) -> Tensor

    // MARK: Convolution and pooling (CPU/CPU+Convolution.swift, CPU/CPU+Pooling.swift)
    func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, _ p: Conv2dParameters) -> Tensor
    /// max(0, conv2d(x, weight, bias)) in one pass where the backend can (no gradient is recorded
    /// for it: see convBatchNorm, Sources/Fovea/NN/Fusion.swift).
    func conv2dReLU(_ x: Tensor, weight: Tensor, bias: Tensor?, _ p: Conv2dParameters) -> Tensor
    func conv2dBackward(_ dOut: Tensor, x: Tensor, weight: Tensor, _ p: Conv2dParameters,
                        needInput: Bool, needWeight: Bool, needBias: Bool) -> (dInput: Tensor?, dWeight: Tensor?, dBias: Tensor?)
    /// Max pooling; also returns, for each output, the flat index (within its plane) of the
    /// input element chosen (the first maximum in row-major order).
    func maxPool2d(_ x: Tensor, _ p: Pool2dParameters) -> (out: Tensor, argmax: [Int32])
    func maxPool2dBackward(_ dOut: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor
    func avgPool2d(_ x: Tensor, _ p: Pool2dParameters) -> Tensor
    func avgPool2dBackward(_ dOut: Tensor, inputShape: [Int], _ p: Pool2dParameters) -> Tensor
    func adaptiveAvgPool2d(_ x: Tensor, outputSize: (Int, Int)) -> Tensor
    func adaptiveAvgPool2dBackward(_ dOut: Tensor, inputShape: [Int]) -> Tensor

    // MARK: Normalisation and losses (CPU/CPU+BatchNorm.swift, CPU/CPU+Softmax.swift)
    /// Per-channel statistics of `[N, C, H, W]`: mean and biased variance, each `[C]`.
    func channelMoments(_ x: Tensor) -> (mean: Tensor, variance: Tensor)
    /// `y = (x − mean[c]) · invStd[c] · γ[c] + β[c]` over `[N, C, H, W]`.
    func batchNormApply(_ x: Tensor, mean: Tensor, invStd: Tensor, gamma: Tensor?, beta: Tensor?) -> Tensor
    /// Backward of training-mode batch norm (statistics from the batch), all three gradients.
    func batchNormBackward(_ dOut: Tensor, x: Tensor, mean: Tensor, invStd: Tensor, gamma: Tensor?)
        -> (dInput: Tensor, dGamma: Tensor, dBeta: Tensor)
    /// `log softmax` along the last axis of a 2-D tensor, computed stably (log-sum-exp).
    func logSoftmax(_ x: Tensor) -> Tensor
}

public enum UnaryOp: Sendable, Equatable {
    case neg, exp, log, sqrt, abs, relu, sigmoid, tanh, sign
    /// The Gaussian error linear unit `x·Φ(x)` (exact, with erf).
    case gelu
    case pow(Double)
    case leakyRelu(slope: Double)
    case clamp(min: Double, max: Double)
    case addScalar(Double)
    case mulScalar(Double)
    /// `s / x`
    case reciprocalTimes(Double)
}

public enum BinaryOp: Sendable, Equatable {
    case add, sub, mul, div
}

public enum ReduceOp: Sendable, Equatable {
    case sum, mean, max
}

/// Stride, padding, dilation and groups of a 2-D convolution (height, width pairs).
public struct Conv2dParameters: Sendable, Equatable, CustomStringConvertible {
    public var stride: (Int, Int)
    public var padding: (Int, Int)
    public var dilation: (Int, Int)
    public var groups: Int

    public init(stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1) {
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.stride == b.stride && a.padding == b.padding && a.dilation == b.dilation && a.groups == b.groups
    }

    /// Output size along one axis: `⌊(in + 2·pad − dil·(k − 1) − 1) / stride⌋ + 1`.
    public static func outputSize(input: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) -> Int {
        (input + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
    }

    public var description: String {
        "stride \(stride), padding \(padding), dilation \(dilation), groups \(groups)"
    }
}

/// Kernel, stride and padding of a 2-D pooling window (height, width pairs).
public struct Pool2dParameters: Sendable, Equatable, CustomStringConvertible {
    public var kernel: (Int, Int)
    public var stride: (Int, Int)
    public var padding: (Int, Int)

    public init(kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int) = (0, 0)) {
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.kernel == b.kernel && a.stride == b.stride && a.padding == b.padding
    }

    /// Output height and width for an input of `height × width`.
    public func outputSize(height: Int, width: Int) -> (Int, Int) {
        ((height + 2 * padding.0 - kernel.0) / stride.0 + 1, (width + 2 * padding.1 - kernel.1) / stride.1 + 1)
    }

    public var description: String { "kernel \(kernel), stride \(stride), padding \(padding)" }
}
