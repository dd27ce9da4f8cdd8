import Fovea
import FoveaModels

/// The measurements, named as in ../shared/bench so that lines join with PyTorch's.
enum Measurements {
    static func sgemm(warmup: Int, repeats: Int) {
        var rng = SplitMix64(seed: 0)
        for n in [256, 512, 1024, 2048] {
            let a = Tensor.normal([n, n], using: &rng), b = Tensor.normal([n, n], using: &rng)
            let r = Timing.measure(warmup: warmup, repeats: repeats) { _ = matmul(a, b) }
            emit(["kind": "measurement", "name": "sgemm_\(n)", "lib": "fovea", "shape": [n, n, n],
                  "throughput": 2 * Double(n * n * n) / r.median / 1e9, "unit": "GFLOP/s"].merging(r.fields) { $1 })
        }
    }

    /// (name, input channels, output channels, size, kernel, padding), batch 128, stride 1, bias.
    static let convolutionLayers = [
        ("conv3x3_3to16_32", 3, 16, 32, 3, 1),
        ("conv3x3_16to16_32", 16, 16, 32, 3, 1),
        ("conv3x3_32to32_16", 32, 32, 16, 3, 1),
        ("conv3x3_64to64_8", 64, 64, 8, 3, 1),
        ("conv3x3_64to128_16", 64, 128, 16, 3, 1),
        ("conv5x5_3to6_32_lenet", 3, 6, 32, 5, 0),
    ]

    static func convolutions(warmup: Int, repeats: Int) {
        let n = 128
        for (label, cin, cout, hw, k, pad) in convolutionLayers {
            var rng = SplitMix64(seed: 0)
            let conv = Conv2d(cin, cout, kernelSize: IntPair(k), padding: IntPair(pad), using: &rng)
            let x = Tensor.normal([n, cin, hw, hw], using: &rng)
            let hout = hw + 2 * pad - k + 1
            let forwardFlop = 2.0 * Double(n * cout * hout * hout * cin * k * k)
            let rf = Timing.measure(warmup: warmup, repeats: repeats) { _ = noGrad { conv(x) } }
            let xg = x.copied()
            xg.requiresGrad = true
            let g = Tensor.normal([n, cout, hout, hout], using: &rng)
            let rb = Timing.measure(warmup: warmup, repeats: repeats) {
                conv.zeroGrad()
                xg.zeroGrad()
                conv(xg).backward(g)
            }
            let shape: [String: Any] = ["input": [n, cin, hw, hw], "weight": [cout, cin, k, k], "output": [n, cout, hout, hout], "pad": pad, "stride": 1]
            for (phase, r, flop) in [("fwd", rf, forwardFlop), ("fwdbwd", rb, 3 * forwardFlop)] {
                emit(["kind": "measurement", "name": "\(label)_\(phase)", "op": "conv2d", "backend": "fovea", "phase": phase,
                      "shape": shape, "throughput": flop / r.median / 1e9, "unit": "GFLOP/s", "gflop": flop / 1e9].merging(r.fields) { $1 })
            }
        }
    }

    static func maxPool(warmup: Int, repeats: Int) {
        var rng = SplitMix64(seed: 0)
        let n = 128
        let x = Tensor.normal([n, 64, 32, 32], using: &rng)
        let bytes = Double(x.count + x.count / 4) * 4
        let rf = Timing.measure(warmup: warmup, repeats: repeats) { _ = noGrad { maxPool2d(x, kernel: 2) } }
        let xg = x.copied()
        xg.requiresGrad = true
        let g = Tensor.normal([n, 64, 16, 16], using: &rng)
        let rb = Timing.measure(warmup: warmup, repeats: repeats) {
            xg.zeroGrad()
            maxPool2d(xg, kernel: 2).backward(g)
        }
        for (phase, r) in [("fwd", rf), ("fwdbwd", rb)] {
            emit(["kind": "measurement", "name": "maxpool2x2_64_32_\(phase)", "op": "maxpool2d", "backend": "fovea", "phase": phase,
                  "shape": ["input": [n, 64, 32, 32], "output": [n, 64, 16, 16], "kernel": 2, "stride": 2],
                  "throughput": bytes / r.median / 1e9, "unit": "GB/s (input+output bytes of fwd, per pass)",
                  "images_per_s": Double(n) / r.median].merging(r.fields) { $1 })
        }
    }

