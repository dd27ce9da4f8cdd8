import Fovea
import Testing

/// conv2d of `x` with `weight`, `bias` and padding `padding`, forward and backward through autograd
/// (an output gradient drawn from `rng`), against conv2dReference and conv2dBackwardReference: the
/// output and the three gradients, each within 1e-4 + 1e-4·|expected|.
public func expectConv2dMatchesReference(x: Tensor, weight: Tensor, bias: Tensor, padding: Int,
                                         using rng: inout some RandomNumberGenerator, _ label: String,
                                         sourceLocation: SourceLocation = #_sourceLocation) {
    for t in [x, weight, bias] { t.requiresGrad = true }
    let out = conv2d(x, weight: weight, bias: bias, padding: IntPair(padding))
    let dOut = Tensor.normal(out.shape, using: &rng)
    out.backward(dOut)
    let reference = conv2dReference(x, weight: weight, bias: bias, padding: IntPair(padding))
    let (dx, dw, db) = conv2dBackwardReference(dOut, x: x, weight: weight, padding: IntPair(padding))
    for (name, fast, slow) in [("out", out, reference), ("dx", x.grad!, dx), ("dw", weight.grad!, dw), ("db", bias.grad!, db)] {
        expectClose(fast, slow, atol: 1e-4, rtol: 1e-4, "\(name) of \(label) against the reference", sourceLocation: sourceLocation)
    }
}
