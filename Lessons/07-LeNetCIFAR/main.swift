/*:
 # 07 · LeNet on CIFAR-10

 Lessons 01–05 built every piece of a convolutional network and trained a small one on drawn
 shapes. Now the same engine trains on **real photos**. In this lesson you will:

 - meet CIFAR-10: 60,000 photos of 32×32 pixels in 10 classes;
 - train **LeNet-5** with the classic recipe of PyTorch's tutorial (batch 4, SGD with learning rate
   0.001 and momentum 0.9, 2 epochs), for real, on all 50,000 training images;
 - train it again with a better recipe (batch 128, augmentation, a cosine schedule, weight decay)
   and compare the two training curves;
 - look inside the trained net: its first-layer filters, the feature maps of one test image
   through every layer, the confusion matrix, the accuracy per class, and the test images it
   gets wrong.

 It needs CIFAR-10: `--data DIR` (DIR holds `cifar-10-batches-bin/`), `$FOVEA_DATA`, or the cache
 folder `~/.cache/fovea`, where it is downloaded when missing and the machine is online.
 Runtime: a few minutes on 2 cores (about 10 seconds with `--quick`, which trains on a few
 thousand images). Figures and this page go to `runs/lessons/07-lenet-cifar10/` (or the folder
 `--out` names).
 */
import Foundation
import Fovea
import FoveaData
import FoveaModels
import FoveaNotebook
import FoveaPlot
import FoveaTraining

let nb = Notebook("07-lenet-cifar10", title: "07 · LeNet on CIFAR-10")

nb.cell("The data")
/*:
 ## 1 · The data

 CIFAR-10 (Krizhevsky, 2009) holds 50,000 training and 10,000 test photos, 32×32 pixels in
 colour, 5,000 and 1,000 of each class. `CIFAR10.trainingSet(in:)` reads the official binary
 files into one tensor `[50000, 3, 32, 32]` with values in [0, 1], and the labels 0–9.
 */
let folder = nb.load { try CIFAR10.folderOrDownload(data: nb.dataDirectory) { text in print(text, terminator: "") } }
let fullTraining = nb.load { try CIFAR10.trainingSet(in: folder) }, fullTest = nb.load { try CIFAR10.testSet(in: folder) }
// --quick keeps to a few thousand images, so that it runs in seconds.
let training = nb.quick ? fullTraining.subset(Array(0..<4000)) : fullTraining
let test = nb.quick ? fullTest.subset(Array(0..<1000)) : fullTest
nb.print("training images \(training.images.shape), test images \(test.images.shape)")
nb.print("images per class (training): \(training.classCounts)")
nb.figure("samples.png", caption: "The first 20 training images and their labels.") { path in
    try Plot.samples(training.images.sliced(0..<20), labels: training.labels.prefix(20).map { CIFAR10.classNames[$0] },
                     columns: 10, zoom: 3, normalization: .none, title: "CIFAR-10 training images", to: path)
}

nb.cell("LeNet-5")
/*:
 ## 2 · LeNet-5

 The network of PyTorch's CIFAR-10 tutorial, after LeCun et al. (1998): two 5×5 convolutions,
 each followed by ReLU and 2×2 max-pooling, then three fully connected layers. The summary runs
 it once on a blank image and lists what each layer returns.
 */
var rng = SplitMix64(seed: nb.seed)
let preview = nb.load { try ModelCatalog.make(ModelSpec(name: "lenet"), using: &rng) }
nb.print(preview.summary(inputShape: [1, 3, 32, 32]))
/*:
 62,006 parameters, and 48,120 of them are in `fc1`, which turns the 16 maps of 5×5 into 120
 numbers. The convolutions, which look at every position of the image, need only 2,872.
 */

nb.cell("The classic recipe")
/*:
 ## 3 · The classic recipe, trained for real

 The tutorial trains with **batch 4**, plain SGD with **learning rate 0.001 and momentum 0.9**,
 for **2 epochs**, with no augmentation and no weight decay. `Trainer` runs exactly that: each
 step draws a batch, computes the cross-entropy of the logits, backpropagates and updates; after
 each epoch it measures the loss and accuracy on the test set. (The tutorial scales pixels with
 mean 0.5 and std 0.5; we use CIFAR-10's own per-channel mean and std.)
 */
/// Trains LeNet with `settings`, printing one line per epoch; returns the trainer.
func train(_ settings: TrainingSettings, on training: ImageDataset, testing test: ImageDataset) -> Trainer {
    let trainer = nb.load { try Trainer(settings: settings, training: training, validation: nil, test: test, folder: nil,
                                        display: ProgressDisplay(style: .silent)) }
    trainer.onEpoch = { row in
        nb.print(String(format: "epoch %2d  train loss %.3f acc %.1f %%   test loss %.3f acc %.1f %%   %5.0f images/s",
                        row.epoch, row.trainLoss, 100 * row.trainAccuracy, row.testLoss ?? .nan, 100 * (row.testAccuracy ?? .nan), row.imagesPerSecond))
    }
    nb.load { try trainer.run() }
    return trainer
}
var classic = TrainingSettings(model: ModelSpec(name: "lenet"), epochs: 2, batchSize: 4, learningRate: 0.001,
                               transform: .cifar10Evaluation)
