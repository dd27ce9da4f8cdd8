import Fovea
import Testing

@Suite("autograd")
struct AutogradTests {
    @Test("fan-out: a tensor used twice gets both gradients")
    func fanOut() {
        let x = Tensor([3], requiresGrad: true)
        let y = x * x + x  // dy/dx = 2x + 1 = 7
        y.sum().backward()
        #expect(x.grad?.scalars == [7])
    }

    @Test("diamond graph: gradients meet and add")
    func diamond() {
        let x = Tensor([2], requiresGrad: true)
        let a = x * 3, b = x.exp()
        let y = (a * b).sum()           // d/dx (3x·eˣ) = 3eˣ + 3x·eˣ
        y.backward()
        let expected = 3 * Foundation_exp(2) + 6 * Foundation_exp(2)
        #expect(abs(x.grad!.item() - expected) < 1e-4)
    }

    @Test("gradients accumulate across backward calls until zeroGrad")
    func accumulation() {
        let w = Tensor([1, 2], requiresGrad: true)
        (w * 2).sum().backward()
        (w * 3).sum().backward()
        #expect(w.grad?.scalars == [5, 5])
        w.zeroGrad()
        #expect(w.grad == nil)
    }

    @Test("noGrad records nothing; detach cuts the graph")
    func noGradAndDetach() {
        let x = Tensor([1, 2], requiresGrad: true)
        let y = noGrad { x * 2 }
        #expect(!y.requiresGrad)
        #expect(y.isLeaf)
        let d = (x * 2).detached()
        #expect(!d.requiresGrad)
        let z = (d * x).sum()
        z.backward()
        #expect(x.grad?.scalars == [2, 4])  // d was a constant
    }

    @Test("retainGrad keeps an intermediate gradient")
    func retainGrad() {
        let x = Tensor([1, -1], requiresGrad: true)
        let h = x * 3
        h.retainGrad()
        (relu(h) * 2).sum().backward()
        #expect(h.grad?.scalars == [2, 0])
        #expect(x.grad?.scalars == [6, 0])
    }

    @Test("retainGraph allows a second backward")
    func retainGraph() {
        let x = Tensor([1], requiresGrad: true)
        let y = (x * 4).sum()
        y.backward(retainGraph: true)
        y.backward()
        #expect(x.grad?.scalars == [8])
    }

    @Test("backward on a non-scalar traps")
    func nonScalarTraps() async {
        await #expect(processExitsWith: .failure) {
            let x = Tensor([1, 2], requiresGrad: true)
            (x * 2).backward()
        }
    }

    @Test("backward twice through a freed graph traps")
    func freedGraphTraps() async {
        await #expect(processExitsWith: .failure) {
            let x = Tensor([1, 2], requiresGrad: true)
            let y = (x * x).sum()
            y.backward()
            y.backward()
        }
    }
}

private func Foundation_exp(_ x: Double) -> Double { Tensor(scalar: x, dtype: .float64).exp().item() }
