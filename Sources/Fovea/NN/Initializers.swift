import RealModule

// Weight initialisation, matching PyTorch's formulas so that a Fovea layer starts from the same
// distribution as its PyTorch twin (the numbers differ: the generators differ).
//
//   fan_in  = inputs per output unit  = in_channels·R·S (conv) or in_features (linear)
//   fan_out = outputs per input unit  = out_channels·R·S or out_features
//   Kaiming/He (2015) normal:  N(0, gain² / fan),           gain = √2 for ReLU
//   Kaiming/He uniform:        U(−b, b), b = gain·√(3/fan)
//   Xavier/Glorot (2010):      U(−b, b), b = √(6 / (fan_in + fan_out)); normal: σ = √(2 / (fan_in + fan_out))
//   PyTorch's default for Conv2d and Linear is Kaiming uniform with a = √5, which works out to
//   U(−1/√fan_in, 1/√fan_in), and the bias is U(−1/√fan_in, 1/√fan_in) too.
//   Dirac (identity): filter o passes input channel o through unchanged (a 1 at the kernel's
//   centre), so a conv starts as the identity on those channels (PyTorch's `nn.init.dirac_`).

/// Ways to fill a weight tensor. All draw from the generator passed in.
public enum Initializer {
    /// Inputs and outputs per unit of a weight `[out, in, …]`.
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape.count > 1 ? shape[1] * receptive : shape[0], shape[0] * receptive)
    }

    /// PyTorch's default for Conv2d and Linear weights: U(−1/√fan_in, 1/√fan_in).
    public static func pytorchDefault(_ shape: [Int], using rng: inout some RandomNumberGenerator) -> Tensor {
        let bound = 1 / Double.sqrt(Double(fans(shape).fanIn))
        return Tensor.uniform(shape, low: -bound, high: bound, using: &rng)
    }

    /// He et al. (2015) normal initialisation for ReLU networks: N(0, 2/fan).
    public static func kaimingNormal(_ shape: [Int], fanOut: Bool = false, using rng: inout some RandomNumberGenerator) -> Tensor {
        let f = fans(shape)
        return Tensor.normal(shape, std: Double.sqrt(2 / Double(fanOut ? f.fanOut : f.fanIn)), using: &rng)
    }

    /// He et al. (2015) uniform initialisation for ReLU networks: U(−√(6/fan), √(6/fan)).
    public static func kaimingUniform(_ shape: [Int], fanOut: Bool = false, using rng: inout some RandomNumberGenerator) -> Tensor {
        let f = fans(shape)
        let bound = Double.sqrt(6 / Double(fanOut ? f.fanOut : f.fanIn))
        return Tensor.uniform(shape, low: -bound, high: bound, using: &rng)
    }

    /// Glorot & Bengio (2010): U(−√(6/(fan_in + fan_out)), √(6/(fan_in + fan_out))).
    public static func xavierUniform(_ shape: [Int], using rng: inout some RandomNumberGenerator) -> Tensor {
        let f = fans(shape)
        let bound = Double.sqrt(6 / Double(f.fanIn + f.fanOut))
        return Tensor.uniform(shape, low: -bound, high: bound, using: &rng)
    }

    /// `weight` `[out, in, R, S]` with its first `min(out, in)` filters replaced by Dirac filters:
    /// filter o is 1 at (channel o, centre) and 0 elsewhere; the other filters are kept. airbench
    /// starts every 3×3 convolution this way (a filter bank that first passes its input on).
    public static func diracFirstFilters(_ weight: Tensor) -> Tensor {
        require(weight.rank == 4, "diracFirstFilters expects a conv weight [out, in, R, S], got \(weight.shape)")
        let (outputs, inputs, r, s) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        var values = weight.doubles
        for o in 0..<min(outputs, inputs) {
            for i in 0..<(inputs * r * s) { values[o * inputs * r * s + i] = 0 }
            values[((o * inputs + o) * r + r / 2) * s + s / 2] = 1
        }
        return weight.dtype == .float64 ? Tensor(shape: weight.shape, float64: values) : Tensor(shape: weight.shape, values.map(Float.init))
    }

    /// Glorot & Bengio (2010) normal: N(0, 2/(fan_in + fan_out)).
    public static func xavierNormal(_ shape: [Int], using rng: inout some RandomNumberGenerator) -> Tensor {
        let f = fans(shape)
        return Tensor.normal(shape, std: Double.sqrt(2 / Double(f.fanIn + f.fanOut)), using: &rng)
    }
}

extension Tensor {
    /// Marks a freshly made tensor as a learnable parameter.
    func asParameter() -> Tensor {
        requiresGrad = true
        return self
    }
}
