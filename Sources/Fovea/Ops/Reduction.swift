// Reductions and their backward. x: any shape; `axes` may be negative; without `keepDims` the
// reduced axes disappear from the result.
//
//   sum   forward Σ x over axes          backward dOut repeated over the axes
//   mean  forward Σ x / n                 backward dOut / n repeated
//   max   forward the largest element     backward dOut to the first maximum of each group
//                                         (row-major order), 0 elsewhere

extension Tensor {
    /// The sum over `axes` (all axes when `nil`).
    public func sum(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        reduction(.sum, axes, keepDims)
    }

    /// The mean over `axes` (all axes when `nil`).
    public func mean(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        reduction(.mean, axes, keepDims)
    }

    /// The maximum over `axes` (all axes when `nil`). The gradient goes to the first maximum.
    public func max(axes: [Int]? = nil, keepDims: Bool = false) -> Tensor {
        reduction(.max, axes, keepDims)
    }

    /// The index of the first maximum along `axis`, as an Int64 tensor (not differentiable).
    public func argmax(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = normalizedAxis(axis)
        let kept = backend.argmax(self, axis: a)
        return keepDims ? kept : Tensor(shape: shape.enumerated().filter { $0.offset != a }.map(\.element), storage: kept.storage)
    }

    private func reduction(_ op: ReduceOp, _ axes: [Int]?, _ keepDims: Bool) -> Tensor {
        let reduced = Set((axes ?? Array(0..<rank)).map { normalizedAxis($0) }).sorted()
        let kept = backend.reduce(op, self, axes: reduced)           // reduced axes kept as size 1
        let keptShape = kept.shape
        let finalShape = keepDims ? keptShape : shape.enumerated().filter { !reduced.contains($0.offset) }.map(\.element)
        let out = Tensor(shape: finalShape, storage: kept.storage)
        let name = op == .sum ? "sum" : (op == .mean ? "mean" : "max")
        return Tensor.record(out, name, [self]) { [self] dOut in
            let d = Tensor(shape: keptShape, storage: dOut.storage)
            switch op {
            case .sum:
                return [backend.broadcast(d, to: shape)]
            case .mean:
                let n = reduced.reduce(1) { $0 * shape[$1] }
                return [backend.broadcast(backend.unary(.mulScalar(1 / Double(n)), d), to: shape)]
            case .max:
                return [maxBackward(d, reduced)]
            }
        }
    }

    /// Sends each group's gradient to its first maximum.
    private func maxBackward(_ d: Tensor, _ reduced: [Int]) -> Tensor {
        let values = doubles, dOut = d.doubles
        let outStrides = broadcastStrides(d.shape, to: shape)  // 0 along reduced axes
        let strides = contiguousStrides(shape)
        var bestIndex = [Int](repeating: -1, count: d.count)
        for i in 0..<count {
            var o = 0
            for axis in 0..<rank { o += (i / strides[axis]) % shape[axis] * outStrides[axis] }
            if bestIndex[o] < 0 || values[i] > values[bestIndex[o]] { bestIndex[o] = i }
        }
        var grad = [Double](repeating: 0, count: count)
        for (o, i) in bestIndex.enumerated() where i >= 0 { grad[i] += dOut[o] }
        let g = Tensor(zeros: shape, dtype: dtype)
        g.setElements(grad)
        return g
    }
}
