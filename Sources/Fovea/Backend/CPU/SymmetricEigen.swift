import CBLAS

/// The eigendecomposition of a real symmetric matrix, `A = V · diag(λ) · Vᵀ`, by LAPACK's `dsyev`
/// (which OpenBLAS contains), in Float64.
///
/// Whitening a layer's input (the airbench94 recipe's first layer) needs the eigenvectors of a
/// small covariance matrix: 12×12 for 2×2 RGB patches.
public struct SymmetricEigen: Sendable {
    /// The eigenvalues, in ascending order.
    public let values: [Double]
    /// `vectors[i]` is the unit eigenvector of `values[i]` (its sign is LAPACK's choice).
    public let vectors: [[Double]]

    /// Decomposes the symmetric `n × n` matrix given row by row in `matrix` (`n·n` numbers).
    public init(_ matrix: [Double], n: Int) {
        require(n > 0 && matrix.count == n * n, "SymmetricEigen: \(matrix.count) numbers do not make a \(n)×\(n) matrix")
        for i in 0..<n { for j in 0..<i where matrix[i * n + j] != matrix[j * n + i] {
            requirementFailed("SymmetricEigen: the matrix is not symmetric (entry (\(i), \(j)) is \(matrix[i * n + j]), (\(j), \(i)) is \(matrix[j * n + i]))")
        } }
        CPUBackend.shared.requireBLAS()
        var a = matrix   // symmetric: row-major and column-major are the same
        var w = [Double](repeating: 0, count: n)
        let info = fovea_dsyev(Int32(n), &a, &w)
        require(info == 0, "SymmetricEigen: LAPACK dsyev failed (info \(info)\(info <= -1000 ? ": OpenBLAS has no dsyev" : ""))")
        values = w
        vectors = (0..<n).map { column in Array(a[(column * n)..<((column + 1) * n)]) }  // column-major: column i is contiguous
    }
}
