import Fovea
import Testing

@Suite("lookahead (moving average of the weights)")
struct LookaheadTests {
    final class Pair: Module {
        var isTraining = true
        let weight = Tensor(shape: [2], [1, 2], requiresGrad: true)
        let count = Tensor(zeros: [], dtype: .int64)
        var ownParameters: [(String, Tensor)] { [("weight", weight)] }
        var ownBuffers: [(String, Tensor)] { [("count", count)] }
        func callAsFunction(_ x: Tensor) -> Tensor { x * weight }
    }

    @Test("ā ← decay·ā + (1 − decay)·θ, then θ ← ā; decay 1 only resets θ; integer buffers are left alone")
    func update() throws {
        let model = Pair()
        let lookahead = Lookahead(model)
        model.weight.assign(Tensor(shape: [2], [3, 6]))
        model.count.pointer(Int64.self).pointee = 5
        lookahead.update(model, decay: 0.75)              // ā = 0.75·(1, 2) + 0.25·(3, 6) = (1.5, 3)
        #expect(model.weight.doubles == [1.5, 3])
        #expect(lookahead.average["weight"]!.doubles == [1.5, 3])
        #expect(lookahead.average["count"] == nil && model.count.int64s == [5])
        model.weight.assign(Tensor(shape: [2], [0, 0]))
        lookahead.update(model, decay: 1)
        #expect(model.weight.doubles == [1.5, 3])
    }

    @Test("the average is saved as lookahead.NAME and read back; a wrong shape or an unknown name is an error")
    func state() throws {
        let model = Pair()
        let lookahead = Lookahead(model)
        model.weight.assign(Tensor(shape: [2], [5, 5]))
        lookahead.update(model, decay: 0.5)
        let saved = Dictionary(uniqueKeysWithValues: lookahead.stateDict().map { ($0.name, $0.tensor) })
        #expect(Array(saved.keys) == ["lookahead.weight"])
        let restored = Lookahead(Pair())
        try restored.loadStateDict(saved, source: "x.safetensors")
        #expect(restored.average["weight"]!.doubles == [3, 3.5])
        #expect(throws: CheckpointError.self) { try restored.loadStateDict(["lookahead.weight": Tensor(zeros: [3])], source: "x") }
        #expect(throws: CheckpointError.self) { try restored.loadStateDict(["lookahead.other": Tensor(zeros: [2])], source: "x") }
        #expect(throws: CheckpointError.self) { try restored.loadStateDict([:], source: "x") }
    }
}
