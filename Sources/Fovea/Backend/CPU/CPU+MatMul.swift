import CBLAS

// Matrix products through OpenBLAS (sgemm for Float32, dgemm for Float64).
// Reference: MatMul.swift's matmulReference, the triple loop C[i][j] = Σₖ A[i][k]·B[k][j].

/// Rows or columns of C per OpenBLAS call when a product is split across threads.
let gemmBlock = 256

extension CPUBackend {
    public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor {
        require(a.rank == 2 && b.rank == 2, "matmul needs 2-D tensors, got \(a.shape) and \(b.shape)")
        require(a.dtype == b.dtype, "matmul: dtypes differ, \(a.dtype) and \(b.dtype)")
        let m = transposeA ? a.shape[1] : a.shape[0], k = transposeA ? a.shape[0] : a.shape[1]
        let kb = transposeB ? b.shape[1] : b.shape[0], n = transposeB ? b.shape[0] : b.shape[1]
        require(k == kb, "matmul: inner dimensions differ, \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
        let out = Tensor(zeros: [m, n], dtype: a.dtype)
        gemm(transposeA, transposeB, m, n, k, 1, a.storage.pointer, a.shape[1], b.storage.pointer, b.shape[1], 0,
             out.storage.pointer, n, dtype: a.dtype)
        return out
    }

    /// `C = α·op(A)·op(B) + β·C` on raw row-major buffers of `dtype`.
    ///
    /// OpenBLAS itself runs on one thread; Fovea cuts C into blocks of `gemmBlock` columns (or
    /// rows) and hands the blocks to its threads. The cut depends only on the shape, never on the
    /// thread count, so every thread count computes exactly the same calls and the same numbers
    /// (OpenBLAS may round differently for different block shapes). No OpenBLAS worker spins
    /// while Fovea's own parallel loops run.
    func gemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
              _ a: UnsafeRawPointer, _ lda: Int, _ b: UnsafeRawPointer, _ ldb: Int, _ beta: Double,
              _ c: UnsafeMutableRawPointer, _ ldc: Int, dtype: DType) {
        guard m > 0, n > 0 else { return }
        requireBLAS()
        let size = dtype.size
        if max(m, n) < 2 * gemmBlock || m * n * k < 1 << 18 {
            gemmCall(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, dtype: dtype)
            return
        }
        if n >= m {  // blocks of columns of C: the same columns of op(B)
            parallelFor((n + gemmBlock - 1) / gemmBlock) { blocks in
                for block in blocks {
                    let j0 = block * gemmBlock, width = min(gemmBlock, n - j0)
                    let bOffset = transB ? j0 * ldb : j0
                    gemmCall(transA, transB, m, width, k, alpha, a, lda, b + bOffset * size, ldb, beta, c + j0 * size, ldc, dtype: dtype)
                }
            }
        } else {     // blocks of rows of C: the same rows of op(A)
            parallelFor((m + gemmBlock - 1) / gemmBlock) { blocks in
                for block in blocks {
                    let i0 = block * gemmBlock, height = min(gemmBlock, m - i0)
                    let aOffset = transA ? i0 : i0 * lda
                    gemmCall(transA, transB, height, n, k, alpha, a + aOffset * size, lda, b, ldb, beta, c + i0 * ldc * size, ldc, dtype: dtype)
                }
            }
        }
    }

    /// One OpenBLAS call (sgemm or dgemm), row-major.
    func gemmCall(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
                          _ a: UnsafeRawPointer, _ lda: Int, _ b: UnsafeRawPointer, _ ldb: Int, _ beta: Double,
                          _ c: UnsafeMutableRawPointer, _ ldc: Int, dtype: DType) {
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
            requirementFailed("matmul is not defined for int64 tensors")
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
