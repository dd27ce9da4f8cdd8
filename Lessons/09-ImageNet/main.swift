/*:
 # 09 · ImageNet

 CIFAR-10's photos are 32×32 and fit in memory by the ten thousand. ImageNet (ILSVRC-2012, Russakovsky
 et al. 2015) is how CNNs are judged: 1.28 million training photos of every size, 1000 classes,
 about 140 GB of JPEG. The engine is the same; what changes is everything around it. In this
 lesson you will:

 - read an ImageNet folder: class folders named by WordNet id, labels from the standard synset list;
 - follow one photo through the input pipeline: decode, random resized crop, flip, normalise,
   and the evaluation path (resize, centre crop);
 - build ResNet-18 as torchvision defines it, run it on real photos, and look at its first layer;
 - train it for a few steps to see the loss fall;
 - measure what a full run would cost on this machine, and get the exact commands.

 It needs ImageNet images: `--data DIR` with DIR holding `imagenet/train/` (or `train/`), or the
 500-image sample `imagenet-sample/train/` that comes with the course (one photo from each of 500
 classes). `--weights FILE` loads a torchvision ResNet-18 state dict saved as safetensors; without
 it the network is untrained, and the page says so. Runtime: about a minute on 2 cores (seconds with
 `--quick`). Figures and this page go to `runs/lessons/09-imagenet/` (or the folder `--out` names);
 the helpers that draw the figures and time the steps are in `Helpers.swift` beside `main.swift`.
 */
import Foundation
import Fovea
import FoveaData
import FoveaModels
import FoveaNotebook
import FoveaPlot
import FoveaTraining

let nb = Notebook("09-imagenet", title: "09 · ImageNet")

nb.cell("The folder")
/*:
 ## 1 · An ImageNet folder

 ImageNet comes as one folder per class, named by the class's WordNet id (`n01440764` is the tench,
 a fish). `ImageFolder` lists the folders and their images without decoding anything. Its labels
 follow the standard 1000-line synset list that ships with Fovea, so label 0 is always the tench,
 whichever classes a folder holds: a model trained on the full set and one trained on a part of it
 agree on what each output means.
 */
let root = nb.load { try imageNetTrainFolder(nb.dataDirectory) }
let folder = nb.load { try ImageFolder(root: root) }
let sizes = nb.load { try folder.images.map { try JPEG.size(of: $0.path) } }
nb.print("\(folder.images.count) images in \(folder.classFolders.count) class folders of \(root)")
nb.print("label 0 is \(ImageFolder.synsets[0].wnid) (\(ImageFolder.synsets[0].name)); this folder's first class is label \(folder.images[0].label): \(folder.classNames[folder.images[0].label])")
nb.print(sizeRange(sizes))
nb.check("labels are positions in the synset list", actual: Double(folder.images.filter { ImageFolder.synsets[$0.label].wnid != wnid(of: $0.path) }.count),
         expected: 0, tolerance: 0.5)

nb.cell("One photo through the pipeline")
/*:
 ## 2 · One photo through the pipeline

 A network takes a fixed size; photos come in all sizes. For **training**, torchvision's recipe
 (Szegedy et al. 2015) picks a random rectangle covering 8 % to 100 % of the photo with an aspect
 ratio between 3:4 and 4:3, resizes it to 224×224 and flips it half the time: every epoch sees
 another view of every photo. For **evaluation**, the photo is resized so that its short side is
 256 and the central 224×224 is kept. Both end by normalising each channel with ImageNet's mean and
 standard deviation. A big JPEG is decoded smaller when the target is small: libjpeg-turbo can scale
 by 1/2, 1/4 or 1/8 while decoding, which saves most of the work.
 */
let pick = largestImage(sizes)
let photo = nb.load { try JPEG.decode(folder.images[pick].path) }
let smaller = nb.load { try JPEG.decode(folder.images[pick].path, shortSide: 256) }
nb.print("\(folder.classNames[folder.images[pick].label]): decoded at \(photo.shape), or at \(smaller.shape) for a short side of 256")
let transform = ImageNetTransform()
var rng = SplitMix64(seed: nb.seed)
let views = (0..<7).map { _ in transform.training(photo, using: &rng) } + [transform.evaluation(smaller)]
drawViews(views, in: nb)
nb.check("every view is 3×224×224", actual: Double(views.filter { $0.shape == [3, 224, 224] }.count), expected: 8, tolerance: 0.5)

