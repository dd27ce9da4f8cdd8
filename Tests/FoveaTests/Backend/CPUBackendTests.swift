import Fovea
import Testing

@Suite("CPU backend")
struct CPUBackendTests {
    @Test("OpenBLAS opens and names its kernel")
    func blas() {
        let backend = CPUBackend.shared
        #expect(backend.blasKernel != "unavailable")
        #expect(!backend.blasKernel.isEmpty)
        #expect(backend.name.contains(backend.blasKernel))
    }

    @Test("sgemm agrees with the Double triple loop on odd shapes")
    func gemmMatchesReference() {
        var rng = SplitMix64(seed: 11)
        for (m, k, n) in [(1, 1, 1), (7, 13, 5), (33, 65, 17), (128, 3, 64)] {
            let a = Tensor.normal([m, k], using: &rng), b = Tensor.normal([k, n], using: &rng)
            let fast = matmul(a, b), reference = matmulReference(a, b)
            for (x, y) in zip(fast.doubles, reference.doubles) { #expect(abs(x - y) <= 1e-5 + 1e-4 * abs(y)) }
        }
    }

    @Test("fast conv2d equals the reference on larger odd shapes")
    func convolutionFastPath() {
        var rng = SplitMix64(seed: 12)
        let x = Tensor.normal([3, 5, 11, 13], using: &rng), w = Tensor.normal([7, 5, 3, 3], using: &rng)
        let b = Tensor.normal([7], using: &rng)
        let fast = conv2d(x, weight: w, bias: b, stride: 2, padding: 1)
        let reference = conv2dReference(x, weight: w, bias: b, stride: 2, padding: 1)
        #expect(fast.shape == reference.shape)
        for (p, q) in zip(fast.doubles, reference.doubles) { #expect(abs(p - q) <= 1e-4 + 1e-4 * abs(q)) }
    }
}
