/*:
 # 08 · ResNet on CIFAR-10

 LeNet stops at about 70 % right on CIFAR-10 (lesson 07). The networks that do much better are deep:
 ResNet-20 has 19 convolutions. In this lesson you will:

 - measure why depth is hard: in a plain stack of convolutions the gradient that reaches the
   first layer shrinks with every layer, while batch norm and residual connections keep it alive;
 - read ResNet-20, He et al.'s network for CIFAR-10 (2016), block by block;
 - see the augmentation and the learning-rate schedules that a long run uses;
 - read a full training run of ResNet-20 on all 50,000 training images, made with `fovea train`
   on a 2-core machine: its curves, its final test accuracy, its filters and its mistakes.

 It needs CIFAR-10 (`--data DIR`, `$FOVEA_DATA`, or `~/.cache/fovea`). The full run it reads is
 committed in `Figures/runs/resnet20-cifar10/`; with `--quick` the lesson also trains ResNet-20
 for a few hundred steps on a few thousand images to show that it learns (about 30 seconds on
 one core). Figures and this page go to `runs/lessons/08-resnet-cifar10/` (or the folder `--out`
 names).
 */
import Foundation
import Fovea
import FoveaData
import FoveaModels
import FoveaNotebook
import FoveaPlot
import FoveaTraining

let nb = Notebook("08-resnet-cifar10", title: "08 · ResNet on CIFAR-10")
let folder = nb.load { try CIFAR10.folderOrDownload(data: nb.dataDirectory) { text in print(text, terminator: "") } }
let training = nb.load { try CIFAR10.trainingSet(in: folder) }, test = nb.load { try CIFAR10.testSet(in: folder) }

nb.cell("Why depth is hard")
/*:
 ## 1 · Why depth is hard

 Backpropagation (lesson 03) multiplies the gradient by one layer's Jacobian after another on
 its way back to the first layer. If each factor shrinks it a little, twenty factors shrink it a
 lot: the **vanishing gradient**. We measure it. A *plain* network is a stack of 3×3
 convolutions with ReLU, 16 channels each, then global average pooling and a linear layer; we
 build it with 8, 20 and 56 layers, in the engine's default initialisation (PyTorch's), and
 compare with ResNets of the same depths. For each, one batch of 32 training images, one
 backward pass, and the size of the gradient that reaches the first convolution's weights.
 */
/// A plain stack: `depth − 1` convolutions 3×3 with ReLU, then pooling and a linear layer.
func plainNetwork(depth: Int, using rng: inout SplitMix64) -> Sequential {
    var layers: [any Module] = [Conv2d(3, 16, kernelSize: 3, padding: 1, using: &rng), ReLU()]
    for _ in 0..<(depth - 2) { layers += [Conv2d(16, 16, kernelSize: 3, padding: 1, using: &rng), ReLU()] }
    return Sequential(layers + [AdaptiveAvgPool2d(), Flatten(), Linear(16, 10, using: &rng)])
}
/// ‖∂L/∂W‖ of the first convolution for one batch.
func firstLayerGradient(_ model: any Module, _ images: Tensor, _ labels: Tensor) -> Double {
    softmaxCrossEntropy(model(images), labels: labels).backward()
    let grad = model.namedParameters().first!.tensor.grad!
    return (grad * grad).sum().item().squareRoot()
}
var rng = SplitMix64(seed: nb.seed)
var noRandomness = SplitMix64(seed: 0)
let batch = training.subset(Array(0..<32))
let images = ImageTransform.cifar10Evaluation.apply(to: batch.images, using: &noRandomness)
let labels = Tensor(shape: [32], int64: batch.labels.map(Int64.init))
var rows: [[String]] = [], plainNorms: [Double] = [], residualNorms: [Double] = []
for depth in [8, 20, 56] {
    let plain = firstLayerGradient(plainNetwork(depth: depth, using: &rng), images, labels)
    let residual = firstLayerGradient(ResNetCIFAR(blocksPerStage: (depth - 2) / 6, using: &rng), images, labels)
    (plainNorms, residualNorms) = (plainNorms + [plain], residualNorms + [residual])
    rows.append(["\(depth)", String(format: "%.3g", plain), String(format: "%.3g", residual)])
}
nb.table(headers: ["layers", "plain: ‖∂L/∂W₁‖", "ResNet: ‖∂L/∂W₁‖"], rows: rows)
nb.figure("gradient-vs-depth.png", caption: "Gradient norm at the first convolution, plain stack vs ResNet, by depth (log scale).") { path in
    try Plot.lineChart([Series("plain", x: [8, 20, 56], y: plainNorms, markers: true),
                        Series("ResNet (batch norm + residual)", x: [8, 20, 56], y: residualNorms, markers: true)],
                       title: "Gradient reaching the first layer", xLabel: "layers", yLabel: "‖∂L/∂W₁‖", logY: true, to: path)
}
nb.check("the plain stack's first-layer gradient shrinks by over 1000× from 8 to 56 layers",
         actual: plainNorms[2] / plainNorms[0], in: 0...1e-3)