(classic.schedule, classic.weightDecay, classic.seed) = (.constant, 0, nb.seed)
let classicRun = train(classic, on: training, testing: test)
let classicAccuracy = classicRun.history.last!.testAccuracy!
/*:
 Two passes over the data, 25,000 small steps, and the net already names about half of the test
 photos correctly, five times better than guessing (10 %). The tutorial reports about 54 %.
 */
nb.check("the classic recipe learns: test accuracy well above chance", actual: classicAccuracy,
         in: nb.quick ? 0.15...1 : 0.40...0.70)

nb.cell("A better recipe")
/*:
 ## 4 · A better recipe

 Four changes, each a standard one:

 - **batch 128** with a larger rate, 0.05: fewer, steadier steps that keep the cores busy;
 - **augmentation**: each time an image is drawn it is shifted by up to 4 pixels (a random crop
   of the image padded with zeros) and flipped left–right half of the time, so the net never sees
   exactly the same photo twice and cannot simply memorise the training set;
 - a **cosine schedule** that lowers the rate smoothly to 0 by the last step;
 - **weight decay** 5·10⁻⁴, a pull of every weight towards 0.
 */
var better = TrainingSettings(model: ModelSpec(name: "lenet"), epochs: nb.quick ? 4 : 20, batchSize: 128, learningRate: 0.05,
                              transform: .cifar10Training())
(better.schedule, better.weightDecay, better.seed) = (.cosine, 5e-4, nb.seed)
let betterRun = train(better, on: training, testing: test)
let betterAccuracy = betterRun.history.last!.testAccuracy!
nb.check("the better recipe beats chance", actual: betterAccuracy, in: nb.quick ? 0.2...1 : 0.55...0.85)
if !nb.quick {
    nb.check("the better recipe beats the classic one by at least 5 points", actual: betterAccuracy - classicAccuracy, in: 0.05...1)
}

nb.cell("Two training curves")
/*:
 ## 5 · Two training curves

 Loss and accuracy per epoch, training (solid) and test (dashed), for both recipes. The classic
 run's training numbers average over an epoch in which the net was still changing, so they lag
 behind its end-of-epoch test numbers. With augmentation, the training accuracy of the better
 recipe stays close to its test accuracy: the net is not memorising.
 */
/// Both runs per epoch, one colour per run: training solid, test dashed.
func curves(_ runs: [(String, Trainer)], train: (EpochRecord) -> Double, test: (EpochRecord) -> Double) -> [Series] {
    runs.enumerated().flatMap { i, run in
        let color = Theme.standard.seriesColor(i)
        return [Series("\(run.0) train", y: run.1.history.map(train), color: color, markers: true),
                Series("\(run.0) test", y: run.1.history.map(test), color: color, dashed: true, markers: true)]
    }
}
nb.figure("curves-loss.png", caption: "Cross-entropy per epoch: classic (2 epochs) and better recipe, train and test.") { path in
    try Plot.lineChart(curves([("classic", classicRun), ("better", betterRun)], train: { $0.trainLoss }, test: { $0.testLoss! }), title: "Loss", xLabel: "epoch",
                       yLabel: "cross-entropy", to: path)
}
nb.figure("curves-accuracy.png", caption: "Accuracy per epoch, in %: classic and better recipe, train and test.") { path in
    try Plot.lineChart(curves([("classic", classicRun), ("better", betterRun)], train: { 100 * $0.trainAccuracy }, test: { 100 * $0.testAccuracy! }), title: "Accuracy",
                       xLabel: "epoch", yLabel: "accuracy (%)", to: path)
}

nb.cell("First-layer filters")
/*:
 ## 6 · What the first layer learned

 `conv1` holds 6 filters of 3×5×5. Shown as colour patches (each scaled to its own largest
 weight, grey = 0), trained filters are smooth: blobs of one colour against another, and edges
 at an angle. Compare the noise of the random filters that training started from (lesson 05).
 */
let model = betterRun.model
let conv1 = model.namedParameters().first { $0.name == "conv1.weight" }!.tensor
nb.figure("filters-conv1.png", caption: "The 6 learned conv1 filters of the better recipe, as RGB patches.") { path in
    try Plot.filters(conv1, zoom: 12, title: "LeNet conv1 after training: 6 filters × 3 channels, 5×5", to: path)
}

nb.cell("Feature maps")
/*:
 ## 7 · One test image through every layer

 `intermediateOutputs` runs the model once and keeps what every layer returned. The first
 convolution turns the photo into 6 maps of 28×28 (5×5 filters without padding lose 4 pixels),
 pooling halves them, the second convolution makes 16 maps of 10×10, and the last pooling leaves
 16 maps of 5×5: the 400 numbers that `fc1` reads.
 */
