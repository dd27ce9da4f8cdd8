// A small VGG-style network (after Simonyan & Zisserman, 2015) for 32×32 inputs, as in
// ../shared/bench/bench_torch_cpu.py: conv64-conv64-pool-conv128-conv128-pool-conv256-pool-fc10,
// every conv 3×3 with padding 1, no bias, then batch norm and ReLU; pools are 2×2 max-pools.
// It is an nn.Sequential there, so the names are 0.weight, 1.weight, 1.running_mean, …, 18.weight.
import Fovea

public enum VGGStyle {
    /// The benchmark's VGG-style net as a `Sequential`.
    public static func make(classes: Int = 10, using rng: inout some RandomNumberGenerator) -> Sequential {
        var layers: [any Module] = []
        func convBN(_ input: Int, _ output: Int) {
            layers += [Conv2d(input, output, kernelSize: 3, padding: 1, bias: false, using: &rng), BatchNorm2d(output), ReLU()]
        }
        convBN(3, 64); convBN(64, 64); layers.append(MaxPool2d(kernel: 2))
        convBN(64, 128); convBN(128, 128); layers.append(MaxPool2d(kernel: 2))
        convBN(128, 256); layers.append(MaxPool2d(kernel: 2))
        layers += [Flatten(), Linear(256 * 4 * 4, classes, using: &rng)]
        return Sequential(layers)
    }
}
