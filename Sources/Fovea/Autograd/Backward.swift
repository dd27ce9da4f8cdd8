// Reverse-mode automatic differentiation.
//
// Every op records a GradFn on its output's graph node (Autograd/GradFn.swift). To differentiate a scalar loss L:
//   1. sort the graph below L so that each tensor comes after everything computed from it;
//   2. start with dL/dL = 1 and walk that order backwards; at each tensor t, its gradient dL/dt is
//      complete (every use of t has already sent its share), so hand it to t's backward closure,
//      which returns dL/d(input) for each input — the chain rule, one op at a time;
//   3. where a tensor feeds several ops (fan-out), the shares add up: gradients accumulate.
// Leaves (parameters, inputs) keep the sum in `grad`, adding to what an earlier backward left
// there, as PyTorch does; `zeroGrad()` clears it.

extension Tensor {
    /// Computes the gradient of this scalar with respect to every leaf that requires one, and adds
    /// it to that leaf's ``grad``.
    ///
    /// - Parameters:
    ///   - gradient: dL/d(self); defaults to 1, which needs a tensor with one element.
    ///   - retainGraph: keep the recorded backward closures so that backward can run again.
    /// - Precondition: the tensor has one element (or `gradient` is given), requires a gradient,
    ///   and its graph has not been freed by an earlier backward.
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false) {
        require(requiresGrad, "backward(): this tensor does not require a gradient (nothing it depends on has requiresGrad = true)")
        if gradient == nil {
            require(count == 1, "backward() needs a scalar (one element); this tensor has shape \(shape). Reduce it first (sum or mean) or pass the gradient.")
        }
        let seed = gradient ?? Tensor(repeating: 1, shape: shape, dtype: dtype)
        require(seed.shape == shape, "backward(): gradient shape \(seed.shape) does not match tensor shape \(shape)")

        let root = graphNode
        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed]
        // Outputs first. Each node leaves the list once handled, and (unless the graph is kept)
        // its record lets go of its closure and its inputs: what backward has passed is freed at
        // once, instead of when the whole pass ends.
        var order = root.topologicalOrder()
        while let node = order.popLast() {
            guard let dOut = grads.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            guard let fn = node.gradFn else {
                node.tensor?.accumulateGrad(dOut)  // a leaf (gone if nothing holds it any more)
                continue
            }
            if let tensor = node.tensor, tensor.retainsGrad { tensor.accumulateGrad(dOut) }
            guard let pullback = fn.backward else {
                requirementFailed("backward(): the graph through '\(fn.op)' was freed by an earlier backward(). Call backward(retainGraph: true) the first time to run it twice.")
            }
            let dInputs = noGrad { pullback(dOut) }
            if !retainGraph { fn.backward = nil }
            for (input, dInput) in zip(fn.inputs, dInputs) {
                guard let input, let dInput else { continue }
                require(dInput.shape == input.shape,
                        "backward of '\(fn.op)' returned a gradient of shape \(dInput.shape) for an input of shape \(input.shape)")
                let key = ObjectIdentifier(input)
                if let sum = grads[key] { grads[key] = noGrad { sum + dInput } } else { grads[key] = dInput }
            }
            if !retainGraph { fn.inputs = [] }
        }
    }

    private func accumulateGrad(_ g: Tensor) {
        if let existing = grad {
            grad = noGrad { existing + g }
        } else {
            grad = g.storage === storage ? g.copied() : g
        }
    }

    /// Clears the accumulated gradient.
    public func zeroGrad() { grad = nil }

    /// Keeps ``grad`` for this intermediate tensor too on the next backward (to look at it).
    public func retainGrad() { retainsGrad = true }

    /// The same elements, cut off from the graph: gradients do not flow through the result.
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// Same as ``detached()`` (PyTorch's name).
    public func detach() -> Tensor { detached() }
}
