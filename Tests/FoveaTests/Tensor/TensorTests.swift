import Fovea
import Testing

@Suite("Tensor")
struct TensorTests {
    @Test("creation from arrays, constants and ranges")
    func creation() {
        let t = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(t.shape == [2, 3])
        #expect(t.scalars == [1, 2, 3, 4, 5, 6])
        #expect(t.rows == [[1, 2, 3], [4, 5, 6]])
        #expect(t[1, 2] == 6)
        #expect(Tensor(zeros: [2, 2]).scalars == [0, 0, 0, 0])
        #expect(Tensor(repeating: 7, shape: [3]).scalars == [7, 7, 7])
        #expect(Tensor.arange(0, 5).scalars == [0, 1, 2, 3, 4])
        #expect(Tensor.arange(1, 2, step: 0.25).scalars == [1, 1.25, 1.5, 1.75])
        #expect(Tensor(scalar: 3.5).item() == 3.5)
        #expect(Tensor(shape: [2], float64: [1.5, 2.5]).dtype == .float64)
    }

    @Test("seeded random tensors repeat exactly; different seeds differ")
    func seededRandom() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42), c = SplitMix64(seed: 43)
        let x = Tensor.normal([100], using: &a), y = Tensor.normal([100], using: &b), z = Tensor.normal([100], using: &c)
        #expect(x.scalars == y.scalars)
        #expect(x.scalars != z.scalars)
        let values = x.doubles
        let mean = values.reduce(0, +) / 100
        #expect(abs(mean) < 0.3)  // N(0, 1): the mean of 100 draws has std 0.1
        var d = SplitMix64(seed: 1)
        let u = Tensor.uniform([1000], low: -2, high: 3, using: &d).doubles
        #expect(u.allSatisfy { $0 >= -2 && $0 < 3 })
    }

    @Test("reshape is a view; flatten, permute, transpose, slice, concat move elements")
    func movement() {
        let x = Tensor.arange(0, 24).reshaped([2, 3, 4])
        #expect(x.reshaped([4, -1]).shape == [4, 6])
        #expect(x.reshaped([6, 4]).storage === x.storage)
        #expect(x.flattened().shape == [2, 12])
        let p = x.permuted([2, 0, 1])
        #expect(p.shape == [4, 2, 3])
        #expect(p[3, 1, 2] == x[1, 2, 3])
        #expect(Tensor([[1, 2], [3, 4]]).transposed().scalars == [1, 3, 2, 4])
        #expect(x.sliced(1..<2).scalars == Array(12..<24).map(Float.init))
        let joined = Tensor.concatenated([Tensor([[1, 2]]), Tensor([[3, 4], [5, 6]])], axis: 0)
        #expect(joined.rows == [[1, 2], [3, 4], [5, 6]])
        #expect(Tensor.concatenated([Tensor([[1], [2]]), Tensor([[3], [4]])], axis: 1).rows == [[1, 3], [2, 4]])
    }

    @Test("broadcasting arithmetic follows NumPy rules")
    func broadcasting() {
        let a = Tensor([[1, 2, 3], [4, 5, 6]]), b = Tensor([10, 20, 30])
        #expect((a + b).rows == [[11, 22, 33], [14, 25, 36]])
        #expect((a * Tensor(shape: [2, 1], [2, 3])).rows == [[2, 4, 6], [12, 15, 18]])
        #expect((a - 1).scalars == [0, 1, 2, 3, 4, 5])
        #expect((12 / Tensor([3, 4])).scalars == [4, 3])
        #expect(broadcastShape([4, 1, 3], [5, 1]) == [4, 5, 3])
    }

    @Test("reductions over axes, with and without kept dimensions")
    func reductions() {
        let a = Tensor([[1, 5, 3], [4, 2, 6]])
        #expect(a.sum().item() == 21)
        #expect(a.sum(axes: [0]).scalars == [5, 7, 9])
        #expect(a.sum(axes: [1], keepDims: true).shape == [2, 1])
        #expect(a.mean(axes: [1]).scalars == [3, 4])
        #expect(a.max(axes: [-1]).scalars == [5, 6])
        #expect(a.argmax(axis: 1).int64s == [1, 2])
        #expect(Tensor([3, 7, 7, 1]).argmax(axis: 0).int64s == [1])  // the first maximum
    }

    @Test("unary math")
    func unary() {
        let x = Tensor([-2, -0.5, 0, 1.5])
        #expect(relu(x).scalars == [0, 0, 0, 1.5])
        #expect(x.abs().scalars == [2, 0.5, 0, 1.5])
        #expect(x.clamped(min: -1, max: 1).scalars == [-1, -0.5, 0, 1])
        #expect(leakyRelu(x, slope: 0.1).scalars == [-0.2, -0.05, 0, 1.5])
        #expect(Tensor([4, 9]).sqrt().scalars == [2, 3])
        #expect(Tensor([-2, 3]).pow(2).scalars == [4, 9])
        #expect(abs(sigmoid(Tensor([0])).item() - 0.5) < 1e-7)
    }

    @Test("description prints small tensors as a matrix and elides large ones")
    func description() {
        let small = Tensor([[1, 2], [3, 4]])
        #expect(small.description.contains("[[1.0000  2.0000]"))
        #expect(small.description.hasPrefix("Tensor(2×2, float32)"))
        #expect(Tensor([-0.0, 1]).formatted() == "[0.0000  1.0000]")  // no "-0.0000"
        let large = Tensor.arange(0, 100)
        #expect(large.formatted().contains("…"))
        let x = Tensor([1, 2], requiresGrad: true)
        #expect((x * 2).description.contains("grad_fn: mul"))
    }

    @Test("dtype conversion keeps values")
    func conversion() {
        let x = Tensor([1.5, -2.25])
        #expect(x.converted(to: .float64).doubles == [1.5, -2.25])
        #expect(x.converted(to: .float64).converted(to: .float32).scalars == [1.5, -2.25])
    }

    @Test("mismatched shapes trap with both shapes in the message")
    func shapeMismatchTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Tensor(zeros: [2, 3]) + Tensor(zeros: [4])
        }
        await #expect(processExitsWith: .failure) {
            _ = matmul(Tensor(zeros: [2, 3]), Tensor(zeros: [4, 5]))
        }
        await #expect(processExitsWith: .failure) {
            _ = conv2d(Tensor(zeros: [1, 3, 8, 8]), weight: Tensor(zeros: [4, 2, 3, 3]))
        }
    }
}
