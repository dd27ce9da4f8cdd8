import Foundation
import Fovea
import FoveaModels
import FoveaTestSupport
import Testing

/// Architecture equivalence with PyTorch (Tests/Fixtures/models.safetensors): a PyTorch
/// ResNet-8's state dict loads into Fovea's ResNetCIFAR by name and gives the same logits, and
/// every model's state-dict names and shapes equal PyTorch's.
@Suite("PyTorch models")
struct PyTorchModelTests {
    @Test("a PyTorch ResNet-8 state dict loads by name and gives PyTorch's logits (eval and train)")
    func resnet8() throws {
        let c = try #require(Fixtures.cases("models").first)
        let all = try Fixtures.tensors("models")
        var state: [String: Tensor] = [:]
        for (key, t) in all where key.hasPrefix("resnet8.state.") { state[String(key.dropFirst("resnet8.state.".count))] = t }
        var rng = SplitMix64(seed: 0)
        let model = ResNetCIFAR(blocksPerStage: c.int("blocks_per_stage"), using: &rng)
        try model.loadStateDict(state, source: Fixtures.path("models"))
        let x = try c.tensor("x", dtype: .float32)
        model.eval()
        let tol = Tolerance.float32
        expectClose(noGrad { model(x) }, try c.tensor("out_eval"), atol: tol.atol, rtol: tol.rtol, "ResNet-8 eval logits")
        model.train()
        expectClose(noGrad { model(x) }, try c.tensor("out_train"), atol: tol.atol, rtol: tol.rtol, "ResNet-8 train logits")
        expectClose(model.bn1.runningMean, try c.tensor("bn1_running_mean_after"), atol: tol.atol, rtol: tol.rtol, "bn1 running mean")
        expectClose(model.bn1.runningVar, try c.tensor("bn1_running_var_after"), atol: tol.atol, rtol: tol.rtol, "bn1 running var")
        #expect(model.bn1.numBatchesTracked.int64s == [8])
    }

    @Test("state-dict names, shapes and parameter counts equal PyTorch's", arguments: ["lenet", "resnet20", "vggish"])
    func stateDictKeys(_ name: String) throws {
        let metadata = try Safetensors.read(Fixtures.path("models")).metadata
        let keys = try #require(try JSONSerialization.jsonObject(with: Data(metadata["state_dict_keys"]!.utf8)) as? [String: [[Any]]])
        let counts = try #require(try JSONSerialization.jsonObject(with: Data(metadata["parameter_counts"]!.utf8)) as? [String: Int])
        var rng = SplitMix64(seed: 0)
        let model: any Module = switch name {
        case "lenet": LeNet5(using: &rng)
        case "resnet20": ResNetCIFAR.resnet20(using: &rng)
        default: VGGStyle.make(using: &rng)
        }
        let expected = keys[name]!.map { ($0[0] as! String, $0[1] as! [Int]) }.sorted { $0.0 < $1.0 }
        let actual = model.stateDict().map { ($0.name, $0.tensor.shape) }
        #expect(actual.map(\.0) == expected.map(\.0))
        #expect(actual.map(\.1) == expected.map(\.1))
        #expect(model.parameterCount == counts[name])
    }
}
