// Reductions (sum, mean, max, argmax) and their adjoint, broadcasting.
// Strategy: move the reduced axes to the end (a permute, skipped when they already are), then
// reduce each contiguous row. Rows are split across threads, so sums never depend on the thread count.

extension CPUBackend {
    public func reduce(_ op: ReduceOp, _ x: Tensor, axes: [Int]) -> Tensor {
        switch x.dtype {
        case .float32: reduceKernel(op, x, axes, Float.self)
        case .float64: reduceKernel(op, x, axes, Double.self)
        case .int64: requirementFailed("reductions are not defined for int64 tensors")
        }
    }

    public func argmax(_ x: Tensor, axis: Int) -> Tensor {
        switch x.dtype {
        case .float32: argmaxKernel(x, axis, Float.self)
        case .float64: argmaxKernel(x, axis, Double.self)
        case .int64: requirementFailed("argmax is not defined for int64 tensors")
        }
    }

    public func broadcast(_ x: Tensor, to shape: [Int]) -> Tensor {
        switch x.dtype {
        case .float32: broadcastKernel(x, shape, Float.self)
        case .float64: broadcastKernel(x, shape, Double.self)
        case .int64: requirementFailed("broadcast is not defined for int64 tensors")
        }
    }

    /// `x` viewed as `[rows, columns]` with the reduced axes last (copied only if needed).
    func rowsForReduction(_ x: Tensor, _ axes: [Int]) -> (matrix: Tensor, rows: Int, columns: Int, keptShape: [Int]) {
        let reduced = Set(axes.map { x.normalizedAxis($0) })
        let kept = (0..<x.rank).filter { !reduced.contains($0) }
        let order = kept + reduced.sorted()
        let matrix = order == Array(0..<x.rank) ? x : permute(x, order)
        let columns = reduced.reduce(1) { $0 * x.shape[$1] }
        let keptShape = (0..<x.rank).map { reduced.contains($0) ? 1 : x.shape[$0] }
        return (matrix, x.count / max(columns, 1), columns, keptShape)
    }

    func reduceKernel<T: FloatElement>(_ op: ReduceOp, _ x: Tensor, _ axes: [Int], _: T.Type) -> Tensor {
        let (m, rows, columns, shape) = rowsForReduction(x, axes)
        require(columns > 0 || op != .max, "max over an empty axis of shape \(x.shape)")
        let out = Tensor(uninitialized: shape, dtype: x.dtype)
        let src = m.pointer(T.self), dst = out.pointer(T.self)
        parallelFor(rows, grain: max(1, elementwiseGrain / max(columns, 1))) { r in
            for row in r {
                let p = src + row * columns
                switch op {
                case .sum, .mean:
                    var s: T = 0
                    for j in 0..<columns { s += p[j] }
                    dst[row] = op == .mean ? s / T(columns) : s
                case .max:
                    var best = p[0]
                    for j in 1..<max(columns, 1) where p[j] > best || p[j].isNaN { best = p[j] }
                    dst[row] = best
                }
            }
        }
        return out
    }

    func argmaxKernel<T: FloatElement>(_ x: Tensor, _ axis: Int, _: T.Type) -> Tensor {
        let (m, rows, columns, shape) = rowsForReduction(x, [axis])
        let out = Tensor(zeros: shape, dtype: .int64)
        let src = m.pointer(T.self), dst = out.pointer(Int64.self)
        for row in 0..<rows {
            let p = src + row * columns
            var best = 0
            for j in 1..<max(columns, 1) where p[j] > p[best] { best = j }  // first maximum wins
            dst[row] = Int64(best)
        }
        return out
    }

    func broadcastKernel<T: FloatElement>(_ x: Tensor, _ shape: [Int], _: T.Type) -> Tensor {
        let out = Tensor(uninitialized: shape, dtype: x.dtype)
        let strides = broadcastStrides(x.shape, to: shape)
        let src = x.pointer(T.self), dst = out.pointer(T.self)
        let rank = shape.count
        guard rank > 0 else { dst[0] = src[0]; return out }
        let inner = shape[rank - 1], step = strides[rank - 1]
        let rows = out.count / max(inner, 1)
        parallelFor(rows, grain: max(1, elementwiseGrain / max(inner, 1))) { r in
            for row in r {
                var rest = row, offset = 0
                for axis in stride(from: rank - 2, through: 0, by: -1) {
                    offset += (rest % shape[axis]) * strides[axis]
                    rest /= shape[axis]
                }
                for j in 0..<inner { dst[row * inner + j] = src[offset + j * step] }
            }
        }
        return out
    }
}
