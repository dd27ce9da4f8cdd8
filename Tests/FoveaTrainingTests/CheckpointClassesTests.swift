import Fovea
import FoveaData
import FoveaModels
import FoveaTraining
import Testing

/// A checkpoint evaluated on data with other classes, or the same in another order, is refused with
/// one line that says where the two lists part (`fovea eval` checks this before scoring anything).
@Suite("checkpoint classes")
struct CheckpointClassesTests {
    static func checkpoint(classes: [String]) -> TrainingCheckpoint {
        TrainingCheckpoint(model: ModelSpec(name: "lenet"), classNames: classes, transform: .cifar10Evaluation,
                           settings: nil, progress: nil, modelState: [:], optimizerState: [:])
    }

    @Test("the same classes pass; another order or count is a one-line error naming both")
    func requireClasses() throws {
        let saved = Self.checkpoint(classes: CIFAR10.classNames)
        try saved.requireClasses(CIFAR10.classNames, of: "data/cifar-10-batches-bin", source: "run/last.safetensors")
        var swapped = CIFAR10.classNames
        swapped.swapAt(3, 5)
        #expect(throws: TrainingError.classesDiffer(path: "run/last.safetensors", checkpoint: CIFAR10.classNames,
                                                    data: "data", dataset: swapped)) {
            try saved.requireClasses(swapped, of: "data", source: "run/last.safetensors")
        }
        let message = TrainingError.classesDiffer(path: "run/last.safetensors", checkpoint: CIFAR10.classNames, data: "data",
                                                  dataset: swapped).description
        #expect(message.contains("run/last.safetensors") && message.contains("class 3 is 'cat' in the checkpoint, 'dog' in the data"))
        #expect(!message.contains("\n"))
        let fewer = TrainingError.classesDiffer(path: "p", checkpoint: ["a", "b"], data: "d", dataset: ["a", "b", "c"]).description
        #expect(fewer.contains("2 classes") && fewer.contains("'s 3") && fewer.contains("class 2 is none in the checkpoint, 'c' in the data"))
    }
}