let example = test.subset([0])
var noRandomness = SplitMix64(seed: 0)
let input = better.transform.evaluation.apply(to: example.images, using: &noRandomness)
let stages = model.intermediateOutputs(input).filter { $0.output.rank == 4 }
for (i, stage) in stages.enumerated() {
    let (c, h, w) = (stage.output.shape[1], stage.output.shape[2], stage.output.shape[3])
    nb.figure("features-\(i + 1)-\(stage.name).png", caption: "\(stage.name) (\(stage.type)): \(c) maps of \(h)×\(w).") { path in
        try Plot.featureMaps(stage.output[0], columns: min(c, 8), zoom: max(3, 84 / h),
                             title: "\(stage.name) of test image 0 (\(CIFAR10.classNames[example.labels[0]])): \(c) maps, \(h)×\(w)", to: path)
    }
}

nb.cell("Where it goes wrong")
/*:
 ## 8 · Where it goes wrong

 `Evaluation.run` counts, for every test image, its true class against the predicted one: the
 **confusion matrix**. Its diagonal holds the right answers; the rest shows which classes the
 net mixes up. The accuracy of each class is its diagonal count over its row.
 */
let evaluation = Evaluation.run(model, on: test, transform: better.transform)
let perClass = evaluation.perClass
nb.table(headers: ["class", "accuracy (recall)", "precision", "test images"],
         rows: perClass.map { [$0.name, String(format: "%.1f %%", 100 * $0.recall), String(format: "%.1f %%", 100 * $0.precision), "\($0.support)"] })
nb.check("the confusion matrix agrees with the trainer's test accuracy", actual: evaluation.accuracy,
         expected: betterAccuracy, tolerance: 1e-9)
nb.figure("confusion.png", caption: "Confusion matrix of the better recipe on the test images (rows: true class).") { path in
    try Plot.confusionMatrix(counts: evaluation.confusion, classNames: CIFAR10.classNames,
                             title: String(format: "LeNet on CIFAR-10 test: %.1f %%", 100 * evaluation.accuracy), to: path)
}
nb.figure("per-class.png", caption: "Accuracy per class (recall), in %.") { path in
    try Plot.barChart(values: perClass.map { 100 * $0.recall }, labels: CIFAR10.classNames, title: "Accuracy per class",
                      valueLabel: "accuracy (%)", to: path)
}
/*:
 In our full run, vehicles and frogs come out best and cats worst; the largest cells off the
 diagonal are cats taken for dogs and dogs taken for cats, with birds, deer and frogs mixed up
 among themselves. Below, the first 16 test images the net gets wrong, with its guess.
 */
var mistakes: [Int] = []
let logits = noGrad { model(better.transform.evaluation.apply(to: test.images.sliced(0..<min(500, test.count)), using: &noRandomness)) }
let guesses = logits.argmax(axis: 1).int64s.map(Int.init)
for (i, guess) in guesses.enumerated() where guess != test.labels[i] && mistakes.count < 16 { mistakes.append(i) }
let wrong = test.subset(mistakes)
nb.figure("misclassified.png", caption: "Test images the better LeNet gets wrong: true label and prediction.") { path in
    try Plot.samples(wrong.images, labels: wrong.labels.map { CIFAR10.classNames[$0] },
                     predictions: mistakes.map { CIFAR10.classNames[guesses[$0]] }, columns: 8, zoom: 3, normalization: .none,
                     title: "Misclassified test images", to: path)
}

/*:
 ## Summary

 - The engine of lessons 01–05 trains a real network on real photos: LeNet-5 reaches about half
   right with the tutorial's recipe in two epochs, and about 70 % with batch 128,
   augmentation, a cosine schedule and weight decay.
 - `Trainer` is the whole loop: batches from a seeded `DataLoader`, cross-entropy, backward, an
   optimizer step, and an evaluation per epoch. `fovea train` runs the same loop from the command
   line, with checkpoints you can resume.
 - The trained net can be opened up: smooth colour and edge filters in `conv1`, feature maps that
   shrink and multiply layer by layer, and a confusion matrix that shows which classes look
   alike to it.

 ## Exercises

 1. Train the classic recipe for 10 epochs (`fovea train --model lenet --batch-size 4 --lr 0.001
    --schedule constant --weight-decay 0 --no-augment --epochs 10`). Where does the test
    accuracy stop improving while the training accuracy keeps rising?
 2. Turn augmentation off in the better recipe (`transform: .cifar10Evaluation`). How far apart
    do the training and test accuracies end?
 3. Look at `misclassified.png`. For which mistakes would you have hesitated too?
 4. Draw the filters of `conv2` (`fovea filters CHECKPOINT --layer conv2`). Why are they harder
    to read than those of `conv1`?
 5. Double the width of LeNet (12 and 32 filters). How many parameters does it gain, and how much
    accuracy?
 */

nb.finish()