nb.check("the ResNet's does not fade: at 56 layers it is at least a tenth of its 8-layer value",
         actual: residualNorms[2] / residualNorms[0], in: 0.1...100)
/*:
 In the plain stack each convolution, initialised with weights of variance $1/(3\cdot\text{fan-in})$,
 passes on about one sixth of the variance it receives (a third from the weights, and ReLU halves
 it again), so the signal and its gradient fade geometrically with depth: by 56 layers the
 gradient is below the smallest Float32 number and arrives as exactly 0 (the log-scale chart
 leaves that point out). The ResNets' gradients stay of order 1 at every depth (they even grow a little, since every
 residual block adds its own share to the sum). Two inventions fix this. **Batch norm** rescales every
 layer's output to mean 0 and variance 1 over the batch, whatever the weights. A **residual
 connection** adds a block's input to its output, $y = x + F(x)$, so the Jacobian is $I + F'$: the
 gradient always has a path back that no layer can shrink. (Lesson 06 takes this apart in detail.)
 */

nb.cell("ResNet-20")
/*:
 ## 2 · ResNet-20

 A 3×3 convolution to 16 channels, then three **stages** of $n = 3$ residual blocks each, at 16,
 32 and 64 channels on 32×32, 16×16 and 8×8 maps; each block is conv–BN–ReLU–conv–BN plus its
 input, then ReLU. The first block of stages 2 and 3 halves the size with stride 2, and its
 shortcut subsamples the input and pads the new channels with zeros ("option A", no parameters).
 Global average pooling and a linear layer end it: $6n + 2 = 20$ layers with weights. Below, the
 summary's block-level rows.
 */
let resnet = nb.load { try ModelCatalog.make(ModelSpec(name: "resnet20"), using: &rng) }
let summary = resnet.summary(inputShape: [1, 3, 32, 32]).split(separator: "\n")
nb.print(summary.filter { line in line.split(separator: " ").first.map { $0.filter { $0 == "." }.count <= 1 } ?? false }
    .joined(separator: "\n"))
nb.check("ResNet-20 has 269,722 parameters, as in He et al.'s Table 6 (0.27 M)", actual: Double(resnet.parameterCount),
         expected: 269_722, tolerance: 0.5)

nb.cell("Augmentation and schedule")
/*:
 ## 3 · Augmentation and the schedule

 A long run shows every training image about a hundred times. **Augmentation** makes each showing
 a little different: pad by 4 pixels with zeros, crop a random 32×32 window, and flip left–right
 half of the time. Below, one training image and eight draws of its augmentation.
 */
let one = training.subset([Int](repeating: 7, count: 8))
var augmentRNG = SplitMix64(seed: nb.seed)
let augmented = ImageTransform(cropPadding: 4, horizontalFlip: true, mean: [0, 0, 0], std: [1, 1, 1]).apply(to: one.images, using: &augmentRNG)
nb.figure("augmentation.png", caption: "Training image 7 and eight random crops (padding 4) with flips, as the trainer draws them.") { path in
    try Plot.samples(Tensor.concatenated([training.images.sliced(7..<8), augmented]), labels: ["original"] + (1...8).map { "draw \($0)" },
                     columns: 9, zoom: 3, normalization: .none, title: "Augmentation: crop ±4 and flip", to: path)
}
/*:
 The **learning rate** starts at 0.1 and must end small, so that the last steps settle into a
 minimum instead of bouncing around it. He et al. divided it by 10 at 50 % and 75 % of training
 (`step`); a **cosine** lowers it smoothly to 0; **one-cycle** first rises, then falls further.
 Our full run uses the cosine.
 */