    static func models(warmup: Int, repeats: Int, only: Set<String>?) {
        let cases: [(String, String, Int)] = [
            ("lenet", "train", 4), ("lenet", "train", 128), ("lenet", "infer", 128),
            ("resnet20", "train", 128), ("resnet20", "infer", 128),
            ("vggish", "train", 128), ("vggish", "infer", 128),
        ]
        for (name, mode, batch) in cases {
            let label = "\(name)_\(mode)_b\(batch)"
            if let only, !only.contains(label) { continue }
            var rng = SplitMix64(seed: 0)
            let model: any Module = switch name {
            case "lenet": LeNet5(using: &rng)
            case "resnet20": ResNetCIFAR.resnet20(using: &rng)
            default: VGGStyle.make(using: &rng)
            }
            let x = Tensor.normal([batch, 3, 32, 32], using: &rng)
            let y = Tensor(shape: [batch], int64: (0..<batch).map { _ in Int64(rng.next() % 10) })
            let r = timeSteps(model, x, y, training: mode == "train", warmup: warmup, repeats: repeats, minBlock: 0.1)
            emit(["kind": "measurement", "name": label, "model": name, "mode": mode, "batch": batch, "shape": [batch, 3, 32, 32],
                  "throughput": Double(batch) / r.median, "unit": "images/s", "params": model.parameterCount,
                  "epoch_50k_s": mode == "train" ? 50000 / (Double(batch) / r.median) : -1].merging(r.fields) { $1 })
        }
    }

    /// ImageNet-sized work: torchvision's ResNet-18 and ResNet-50 at 224 × 224, batch 32 (names as
    /// Benchmarks/reference/imagenet_torch.py), and WRN-28-2 on 32 × 32 images at batch 128 (what an
    /// ImageNet32 epoch costs: `epoch_s` for its 1,281,167 images). A ResNet-50 step takes seconds,
    /// so this group is not in the default set and times at most `repeats` single steps.
    static func imagenetModels(warmup: Int, repeats: Int, only: Set<String>?) {
        let cases: [(name: String, mode: String, batch: Int, side: Int)] = [
            ("resnet18", "train", 32, 224), ("resnet18", "infer", 32, 224), ("resnet50", "train", 32, 224), ("resnet50", "infer", 32, 224),
            ("wrn-28-2", "train", 128, 32), ("wrn-28-2", "infer", 128, 32),
        ]
        for (name, mode, batch, side) in cases {
            let label = "\(name.replacingOccurrences(of: "-", with: ""))_\(mode)_b\(batch)"
            if let only, !only.contains(label) { continue }
            var rng = SplitMix64(seed: 0)
            guard let model = try? ModelCatalog.make(ModelSpec(name: name, classes: 1000), using: &rng) else { continue }
            let x = Tensor.normal([batch, 3, side, side], using: &rng)
            let y = Tensor(shape: [batch], int64: (0..<batch).map { _ in Int64(rng.next() % 1000) })
            let r = timeSteps(model, x, y, training: mode == "train", warmup: warmup, repeats: repeats, minBlock: 0)
            emit(["kind": "measurement", "name": label, "model": name, "mode": mode, "batch": batch, "shape": [batch, 3, side, side],
                  "throughput": Double(batch) / r.median, "unit": "images/s", "params": model.parameterCount,
                  "epoch_s": mode == "train" ? 1_281_167 / (Double(batch) / r.median) : -1].merging(r.fields) { $1 })
        }
    }

    /// A training step (zero_grad, forward, cross-entropy, backward, SGD with momentum 0.9) or an
    /// evaluation-mode forward pass without gradients, on the fixed batch `x`, `y`, timed.
    static func timeSteps(_ model: any Module, _ x: Tensor, _ y: Tensor, training: Bool, warmup: Int, repeats: Int, minBlock: Double) -> Timing {
        guard training else {
            model.eval()
            return Timing.measure(warmup: warmup, repeats: repeats, minBlock: minBlock) { _ = noGrad { model(x) } }
        }
        model.train()
        let optimizer = SGD(model.parameters, learningRate: 0.01, momentum: 0.9)
        return Timing.measure(warmup: warmup, repeats: repeats, minBlock: minBlock) {
            optimizer.zeroGrad()
            softmaxCrossEntropy(model(x), labels: y).backward()
            optimizer.step()
        }
    }
}
