// LeNet-5 as in PyTorch's CIFAR-10 tutorial ("Training a classifier"), after LeCun et al.,
// "Gradient-based learning applied to document recognition", 1998:
//   conv 3→6 5×5 · relu · maxpool 2 · conv 6→16 5×5 · relu · maxpool 2 · fc 400→120 · relu · fc 120→84 · relu · fc 84→10
// Input [N, 3, 32, 32]; 62,006 parameters; names conv1, pool, conv2, fc1, fc2, fc3 as in the tutorial (one
// 2×2 max-pool module, used twice).
import Fovea

public final class LeNet5: Module {
    public var isTraining = true
    public let conv1: Conv2d, conv2: Conv2d, fc1: Linear, fc2: Linear, fc3: Linear
    public let pool = MaxPool2d(kernel: 2)

    public init(classes: Int = 10, using rng: inout some RandomNumberGenerator) {
        conv1 = Conv2d(3, 6, kernelSize: 5, using: &rng)
        conv2 = Conv2d(6, 16, kernelSize: 5, using: &rng)
        fc1 = Linear(16 * 5 * 5, 120, using: &rng)
        fc2 = Linear(120, 84, using: &rng)
        fc3 = Linear(84, classes, using: &rng)
    }

    public var children: [(String, any Module)] {
        [("conv1", conv1), ("pool", pool), ("conv2", conv2), ("fc1", fc1), ("fc2", fc2), ("fc3", fc3)]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = pool(relu(conv1(x)))
        h = pool(relu(conv2(h)))
        h = relu(fc1(h.flattened()))
        h = relu(fc2(h))
        return fc3(h)
    }
}
