/// The record an op leaves on its output: which op, which inputs, and how to turn the gradient of
/// the output into gradients of the inputs (the chain rule for that one op).
final class GradFn {
    let op: String
    let inputs: [Tensor]
    /// `dOut -> [dInput]`, one entry per input (`nil` where an input needs no gradient).
    /// Set to `nil` once backward has run, which frees what the closure saved.
    var backward: ((Tensor) -> [Tensor?])?

    init(op: String, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
        self.op = op
        self.inputs = inputs
        self.backward = backward
    }
}

extension Tensor {
    /// Attaches an op's backward to its freshly computed output when any input requires a gradient
    /// and recording is on (outside ``noGrad(_:)``). Every op ends with this call:
    ///
    ///     return record(out, "relu", [x]) { dOut in [reluBackward(dOut, x)] }
    @discardableResult
    public static func record(_ out: Tensor, _ op: String, _ inputs: [Tensor],
                              backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        guard GradMode.isEnabled, inputs.contains(where: \.requiresGrad) else { return out }
        out.requiresGrad = true
        out.gradFn = GradFn(op: op, inputs: inputs, backward: backward)
        return out
    }
}