let stepsPerEpoch = 391, epochs = 100
var schedules: [Series] = []
for kind in [TrainingSettings.ScheduleKind.step, .cosine, .onecycle] {
    var settings = TrainingSettings(model: ModelSpec(name: "resnet20"), epochs: epochs, batchSize: 128, learningRate: 0.1,
                                    transform: .cifar10Training())
    settings.schedule = kind
    let schedule = settings.learningRateSchedule(stepsPerEpoch: stepsPerEpoch)
    let epochStarts = (0..<epochs).map { $0 * stepsPerEpoch }
    schedules.append(Series(kind.rawValue, x: epochStarts.map { Double($0) / Double(stepsPerEpoch) },
                            y: epochStarts.map { schedule.learningRate(at: $0) }))
}
nb.figure("schedules.png", caption: "Learning rate per epoch over a 100-epoch run of 391 steps per epoch: step, cosine and one-cycle.") { path in
    try Plot.lineChart(schedules, title: "Learning-rate schedules (peak 0.1)", xLabel: "epoch", yLabel: "learning rate", to: path)
}

nb.cell("A few hundred steps")
/*:
 ## 4 · A few hundred steps

 Training ResNet-20 properly takes hours (section 5). In `--quick` mode we check here that it
 *learns*: a few hundred steps of batch 16 on 2,000 training images, evaluated on 500 test
 images. (In a full run of this lesson this section is skipped: section 5 shows the real thing.)
 */
if nb.quick {
    var quick = TrainingSettings(model: ModelSpec(name: "resnet20"), epochs: 2, batchSize: 16, learningRate: 0.05,
                                 transform: .cifar10Training())
    (quick.schedule, quick.seed, quick.trainingImages, quick.testImages) = (.cosine, nb.seed, 2000, 500)
    let data = Trainer.prepare((training, test), settings: quick)
    let trainer = nb.load { try Trainer(settings: quick, training: data.training, validation: nil, test: data.test, folder: nil,
                                        display: ProgressDisplay(style: .silent)) }
    trainer.onEpoch = { row in
        nb.print(String(format: "epoch %d (step %d)  train loss %.3f acc %.1f %%   test acc %.1f %%", row.epoch, row.step,
                        row.trainLoss, 100 * row.trainAccuracy, 100 * (row.testAccuracy ?? .nan)))
    }
    nb.load { try trainer.run() }
    nb.check("ResNet-20 learns in 250 steps: test accuracy well above chance (10 %)", actual: trainer.history.last!.testAccuracy!,
             in: 0.2...1)
}

nb.cell("The full run")
/*:
 ## 5 · The full run

 The run below was made with

     fovea train --model resnet20 --epochs 100 --batch-size 128 --lr 0.1 --schedule cosine --weight-decay 5e-4 --seed 0

 on all 50,000 training images (no validation split), evaluated on the 10,000 test images after
 every epoch. Its folder, `Figures/runs/resnet20-cifar10/`, holds `metrics.csv`, the command, the
 machine and the final checkpoint; the lesson reads it.
 */
let runPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Figures/runs/resnet20-cifar10").path
let run = RunFolder(runPath)
let history = nb.load { try run.readMetrics() }
if let last = history.last {
    let hours = last.wallSeconds / 3600
    nb.print(String(format: "%d of %d epochs, %.2f hours of compute; last epoch: test accuracy %.2f %%, train accuracy %.2f %%",
                    last.epoch, epochs, hours, 100 * (last.testAccuracy ?? .nan), 100 * last.trainAccuracy))
    if let machine = try? String(contentsOfFile: runPath + "/README.md", encoding: .utf8) {
        nb.print(machine.split(separator: "\n").filter { $0.hasPrefix("- ") }.joined(separator: "\n"))
    }
    nb.figure("run-accuracy.png", caption: "Accuracy per epoch of the committed ResNet-20 run, train and test, in %.") { path in
        try Plot.lineChart([Series("train", y: history.map { 100 * $0.trainAccuracy }),
                            Series("test", y: history.map { 100 * ($0.testAccuracy ?? .nan) }, dashed: true)],
                           title: "ResNet-20 on CIFAR-10", xLabel: "epoch", yLabel: "accuracy (%)", to: path)
    }
    nb.figure("run-loss.png", caption: "Loss per epoch of the committed run, train and test.") { path in
        try Plot.lineChart([Series("train", y: history.map(\.trainLoss)), Series("test", y: history.map { $0.testLoss ?? .nan }, dashed: true)],
                           title: "ResNet-20 on CIFAR-10", xLabel: "epoch", yLabel: "cross-entropy", to: path)
    }
    if last.epoch == epochs {
        nb.check("the final epoch's test accuracy reaches He et al.'s 91.25 %", actual: last.testAccuracy ?? 0, in: 0.9125...1)
    } else {
        nb.print("The run is still in progress: it continues with `fovea train --resume`, and this page is redrawn when it ends.")
    }
} else {
    nb.print("No committed run at \(runPath).")
}

