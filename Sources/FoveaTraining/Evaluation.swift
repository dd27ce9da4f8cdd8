import Fovea
import FoveaData

/// Running sums over batches: mean loss and accuracy (pytorch/examples' `AverageMeter`).
public struct Meter: Codable, Equatable, Sendable {
    public private(set) var lossSum = 0.0
    public private(set) var correct = 0
    public private(set) var count = 0
    public init() {}

    /// Adds a batch: its mean loss and how many of its `count` predictions were right.
    public mutating func add(meanLoss: Double, correct: Int, count: Int) {
        lossSum += meanLoss * Double(count)
        self.correct += correct
        self.count += count
    }

    public var loss: Double { count == 0 ? .nan : lossSum / Double(count) }
    public var accuracy: Double { count == 0 ? .nan : Double(correct) / Double(count) }
}

/// How many rows of `logits` `[N, K]` have their largest value at the label.
public func correctPredictions(_ logits: Tensor, labels: Tensor) -> Int {
    zip(logits.argmax(axis: 1).int64s, labels.int64s).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
}

/// A model's loss, accuracy and confusion matrix on a dataset.
public struct Evaluation: Sendable {
    public var loss: Double
    public var accuracy: Double
    /// The share of images whose label is among the five largest logits (1 with five classes or fewer).
    public var top5Accuracy: Double
    /// `confusion[true class][predicted class]`: counts.
    public var confusion: [[Int]]
    public var classNames: [String]

    /// Per class: precision (of the images predicted as the class, the share that are),
    /// recall (of the images of the class, the share predicted as it) and F1 (their harmonic mean).
    public var perClass: [(name: String, precision: Double, recall: Double, f1: Double, support: Int)] {
        classNames.indices.map { k in
            let truePositives = Double(confusion[k][k])
            let predicted = Double(confusion.reduce(0) { $0 + $1[k] }), actual = Double(confusion[k].reduce(0, +))
            let precision = predicted == 0 ? 0 : truePositives / predicted, recall = actual == 0 ? 0 : truePositives / actual
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            return (classNames[k], precision, recall, f1, Int(actual))
        }
    }

    /// Runs `model` in evaluation mode over `dataset` (batches of `batchSize`, `transform`'s
    /// normalisation), without recording gradients; the model's mode is restored afterwards.
    /// With `testTimeAugmentation`, each image's logits are the average over its views.
    public static func run(_ model: any Module, on dataset: ImageDataset, transform: ImageTransform,
                           batchSize: Int = 500, labelSmoothing: Double = 0,
                           testTimeAugmentation: TestTimeAugmentation = .none) -> Evaluation {
        let batches = DataLoader(dataset, batchSize: batchSize, shuffle: false, transform: transform.evaluation).batches(epoch: 0)
        return measure(model, classNames: dataset.classNames, labelSmoothing: labelSmoothing,
                       testTimeAugmentation: testTimeAugmentation) { batches.next() }
    }

    /// The same over batches from a provider (an image folder decoded from disk, say): epoch 0 of
    /// `batches`, which must not shuffle or augment.
    ///
    /// - Throws: the provider's error for an image that cannot be read.
    public static func run(_ model: any Module, batches: any BatchProvider, labelSmoothing: Double = 0,
                           testTimeAugmentation: TestTimeAugmentation = .none) throws -> Evaluation {
        let stream = batches.batchStream(epoch: 0, from: 0)
        return try measure(model, classNames: batches.classNames, labelSmoothing: labelSmoothing,
                           testTimeAugmentation: testTimeAugmentation) { try stream.nextBatch() }
    }

    /// Loss, top-1 and top-5 accuracy and the confusion matrix over the batches `next` returns.
    static func measure(_ model: any Module, classNames: [String], labelSmoothing: Double, testTimeAugmentation: TestTimeAugmentation,
                        next: () throws -> Batch?) rethrows -> Evaluation {
        let wasTraining = model.isTraining
        model.eval()
        defer { if wasTraining { model.train() } }
        var meter = Meter()
        var inTop5 = 0
        let k = classNames.count
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        try noGrad {
            while let batch = try next() {
                let logits = testTimeAugmentation.logits(model, batch.images)
                let loss = softmaxCrossEntropy(logits, labels: batch.labels, labelSmoothing: labelSmoothing).item()
                let predictions = logits.argmax(axis: 1).int64s
                let scores = logits.doubles, labels = batch.labels.int64s
                for (row, label) in labels.enumerated() {
                    let own = scores[row * k + Int(label)]
                    // The label is in the top 5 when fewer than 5 classes score higher (ties count for it).
                    if (0..<k).filter({ scores[row * k + $0] > own }).count < 5 { inTop5 += 1 }
                }
                var right = 0
                for (p, t) in zip(predictions, labels) {
                    confusion[Int(t)][Int(p)] += 1
                    if p == t { right += 1 }
                }
                meter.add(meanLoss: loss, correct: right, count: batch.count)
            }
        }
        return Evaluation(loss: meter.loss, accuracy: meter.accuracy, top5Accuracy: Double(inTop5) / Double(max(1, meter.count)),
                          confusion: confusion, classNames: classNames)
    }
}

/// Test-time augmentation: each image's logits averaged over several views of it (airbench's
/// levels 0, 1 and 2). The views of `mirrorTranslate` are the image and its mirror, unshifted
/// (weight ½) and shifted by one pixel up-left or down-right with reflect padding (¼ each, so
/// 6 forward passes an image).
public enum TestTimeAugmentation: String, Codable, CaseIterable, Sendable {
    /// The image as it is: one forward pass.
    case none
    /// ½·(f(x) + f(mirror of x)).
    case mirror
    /// ½·mirror(x) + ¼·mirror(x shifted by (−1, −1)) + ¼·mirror(x shifted by (1, 1)).
    case mirrorTranslate = "mirror-translate"

    /// The averaged logits of `model` for normalised `images` `[N, C, H, W]` (no gradients recorded).
    public func logits(_ model: any Module, _ images: Tensor) -> Tensor {
        noGrad {
            func mirrored(_ x: Tensor) -> Tensor { (model(x) + model(ImageTransform.mirrored(x))) * 0.5 }
            switch self {
            case .none: return model(images)
            case .mirror: return mirrored(images)
            case .mirrorTranslate:
                let shifted = mirrored(ImageTransform.shifted(images, dy: -1, dx: -1)) + mirrored(ImageTransform.shifted(images, dy: 1, dx: 1))
                return mirrored(images) * 0.5 + shifted * 0.25
            }
        }
    }
}