nb.cell("ResNet-18")
/*:
 ## 3 · ResNet-18

 He et al.'s ResNet for ImageNet: a 7×7 convolution with stride 2 and a max-pool shrink the
 224×224 photo to 56×56, then four stages of two residual blocks at 64, 128, 256 and 512 channels,
 global average pooling and a 1000-way linear layer. Fovea builds it with torchvision's layer names
 (`conv1`, `layer1.0.conv1`, `fc`, …), so a state dict exported from torchvision loads by name.
 */
let resnet = ResNetImageNet.resnet18(using: &rng)
let pretrained = nb.weightsFile.map { file in nb.load { try resnet.load(from: file) } } != nil
nb.print(summaryStages(resnet.summary(inputShape: [1, 3, 224, 224])))
nb.check("ResNet-18 has 11,689,512 parameters, as torchvision's", actual: Double(resnet.parameterCount), expected: 11_689_512, tolerance: 0.5)
nb.print(pretrained ? "weights: \(nb.weightsFile!)" : "weights: none given (--weights FILE): the network is untrained, its guesses are chance")

nb.cell("On real photos")
/*:
 ## 4 · On real photos

 Eight photos through the evaluation pipeline, one forward pass, and the five classes with the
 largest outputs for each. Untrained, the network's outputs are nearly equal and its guesses are
 chance (1 in 1000); trained, this is where the top-5 accuracy of the literature comes from.
 */
let batch = noGrad { Tensor.concatenated(nb.load { try (0..<8).map { try evaluationView(folder.images[$0].path, transform) } }) }
resnet.eval()
let (logits, milliseconds) = timed { noGrad { resnet(batch) } }
nb.print(String(format: "forward pass of 8 photos: %.0f ms (%.0f images/s)", milliseconds, 8000 / milliseconds))
nb.print(topFive(logits, truth: (0..<8).map { folder.images[$0].label }, names: folder.classNames))
let largest = softmax(logits, axis: 1).max(axes: [1]).doubles.max()!
if pretrained {
    nb.check("trained: the network is confident somewhere (largest probability above 0.2)", actual: largest, in: 0.2...1)
} else {
    nb.check("untrained: no class stands out (every probability below 0.01, chance is 0.001)", actual: largest, in: 0...0.01)
}

nb.cell("The first layer")
/*:
 ## 5 · The first layer

 `conv1` holds 64 filters of 7×7 over the three colour channels. Trained on ImageNet they become
 edge, colour-blob and Gabor-like detectors (Krizhevsky et al. 2012 showed them first); untrained
 they are noise. Beside them, the first 16 of its 64 feature maps for the first photo (112×112).
 */
drawFilters(resnet.conv1.weight, pretrained: pretrained, in: nb)
let stages = resnet.intermediateOutputs(batch.sliced(0..<1))
drawFeatureMaps(stages.first { $0.name == "conv1" }!.output[0].sliced(0..<16), in: nb)
nb.check("conv1 turns 224×224 into 112×112 maps", actual: Double(stages.first { $0.name == "conv1" }!.output.shape[2]), expected: 112, tolerance: 0.5)

nb.cell("A few training steps")
/*:
 ## 6 · A few training steps

 Training is the same loop as lessons 07 and 08, on batches that `ImageFolderLoader` decodes on
 worker threads (each batch's crops drawn from the seed, the epoch and the batch's index, so any
 number of workers gives the same batches). To keep this in seconds we train on 64×64 crops of 32
 photos, again and again: the loss must fall from ln 1000 ≈ 6.9 towards 0 as the network memorises
 them. It is the "overfit one batch" check of lesson 06, not learning ImageNet.
 */
