import Fovea
import Testing

@Suite("symmetric eigendecomposition (LAPACK dsyev)")
struct SymmetricEigenTests {
    @Test("A = V·diag(λ)·Vᵀ with orthonormal V and ascending λ, on a random symmetric 12×12 matrix")
    func reconstructs() {
        var rng = SplitMix64(seed: 3)
        let n = 12
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in i..<n { a[i * n + j] = rng.nextUnitDouble() * 2 - 1; a[j * n + i] = a[i * n + j] } }
        let eigen = SymmetricEigen(a, n: n)
        #expect(eigen.values == eigen.values.sorted())
        for i in 0..<n {
            for j in 0..<n {
                let rebuilt = (0..<n).reduce(0.0) { $0 + eigen.vectors[$1][i] * eigen.values[$1] * eigen.vectors[$1][j] }
                #expect(abs(rebuilt - a[i * n + j]) < 1e-12, "entry (\(i), \(j)): \(rebuilt) vs \(a[i * n + j])")
                let dot = (0..<n).reduce(0.0) { $0 + eigen.vectors[i][$1] * eigen.vectors[j][$1] }
                #expect(abs(dot - (i == j ? 1 : 0)) < 1e-12, "vectors \(i) and \(j): dot \(dot)")
            }
        }
    }

    @Test("a diagonal matrix: its entries, sorted, and unit vectors")
    func diagonal() {
        let eigen = SymmetricEigen([3, 0, 0, 0, 1, 0, 0, 0, 2], n: 3)
        #expect(eigen.values.map { ($0 * 1e12).rounded() / 1e12 } == [1, 2, 3])
        #expect(eigen.vectors[0].map(abs) == [0, 1, 0])
    }
}
