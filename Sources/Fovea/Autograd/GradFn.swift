/// The record an op leaves on its output: which op, which inputs, and how to turn the gradient of
/// the output into gradients of the inputs (the chain rule for that one op).
final class GradFn {
    let op: String
    /// The graph nodes of the inputs, one per input (`nil` for an input that needs no gradient).
    /// Emptied, with `backward`, once backward has run (unless the graph is retained).
    var inputs: [AutogradNode?]
    /// `dOut -> [dInput]`, one entry per input (`nil` where an input needs no gradient).
    /// Set to `nil` once backward has run, which frees what the closure saved.
    var backward: ((Tensor) -> [Tensor?])?

    init(op: String, inputs: [AutogradNode?], backward: @escaping (Tensor) -> [Tensor?]) {
        self.op = op
        self.inputs = inputs
        self.backward = backward
    }
}

/// A tensor's place in the graph, apart from its values: how it was made (its ``GradFn``) and its
/// shape. The graph links these nodes, not the tensors themselves, so that a tensor's storage is
/// freed as soon as nothing needs its values: an activation lives on only while a backward closure
/// saved it (as PyTorch's autograd nodes hold only what each op saved). The node points back to its
/// tensor weakly, to add gradients into leaves and into tensors that asked for ``Tensor/retainGrad()``.
final class AutogradNode {
    let gradFn: GradFn?
    let shape: [Int]
    weak var tensor: Tensor?

    init(gradFn: GradFn?, tensor: Tensor) {
        self.gradFn = gradFn
        self.shape = tensor.shape
        self.tensor = tensor
    }

    /// Every node this one was computed from (itself included), each after all of its inputs.
    func topologicalOrder() -> [AutogradNode] {
        var order: [AutogradNode] = []
        var visited = Set<ObjectIdentifier>()
        // Iterative depth-first search: (node, inputs already pushed?)
        var stack: [(AutogradNode, Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded { order.append(node); continue }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for case let input? in node.gradFn?.inputs ?? [] where !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }
}

extension Tensor {
    /// Attaches an op's backward to its freshly computed output when any input requires a gradient
    /// and recording is on (outside ``noGrad(_:)``). Every op ends with this call:
    ///
    ///     return record(out, "relu", [x]) { dOut in [reluBackward(dOut, x)] }
    ///
    /// The closure should capture only what its backward reads (values of inputs or output, or
    /// just their shapes): everything else is freed as soon as the forward pass moves on.
    @discardableResult
    public static func record(_ out: Tensor, _ op: String, _ inputs: [Tensor],
                              backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        guard GradMode.isEnabled, inputs.contains(where: \.requiresGrad) else { return out }
        out.requiresGrad = true
        let fn = GradFn(op: op, inputs: inputs.map { $0.requiresGrad ? $0.graphNode : nil }, backward: backward)
        out.node = AutogradNode(gradFn: fn, tensor: out)
        return out
    }

    /// This tensor's node: the one an op recorded on it, or a new leaf node.
    var graphNode: AutogradNode {
        if let node { return node }
        let leaf = AutogradNode(gradFn: nil, tensor: self)
        node = leaf
        return leaf
    }
}

extension Tensor {
    /// The tensors this one was computed from, in the order its op took them, as far as they still
    /// exist (the graph keeps only what backward needs; see ``AutogradNode``). Empty for a leaf.
    /// For looking at a graph, as lesson 03 does.
    public var recordedInputs: [Tensor] {
        gradFn?.inputs.compactMap { $0?.tensor } ?? []
    }

    /// Every tensor this one was computed from, itself included, each listed after all of its
    /// inputs: the order in which ``backward(_:retainGraph:)`` visits them, reversed. Tensors that
    /// nothing holds any more are left out.
    public var graphOrder: [Tensor] {
        guard requiresGrad else { return [self] }
        return graphNode.topologicalOrder().compactMap(\.tensor)
    }
}