let small = ImageFolderLoader(folder, batchSize: 32, training: true, transform: ImageNetTransform(size: 64), seed: nb.seed, workers: 2)
let trainee = ResNetImageNet.resnet18(using: &rng)
let losses = nb.load { try overfitOneBatch(trainee, batch: try small.batch(0, epoch: 0, order: small.order(epoch: 0)), steps: nb.quick ? 12 : 30) }
drawLosses(losses, in: nb)
nb.check("the loss falls below half its start", actual: losses.last! / losses.first!, in: 0...0.5)

nb.cell("What a full run costs")
/*:
 ## 7 · What a full run costs

 A full ImageNet run is 90 epochs of 1,281,167 images. We time two training steps of ResNet-18 and
 ResNet-50 at 224×224, batch 8 (a real run uses batches of 256), and scale up. Beside them: the
 same 1.28 million photos shrunk to 32×32 (*ImageNet32*, Chrabaszcz et al. 2017, the official
 `.npz` files), on which a wide ResNet, WRN-28-2, trains for 40 epochs. These are this machine's
 numbers, measured now.
 */
let costs = [("resnet18", 224, 8, 90), ("resnet50", 224, 8, 90), ("wrn-28-2", 32, 128, 40)].map { name, side, batch, epochs in
    let model = try! ModelCatalog.make(ModelSpec(name: name, classes: 1000), using: &rng)
    return (name: name, side: side, epochs: epochs, rate: trainingImagesPerSecond(model, batch: batch, side: side))
}
nb.table(headers: ["model", "input", "images/s (training)", "one epoch", "full run"],
         rows: costs.map { costRow($0.name, input: "\($0.side)×\($0.side)", $0.rate, epochs: $0.epochs) })
nb.print("fovea train --dataset imagenet --data DIR --model resnet50 --out runs/resnet50-imagenet      # DIR holds train/ and val/")
nb.print("fovea train --dataset imagenet32 --data DIR --model wrn-28-2 --out runs/wrn-28-2-imagenet32  # DIR holds imagenet32/")
nb.check("ResNet-50 costs more per image than ResNet-18", actual: costs[0].rate / costs[1].rate, in: 1...20)
nb.check("a 32×32 photo through WRN-28-2 is cheaper than a 224×224 one through ResNet-18", actual: costs[2].rate / costs[0].rate, in: 2...1000)
/*:
 At 224 pixels a full run on two cores takes months: that is a job for many GPUs. ImageNet32 keeps
 every photo and every class and drops the resolution, so the same pipeline — data, model, trainer,
 checkpoints, `fovea train --resume` — runs end to end in days instead: a slow but honest full
 ImageNet run on a CPU, checkpointed every epoch so that it can be stopped and continued.
 Put the devkit's `map_clsloc.txt` beside the `.npz` files and the labels follow the standard synset
 order, with class names. Everything else a CPU does well too: check the data (`fovea check-data
 --dataset imagefolder --data DIR`), sort the official validation folder (`fovea prepare-imagenet`),
 measure, and evaluate a checkpoint (`fovea eval`: top-1, top-5 and every class's recall).

 ## Summary

 - An ImageNet folder is one folder per WordNet id; the labels come from the standard synset list.
 - Training views are random resized crops with flips; evaluation is resize to 256 and a centre crop
   of 224; JPEG's DCT scaling decodes big photos smaller when that is all that is needed.
 - ResNet-18 has 11.7 M parameters and needs 1.8 G multiply-adds per photo; its first layer is 64
   filters of 7×7.
 - The measured images/second turn into hours per epoch and days per run: the honest price of ImageNet
   on this machine, and ImageNet32 is the full dataset at a price a CPU can pay.

 ## Exercises

 1. Run `fovea check-data --dataset imagefolder --data DIR` on your ImageNet folder. How long does
    decoding every image take, and what are the smallest and largest photos?
 2. Change the crop scale range of `ImageNetTransform` to 0.35–1 (as some fast recipes do) and draw
    the training views again. What does the network no longer see?
 3. Time ResNet-18 at 128×128 instead of 224×224. How does the cost per image scale with the side?
 */

nb.finish()
