import Fovea
import Testing

@Suite("graph records")
struct GraphRecordTests {
    @Test("recordedInputs name an op's inputs; graphOrder lists every tensor after its inputs")
    func records() {
        let a = Tensor(scalar: 2, requiresGrad: true), b = Tensor(scalar: 3, requiresGrad: true), c = Tensor(scalar: 4)
        let product = a * b, total = product + c, out = total * a
        #expect(out.opName == "mul" && a.opName == nil)
        #expect(out.recordedInputs.map { ObjectIdentifier($0) } == [ObjectIdentifier(total), ObjectIdentifier(a)])
        #expect(total.recordedInputs.map { ObjectIdentifier($0) } == [ObjectIdentifier(product)])  // c needs no gradient
        let order = out.graphOrder.map { ObjectIdentifier($0) }
        #expect(Set(order) == Set([a, b, product, total, out].map { ObjectIdentifier($0) }))
        for t in [a, b, product, total, out] {
            let position = order.firstIndex(of: ObjectIdentifier(t))!
            for input in t.recordedInputs { #expect(order.firstIndex(of: ObjectIdentifier(input))! < position) }
        }
        #expect(c.graphOrder.count == 1)
    }
}
