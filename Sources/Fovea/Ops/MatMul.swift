// Matrix products. a: [m, k], b: [k, n], out: [m, n].
//
//   matmul  forward  C = A·B                backward  dA = dC·Bᵀ,  dB = Aᵀ·dC
//   linear  forward  y = x·Wᵀ + b           backward  dx = dy·W,  dW = dyᵀ·x,  db = Σ_rows dy
//           (x: [batch, in], W: [out, in], b: [out], as torch.nn.functional.linear)
// The fast path is the backend's gemm (OpenBLAS); matmulReference is the triple loop.

/// The matrix product of two 2-D tensors.
///
/// - Precondition: `a.shape[1] == b.shape[0]`.
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    require(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[0], "matmul: shapes \(a.shape) and \(b.shape) do not chain")
    let out = a.backend.matmul(a, b, transposeA: false, transposeB: false)
    return Tensor.record(out, "matmul", [a, b]) { dOut in
        [a.requiresGrad ? a.backend.matmul(dOut, b, transposeA: false, transposeB: true) : nil,
         b.requiresGrad ? a.backend.matmul(a, dOut, transposeA: true, transposeB: false) : nil]
    }
}

/// A fully connected layer: `y = x·Wᵀ + b`.
///
/// - Parameters:
///   - x: `[batch, inFeatures]`
///   - weight: `[outFeatures, inFeatures]` (PyTorch's layout)
///   - bias: `[outFeatures]`
/// - Precondition: `x.shape[1] == weight.shape[1]`.
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    require(x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1],
            "linear: input \(x.shape) does not fit weight \(weight.shape) (expected [batch, \(weight.rank == 2 ? weight.shape[1] : 0)])")
    if let bias { require(bias.shape == [weight.shape[0]], "linear: bias \(bias.shape) does not fit weight \(weight.shape)") }
    let backend = x.backend
    var out = backend.matmul(x, weight, transposeA: false, transposeB: true)
    if let bias { out = backend.addRowBias(out, bias) }
    return Tensor.record(out, "linear", [x, weight] + (bias.map { [$0] } ?? [])) { dOut in
        var grads: [Tensor?] = [
            x.requiresGrad ? backend.matmul(dOut, weight, transposeA: false, transposeB: false) : nil,
            weight.requiresGrad ? backend.matmul(dOut, x, transposeA: true, transposeB: false) : nil,
        ]
        if let bias { grads.append(bias.requiresGrad ? backend.reduce(.sum, dOut, axes: [0]).reshapedStorage([bias.count]) : nil) }
        return grads
    }
}

/// The plain triple loop `C[i][j] = Σₖ A[i][k]·B[k][j]`, in Double, for tests and lessons.
public func matmulReference(_ a: Tensor, _ b: Tensor) -> Tensor {
    require(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[0], "matmul: shapes \(a.shape) and \(b.shape) do not chain")
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    let x = a.doubles, y = b.doubles
    var c = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var s = 0.0
            for p in 0..<k { s += x[i * k + p] * y[p * n + j] }
            c[i * n + j] = s
        }
    }
    let out = Tensor(zeros: [m, n], dtype: a.dtype)
    out.setElements(c)
    return out
}

extension Tensor {
    /// The same storage under another shape, without recording anything (for kernels' results).
    func reshapedStorage(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, storage: storage) }
}
