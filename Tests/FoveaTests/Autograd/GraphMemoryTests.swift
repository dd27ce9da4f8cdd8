import Foundation
import Fovea
import FoveaModels
import Testing

/// A graph is freed when its last output goes away, whether or not backward ran. Measured in a
/// child process (an exit test), so that tests running in parallel do not blur its memory.
@Suite("graph memory")
struct GraphMemoryTests {
    /// Resident set size of this process, in MB (from /proc/self/statm).
    static func residentMB() -> Double { ProcessMemory.residentBytes / 1_000_000 }

    @Test("100 grad-mode forwards without backward, then 100 training steps: resident memory stays flat")
    func flat() async throws {
        let result = try #require(await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            var rng = SplitMix64(seed: 0)
            let model = ResNetCIFAR(blocksPerStage: 1, using: &rng)   // ResNet-8
            let x = Tensor.normal([16, 3, 32, 32], using: &rng)
            let labels = Tensor(shape: [16], int64: (0..<16).map { Int64($0 % 10) })
            let optimizer = SGD(named: model.namedParameters(), learningRate: 0.01, momentum: 0.9)
            func forward() { _ = softmax(model(x), axis: 1).sum() }   // builds a graph, never backpropagated
            func step() {
                optimizer.zeroGrad()
                softmaxCrossEntropy(model(x), labels: labels).backward()
                optimizer.step()
            }
            for _ in 0..<5 { forward(); step() }                       // allocator and buffers warm
            let start = GraphMemoryTests.residentMB()
            for _ in 0..<100 { forward() }
            let afterForwards = GraphMemoryTests.residentMB()
            for _ in 0..<100 { step() }
            let afterSteps = GraphMemoryTests.residentMB()
            let message = String(format: "resident MB: start %.1f, after 100 forwards %.1f, after 100 steps %.1f\n",
                                 start, afterForwards, afterSteps)
            FileHandle.standardError.write(Data(message.utf8))
            // One leaked ResNet-8 graph at batch 16 holds about 20 MB: 100 of them would be 2 GB.
            if afterForwards - start > 40 || afterSteps - start > 40 { exit(1) }
        })
        print(String(decoding: result.standardErrorContent, as: UTF8.self))
    }
}
