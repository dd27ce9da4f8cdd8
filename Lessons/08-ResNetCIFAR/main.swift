/*:
 # 08 · ResNet on CIFAR-10

 LeNet stops at about 70 % right on CIFAR-10 (lesson 07). The networks that do much better are deep:
 ResNet-20 has 19 convolutions. In this lesson you will:

 - read ResNet-20, He et al.'s network for CIFAR-10 (2016), block by block;
 - see the augmentation and the learning-rate schedules that a long run uses;
 - read a full training run of ResNet-20 on all 50,000 training images, made with `fovea train`
   on a 2-core machine: its curves, its final test accuracy, its filters and its mistakes.

 It needs CIFAR-10 (`--data DIR`, `$FOVEA_DATA`, or `~/.cache/fovea`). The full run it reads is
 committed in `Figures/runs/resnet20-cifar10/`; with `--quick` the lesson also trains ResNet-20
 for a few hundred steps on a few thousand images to show that it learns (about 30 seconds on
 one core). Figures and this page go to `runs/lessons/08-resnet-cifar10/` (or the folder `--out`
 names); the helpers that draw the figures and format the lines are in `Helpers.swift` beside
 `main.swift`, so each cell shows the idea.
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

nb.cell("ResNet-20")
/*:
 ## 1 · ResNet-20

 Lesson 06 measured why depth is hard: in a plain stack of convolutions the gradient that reaches
 the first layer fades geometrically with depth, and two inventions keep it alive. **Batch norm**
 rescales every layer's output to mean 0 and variance 1 over the batch, whatever the weights; a
 **residual connection** adds a block's input to its output, $y = x + F(x)$, so the Jacobian is
 $I + F'$ and the gradient always has a path back that no layer can shrink. He et al. (2016) built
 their CIFAR-10 networks from exactly these two parts.

 ResNet-20 is a 3×3 convolution to 16 channels, then three **stages** of $n = 3$ residual blocks
 each, at 16, 32 and 64 channels on 32×32, 16×16 and 8×8 maps; each block is conv–BN–ReLU–conv–BN
 plus its input, then ReLU. The first block of stages 2 and 3 halves the size with stride 2, and its
 shortcut subsamples the input and pads the new channels with zeros ("option A", no parameters).
 Global average pooling and a linear layer end it: $6n + 2 = 20$ layers with weights. Below, the
 summary's block-level rows.
 */
var rng = SplitMix64(seed: nb.seed)
let resnet = nb.load { try ModelCatalog.make(ModelSpec(name: "resnet20"), using: &rng) }
let summary = resnet.summary(inputShape: [1, 3, 32, 32]).split(separator: "\n")
nb.print(summary.filter { line in line.split(separator: " ").first.map { $0.filter { $0 == "." }.count <= 1 } ?? false }
    .joined(separator: "\n"))
nb.check("ResNet-20 has 269,722 parameters, as in He et al.'s Table 6 (0.27 M)", actual: Double(resnet.parameterCount),
         expected: 269_722, tolerance: 0.5)

nb.cell("Augmentation and schedule")
/*:
 ## 2 · Augmentation and the schedule

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
let epochs = 100
let schedules = [TrainingSettings.ScheduleKind.step, .cosine, .onecycle].map { kind in
    learningRatePerEpoch(kind, epochs: epochs, stepsPerEpoch: 391)
}
nb.figure("schedules.png", caption: "Learning rate per epoch over a 100-epoch run of 391 steps per epoch: step, cosine and one-cycle.") { path in
    try Plot.lineChart(schedules, title: "Learning-rate schedules (peak 0.1)", xLabel: "epoch", yLabel: "learning rate", to: path)
}

nb.cell("A few hundred steps")
/*:
 ## 3 · A few hundred steps

 Training ResNet-20 properly takes hours (section 4). In `--quick` mode we check here that it
 *learns*: a few hundred steps of batch 16 on 2,000 training images, evaluated on 500 test
 images. (In a full run of this lesson this section is skipped: section 4 shows the real thing.)
 */
