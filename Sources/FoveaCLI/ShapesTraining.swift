import Fovea
import FoveaPlot

/// A small CNN trained on the built-in synthetic shapes: the gallery's short training run.
struct ShapesTraining {
    static let classNames = SyntheticShapes.classNames

    /// conv 3→8 5×5 · relu · pool · conv 8→16 3×3 · relu · pool · fc 16·6·6 → 4
    final class SmallCNN: Module {
        var isTraining = true
        let conv1: Conv2d, conv2: Conv2d, fc: Linear
        init(using rng: inout some RandomNumberGenerator) {
            conv1 = Conv2d(3, 8, kernelSize: 5, using: &rng)
            conv2 = Conv2d(8, 16, kernelSize: 3, using: &rng)
            fc = Linear(16 * 6 * 6, 4, using: &rng)
        }
        var children: [(String, any Module)] { [("conv1", conv1), ("conv2", conv2), ("fc", fc)] }
        func callAsFunction(_ x: Tensor) -> Tensor {
            let h = maxPool2d(relu(conv2(maxPool2d(relu(conv1(x)), kernel: 2))), kernel: 2)
            return fc(h.flattened())
        }
    }

    struct Metrics { var loss: Double; var accuracy: Double }
    struct Result {
        let model: SmallCNN
        let history: [(train: Metrics, test: Metrics)]
        let confusion: [[Int]]
        let testImages: Tensor
        let testLabels: [Int]
    }

    let epochs: Int, seed: UInt64
    var trainCount = 4000, testCount = 400, batchSize = 50, learningRate = 0.003

    func run(progress: (Int, Metrics, Metrics) -> Void) throws -> Result {
        var rng = SplitMix64(seed: seed)
        let train = SyntheticShapes.make(count: trainCount, size: 32, seed: seed &+ 1)
        let test = SyntheticShapes.make(count: testCount, size: 32, seed: seed &+ 2)
        let trainImages = Tensor(train.images)
        let testImages = Tensor(test.images)
        let model = SmallCNN(using: &rng)
        let optimizer = Adam(model.parameters, learningRate: learningRate)
        var history: [(train: Metrics, test: Metrics)] = []
        for epoch in 1...epochs {
            model.train()
            var order = Array(0..<trainCount)
            order.shuffle(using: &rng)
            var totalLoss = 0.0, correct = 0
            for start in stride(from: 0, to: trainCount, by: batchSize) {
                let indices = Array(order[start..<min(start + batchSize, trainCount)])
                let x = Tensor.concatenated(indices.map { trainImages.sliced($0..<($0 + 1)) })
                let y = Tensor(shape: [indices.count], int64: indices.map { Int64(train.labels[$0]) })
                optimizer.zeroGrad()
                let logits = model(x)
                let loss = softmaxCrossEntropy(logits, labels: y)
                try checkFinite(loss.item())
                loss.backward()
                optimizer.step()
                totalLoss += loss.item() * Double(indices.count)
                correct += zip(logits.argmax(axis: 1).int64s, y.int64s).filter { $0 == $1 }.count
            }
            let trainMetrics = Metrics(loss: totalLoss / Double(trainCount), accuracy: Double(correct) / Double(trainCount))
            let testMetrics = evaluate(model, testImages, test.labels).metrics
            history.append((trainMetrics, testMetrics))
            progress(epoch, trainMetrics, testMetrics)
        }
        return Result(model: model, history: history, confusion: evaluate(model, testImages, test.labels).confusion,
                      testImages: testImages, testLabels: test.labels)
    }

    func evaluate(_ model: SmallCNN, _ images: Tensor, _ labels: [Int]) -> (metrics: Metrics, confusion: [[Int]]) {
        model.eval()
        defer { model.train() }
        let logits = noGrad { model(images) }
        let y = Tensor(shape: [labels.count], int64: labels.map(Int64.init))
        let loss = noGrad { softmaxCrossEntropy(logits, labels: y) }.item()
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: 4), count: 4)
        for (truth, guess) in zip(labels, logits.argmax(axis: 1).int64s) { confusion[truth][Int(guess)] += 1 }
        let correct = (0..<4).reduce(0) { $0 + confusion[$1][$1] }
        return (Metrics(loss: loss, accuracy: Double(correct) / Double(labels.count)), confusion)
    }
}
