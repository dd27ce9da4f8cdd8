import CBLAS

// Matrix products through OpenBLAS (sgemm for Float32, dgemm for Float64).
// Reference: MatMul.swift's matmulReference, the triple loop C[i][j] = Σₖ A[i][k]·B[k][j].

extension CPUBackend {
    public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2, "matmul needs 2-D tensors, got \(a.shape) and \(b.shape)")
        precondition(a.dtype == b.dtype, "matmul: dtypes differ, \(a.dtype) and \(b.dtype)")
        let m = transposeA ? a.shape[1] : a.shape[0], k = transposeA ? a.shape[0] : a.shape[1]
        let kb = transposeB ? b.shape[1] : b.shape[0], n = transposeB ? b.shape[0] : b.shape[1]
        precondition(k == kb, "matmul: inner dimensions differ, \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
        let out = Tensor(zeros: [m, n], dtype: a.dtype)
        gemm(transposeA, transposeB, m, n, k, 1, a.storage.pointer, a.shape[1], b.storage.pointer, b.shape[1], 0,
             out.storage.pointer, n, dtype: a.dtype)
        return out
    }

    /// `C = α·op(A)·op(B) + β·C` on raw row-major buffers of `dtype`.
    func gemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
              _ a: UnsafeRawPointer, _ lda: Int, _ b: UnsafeRawPointer, _ ldb: Int, _ beta: Double,
              _ c: UnsafeMutableRawPointer, _ ldc: Int, dtype: DType) {
        guard m > 0, n > 0 else { return }
        requireBLAS()
        switch dtype {
        case .float32:
            fovea_sgemm(transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), Float(alpha),
                        a.assumingMemoryBound(to: Float.self), Int32(max(lda, 1)), b.assumingMemoryBound(to: Float.self),
                        Int32(max(ldb, 1)), Float(beta), c.assumingMemoryBound(to: Float.self), Int32(max(ldc, 1)))
        case .float64:
            fovea_dgemm(transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha,
                        a.assumingMemoryBound(to: Double.self), Int32(max(lda, 1)), b.assumingMemoryBound(to: Double.self),
                        Int32(max(ldb, 1)), beta, c.assumingMemoryBound(to: Double.self), Int32(max(ldc, 1)))
        case .int64:
            preconditionFailure("matmul is not defined for int64 tensors")
        }
    }

    public func addRowBias(_ x: Tensor, _ bias: Tensor) -> Tensor {
        let out = x.copied()
        let rows = x.shape[0], n = x.shape[1]
        func add<T: FloatElement>(_: T.Type) {
            let o = out.pointer(T.self), b = bias.pointer(T.self)
            for i in 0..<rows { for j in 0..<n { o[i * n + j] += b[j] } }
        }
        if x.dtype == .float32 { add(Float.self) } else { add(Double.self) }
        return out
    }
}