if nb.quick {
    var quick = TrainingSettings(model: ModelSpec(name: "resnet20"), epochs: 2, batchSize: 16, learningRate: 0.05,
                                 transform: .cifar10Training())
    (quick.schedule, quick.seed, quick.trainingImages, quick.testImages) = (.cosine, nb.seed, 2000, 500)
    let data = Trainer.prepare((training, test), settings: quick)
    let trainer = nb.load { try Trainer(settings: quick, training: data.training, validation: nil, test: data.test, folder: nil,
                                        display: ProgressDisplay(style: .silent)) }
    trainer.onEpoch = { row in nb.print(epochSummary(row)) }
    nb.load { try trainer.run() }
    nb.check("ResNet-20 learns in 250 steps: test accuracy well above chance (10 %)", actual: trainer.history.last!.testAccuracy!,
             in: 0.2...1)
}

nb.cell("The full run")
/*:
 ## 4 · The full run

 The run below was made with

     fovea train --model resnet20 --epochs 100 --batch-size 128 --lr 0.1 --schedule cosine --weight-decay 5e-4 --seed 0

 on all 50,000 training images (no validation split), evaluated on the 10,000 test images after
 every epoch. Its folder, `Figures/runs/resnet20-cifar10/`, holds `metrics.csv`, the command, the
 machine and the final checkpoint; the lesson reads it.
 */
let runPath = nb.committedRun("resnet20-cifar10")
let run = RunFolder(runPath)
let history = nb.load { try run.readMetrics() }
if let last = history.last {
    nb.print(runProgress(last, epochs: epochs))
    nb.print(runDescription(runPath))
    drawRunCurves(history, in: nb)
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
 ## 5 · Inside the trained ResNet

 The checkpoint `last.safetensors` names its model, classes and preprocessing, so it opens on its
 own, as `fovea eval`, `fovea filters` and `fovea predict` open it. ResNet-20's first layer has 16
 filters of only 3×3: with so few pixels each, they are colour and brightness detectors and
 small edges. Then the confusion matrix on the test images.
 */
if let saved = try? TrainingCheckpoint.read(run.lastCheckpoint), let trained = try? saved.makeModel(source: run.lastCheckpoint) {
    let conv1 = trained.namedParameters().first { $0.name == "conv1.weight" }!.tensor
    drawFilters(conv1, in: nb)
    let evaluated = nb.quick ? test.subset(Array(0..<1000)) : test
    let result = Evaluation.run(trained, on: evaluated, transform: saved.transform)
    nb.print(String(format: "checkpoint after epoch %d: %.2f %% of %d test images", saved.progress?.epochsDone ?? 0,
                    100 * result.accuracy, evaluated.count))
    if !nb.quick, let row = history.first(where: { $0.epoch == saved.progress?.epochsDone }), let logged = row.testAccuracy {
        nb.check("the checkpoint reproduces the accuracy its run logged", actual: result.accuracy, in: (logged - 1e-4)...(logged + 1e-4))
    }
    drawConfusion(result, in: nb)
} else {
    nb.print("No checkpoint at \(run.lastCheckpoint).")
}

/*:
 ## Summary

 - Batch norm and residual connections keep the gradient that reaches the first layers at a
   usable size (lesson 06), which is what lets ResNets train at 20, 56 or 110 layers.
 - ResNet-20 is three stages of residual blocks at 16, 32 and 64 channels, 0.27 M parameters:
   fewer than LeNet's fully connected layers alone would need at that depth, and far more
   accurate.
 - A long run on CIFAR-10 combines augmentation (crop and flip) with a schedule that ends at a
   small rate; `fovea train` checkpoints every epoch, so a run of hours can stop and `--resume`.

 ## Exercises

 1. Copy lesson 06's `DeepNet` and train it at 20 layers with batch norm, with and without
    `residual`, for 10 epochs on CIFAR-10. How far apart are the two after 10 epochs?
 2. Train ResNet-20 and ResNet-56 for 10 epochs each (`fovea train --model resnet56 --epochs 10`).
    Which is better after 10 epochs, and which per hour of compute?
 3. Run the full recipe with `--schedule step` instead of cosine. Where do the jumps in the
    accuracy curve come from?
 4. Look at `run-confusion.png`: which two classes does ResNet-20 still confuse most? Are they
    the same as LeNet's in lesson 07?
 */

nb.finish()