nb.cell("Inside the trained ResNet")
/*:
 ## 6 · Inside the trained ResNet

 The checkpoint `last.safetensors` names its model, classes and preprocessing, so it opens on its
 own, as `fovea eval`, `fovea filters` and `fovea predict` open it. ResNet-20's first layer has 16
 filters of only 3×3: with so few pixels each, they are colour and brightness detectors and
 small edges. Then the confusion matrix on the test images.
 */
if let saved = try? TrainingCheckpoint.read(run.lastCheckpoint), let trained = try? saved.makeModel(source: run.lastCheckpoint) {
    let conv1 = trained.namedParameters().first { $0.name == "conv1.weight" }!.tensor
    nb.figure("run-filters.png", caption: "The 16 conv1 filters of the committed ResNet-20 checkpoint, as RGB patches.") { path in
        try Plot.filters(conv1, zoom: 16, title: "ResNet-20 conv1: 16 filters × 3 channels, 3×3", to: path)
    }
    let evaluated = nb.quick ? test.subset(Array(0..<1000)) : test
    let result = Evaluation.run(trained, on: evaluated, transform: saved.transform)
    nb.print(String(format: "checkpoint after epoch %d: %.2f %% of %d test images", saved.progress?.epochsDone ?? 0,
                    100 * result.accuracy, evaluated.count))
    if !nb.quick, let row = history.first(where: { $0.epoch == saved.progress?.epochsDone }), let logged = row.testAccuracy {
        nb.check("the checkpoint reproduces the accuracy its run logged", actual: result.accuracy, in: (logged - 1e-4)...(logged + 1e-4))
    }
    nb.figure("run-confusion.png", caption: "Confusion matrix of the committed checkpoint on the test images (rows: true class).") { path in
        try Plot.confusionMatrix(counts: result.confusion, classNames: CIFAR10.classNames,
                                 title: String(format: "ResNet-20 on CIFAR-10 test: %.2f %%", 100 * result.accuracy), to: path)
    }
} else {
    nb.print("No checkpoint at \(run.lastCheckpoint).")
}

/*:
 ## Summary

 - In a plain deep stack the gradient reaching the first layers fades geometrically with depth;
   batch norm and residual connections keep it at a usable size, which is what lets ResNets train
   at 20, 56 or 110 layers.
 - ResNet-20 is three stages of residual blocks at 16, 32 and 64 channels, 0.27 M parameters:
   fewer than LeNet's fully connected layers alone would need at that depth, and far more
   accurate.
 - A long run on CIFAR-10 combines augmentation (crop and flip) with a schedule that ends at a
   small rate; `fovea train` checkpoints every epoch, so a run of hours can stop and `--resume`.

 ## Exercises

 1. Add batch norm (no residuals) to the plain stack of section 1. How much of the gradient
    comes back at 56 layers?
 2. Train ResNet-20 and ResNet-56 for 10 epochs each (`fovea train --model resnet56 --epochs 10`).
    Which is better after 10 epochs, and which per hour of compute?
 3. Run the full recipe with `--schedule step` instead of cosine. Where do the jumps in the
    accuracy curve come from?
 4. Look at `run-confusion.png`: which two classes does ResNet-20 still confuse most? Are they
    the same as LeNet's in lesson 07?
 */

nb.finish()
