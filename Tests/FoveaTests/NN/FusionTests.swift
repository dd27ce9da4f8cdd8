import Fovea
import FoveaModels
import FoveaTestSupport
import Testing

/// Conv → batch norm (→ ReLU) folded into one convolution (Sources/Fovea/NN/Fusion.swift) against
/// the three layers run one by one, on models whose batch norms hold non-trivial running statistics
/// and affine parameters, and the backend's conv2dReLU against relu(conv2d) on every path.
@Suite("Conv and batch-norm folding")
struct FusionTests {
    /// Gives every batch norm random γ, β, running mean and running variance.
    private func randomizeBatchNorms(_ model: any Module, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for (_, module) in model.namedModules() {
            guard let bn = module as? BatchNorm2d else { continue }
            let c = bn.weight.count
            noGrad {
                bn.weight.assign(Tensor.normal([c], using: &rng) * 0.5 + 1)
                bn.bias.assign(Tensor.normal([c], using: &rng) * 0.3)
                bn.runningMean.assign(Tensor.normal([c], using: &rng) * 0.2)
                bn.runningVar.assign((Tensor.normal([c], using: &rng) * 0.5).abs() + 0.3)
            }
        }
    }

    /// The VGG-style net (a Sequential of Conv2d, BatchNorm2d, ReLU), ResNet-20 (BasicBlock and the
    /// stem) and ResNet-18 (the ImageNet stem, and downsampling shortcuts that are Sequentials of
    /// Conv2d, BatchNorm2d).
    @Test("evaluation without gradients folds, and equals the unfolded layers", arguments: ["vggish", "resnet20", "resnet18"])
    func foldedEqualsUnfolded(name: String) {
        var rng = SplitMix64(seed: 4)
        let model: any Module = switch name {
        case "vggish": VGGStyle.make(using: &rng)
        case "resnet20": ResNetCIFAR.resnet20(using: &rng)
        default: ResNetImageNet.resnet18(classes: 10, using: &rng)
        }
        randomizeBatchNorms(model, seed: 9)
        model.eval()
        let side = name == "resnet18" ? 64 : 32
        let x = Tensor.normal([3, 3, side, side], using: &rng)
        let bn = model.namedModules().compactMap { $0.module as? BatchNorm2d }.first!
        #expect(noGrad { foldsBatchNorm(bn) })
        #expect(!foldsBatchNorm(bn), "folding with gradients on")
        let unfolded = model(x)  // gradients on: every layer runs
        let folded = noGrad { model(x) }
        expectClose(folded, unfolded, atol: 1e-4, rtol: 1e-4, "\(name): folded against unfolded")
        model.train()
        #expect(noGrad { !foldsBatchNorm(bn) }, "folding in training mode")
    }

    @Test("layer outputs (feature maps, profiles) still see every batch norm")
    func tracesKeepLayers() {
        var rng = SplitMix64(seed: 6)
        let model = VGGStyle.make(using: &rng)
        let outputs = model.intermediateOutputs(Tensor.normal([1, 3, 32, 32], using: &rng))
        #expect(outputs.filter { $0.type == "BatchNorm2d" }.count == outputs.filter { $0.type == "Conv2d" }.count)
        #expect(outputs.contains { $0.type == "ReLU" })
    }

    /// (N, C, K, H, W, stride, dtype): the direct stride-1 kernel (in place, and through its buffer
    /// when K is not a multiple of 8), the stride-2 kernel, im2col (stride 2 on 7 × 7), and Float64.
    static let shapes: [(Int, Int, Int, Int, Int, Int, DType)] = [
        (2, 8, 16, 8, 8, 1, .float32), (2, 8, 12, 8, 8, 1, .float32), (2, 8, 16, 16, 16, 2, .float32),
        (2, 5, 6, 7, 7, 2, .float32), (2, 4, 8, 6, 6, 1, .float64),
    ]

    @Test("conv2dReLU equals relu(conv2d) with bias on every path", arguments: shapes)
    func convReLU(shape: (Int, Int, Int, Int, Int, Int, DType)) {
        let (n, c, k, h, w, stride, dtype) = shape
        var rng = SplitMix64(seed: UInt64(n + c * 10 + k * 100 + h * 1000))
        let x = Tensor.normal([n, c, h, w], using: &rng).converted(to: dtype)
        let weight = Tensor.normal([k, c, 3, 3], using: &rng).converted(to: dtype)
        let bias = Tensor.normal([k], using: &rng).converted(to: dtype)
        let p = Conv2dParameters(stride: (stride, stride), padding: (1, 1))
        let fused = CPUBackend.shared.conv2dReLU(x, weight: weight, bias: bias, p)
        let separate = relu(CPUBackend.shared.conv2d(x, weight: weight, bias: bias, p))
        #expect(fused.shape == separate.shape)
        #expect(fused.doubles == separate.doubles, "\(shape): fused ReLU differs from relu(conv2d)")
        #expect(separate.doubles.contains { $0 == 0 } && separate.doubles.contains { $0 > 0 })
    }

    @Test("addReLU equals relu(a + b) to the bit: 8-lane body and tail, NaN, infinities, signed zeros", arguments: [DType.float32, .float64])
    func addReLU(dtype: DType) {
        var rng = SplitMix64(seed: 21)
        var a = Tensor.normal([3, 37], using: &rng).doubles, b = Tensor.normal([3, 37], using: &rng).doubles
        (a[0], a[9], a[17], a[40], a[100]) = (.nan, .infinity, -.infinity, -0.0, 2)
        (b[1], b[9], b[18], b[40], b[100]) = (.nan, -.infinity, 1, 0.0, -2)
        (a[105], a[106], b[106], a[107], b[107]) = (.nan, -0.0, -0.0, -0.0, -0.0)  // in the tail after 13 × 8 lanes
        let ta = Tensor(shape: [3, 37], float64: a).converted(to: dtype), tb = Tensor(shape: [3, 37], float64: b).converted(to: dtype)
        let fused = CPUBackend.shared.addReLU(ta, tb), separate = relu(ta + tb)
        #expect(fused.dtype == dtype)
        #expect(zip(fused.doubles, separate.doubles).allSatisfy { $0.bitPattern == $1.bitPattern },
                "\(dtype): addReLU differs from relu(a + b)")
        #expect(separate.doubles.contains { $0 == 0 } && separate.doubles.contains { $0 > 0 })
    }
}
