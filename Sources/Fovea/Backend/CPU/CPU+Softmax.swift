import RealModule

// log-softmax along the last axis of a 2-D tensor, computed stably:
//   log softmax(z)_j = (z_j − m) − log Σ_i exp(z_i − m),   m = max_i z_i
// Subtracting the row maximum keeps every exp ≤ 1, so large logits cannot overflow.

extension CPUBackend {
    public func logSoftmax(_ x: Tensor) -> Tensor {
        switch x.dtype {
        case .float32: logSoftmaxKernel(x, Float.self)
        case .float64: logSoftmaxKernel(x, Double.self)
        case .int64: requirementFailed("logSoftmax is not defined for int64 tensors")
        }
    }

    func logSoftmaxKernel<T: FloatElement>(_ x: Tensor, _: T.Type) -> Tensor {
        require(x.rank == 2, "logSoftmax kernel expects [rows, classes], got \(x.shape)")
        let (rows, n) = (x.shape[0], x.shape[1])
        let out = Tensor(uninitialized: x.shape, dtype: x.dtype)
        let src = x.pointer(T.self), dst = out.pointer(T.self)
        parallelFor(rows, grain: max(1, 4096 / max(n, 1))) { r in
            for row in r {
                let z = src + row * n, o = dst + row * n
                var m = -T.infinity
                for j in 0..<n { m = Swift.max(m, z[j]) }
                var s: T = 0
                for j in 0..<n { s += T.exp(z[j] - m) }
                let logSum = T.log(s)
                for j in 0..<n { o[j] = (z[j] - m) - logSum }  // z − m first: exact for large logits
            }
        }
        return out
    }
}
