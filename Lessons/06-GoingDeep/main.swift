/*:
 # 06 · Going deep

 Lesson 05 trained a network of three layers. The networks of lessons 07 and 08 have twenty. Depth
 is not free: stack enough layers and the signal fades, or blows up, on its way through. In this
 lesson you will:

 - push one batch through a 20-layer plain network under four initialisations and measure, layer by
   layer, how large the activations and the gradients are: vanishing and exploding, in numbers;
 - see batch norm hold every layer at the same scale, and residual connections keep the gradient
   whole;
 - train a shallow plain net, a deep plain net and a deep residual net of the same width side by
   side, with a validation split to judge them: the *degradation problem* of He et al. (2016);
 - run the sanity check every new model deserves: can it overfit one small batch?

 With CIFAR-10 at hand (`--data DIR`, `$FOVEA_DATA` or `~/.cache/fovea`) the lesson uses real
 photos; otherwise the built-in synthetic shapes. Runtime: about two minutes on 2 cores (a few
 seconds with `--quick`). Figures and this page go to `runs/lessons/06-going-deep/` (or the folder
 `--out` names). The network's bookkeeping, the measuring and training loops, and the helpers that
 format the tables and draw the figures are in `Helpers.swift` beside `main.swift`, so that each cell
 shows only the idea.
 */
import Foundation
import Fovea
import FoveaData
import FoveaNotebook
import FoveaPlot
import FoveaTraining

let nb = Notebook("06-going-deep", title: "06 · Going deep")

/// What the layers of `DeepNet` compute: a plain layer, or a residual block of two. The class itself
/// (its parts, and `forward`, which chains the stem, these layers and the classifier) is in Helpers.swift.
extension DeepNet {
    /// Plain layer `i`: convolution, batch norm (when the net has it), ReLU.
    func layer(_ h: Tensor, _ i: Int) -> Tensor { relu(normalize(convs[i](h), i)) }
    /// A residual block of layers `i` and `i + 1`: conv–BN–ReLU–conv–BN, plus its input, then ReLU.
    /// Returns the inner activation too, to measure.
    func block(_ h: Tensor, _ i: Int) -> (inner: Tensor, output: Tensor) {
        let inner = layer(h, i)
        return (inner, relu(normalize(convs[i + 1](inner), i + 1) + h))
    }
}

nb.cell("The data")
/*:
 ## 1 · The data

 Real CIFAR-10 photos when they are at hand, the built-in shapes otherwise; either way normalised
 per channel, as in lessons 07 and 08. We hold out a **validation split** of the training images:
 every choice we make below (which network, how long to train) is judged on it, never on the
 test set, so that the test accuracy stays an honest estimate.
 */
let images: ImageDataset
if let folder = nb.load({ try CIFAR10.find(data: nb.dataDirectory) }) {
    images = nb.load { try CIFAR10.trainingSet(in: folder) }.subset(Array(0..<(nb.quick ? 1_200 : 6_000)))
} else {
    let shapes = SyntheticShapes.make(count: nb.quick ? 1_200 : 6_000, seed: nb.seed)
    images = ImageDataset(images: Tensor(shapes.images), labels: shapes.labels, classNames: SyntheticShapes.classNames)
}
let (training, validation) = images.splittingValidation(images.count / 6, seed: nb.seed)
let normalise = ImageTransform(mean: [0.47, 0.47, 0.44], std: [0.25, 0.25, 0.26])
var augment = ImageTransform(cropPadding: 4, horizontalFlip: true, mean: normalise.mean, std: normalise.std)
nb.print("\(training.count) training and \(validation.count) validation images, \(images.classNames.count) classes")

nb.cell("Signals through 20 layers")
/*:
 ## 2 · A signal through 20 layers

 Each convolution multiplies its input by weights and sums $\text{fan-in} = 16\cdot 3\cdot 3 = 144$
 products. If the weights have variance $\sigma^2$, the output's variance is about
 $144\,\sigma^2$ times the input's, and ReLU halves it (it zeroes the negative half). So each layer
 scales the variance by $72\,\sigma^2$, and twenty layers by $(72\,\sigma^2)^{20}$. Only
 $\sigma^2 = 2/\text{fan-in}$ keeps it at 1: **He initialisation** (He et al., 2015). We measure
 four choices on one batch of 64 images: too small ($\sigma = 0.01$), PyTorch's default
 ($\mathcal U(\pm 1/\sqrt{\text{fan-in}})$, variance $1/(3\,\text{fan-in})$), He, and too large ($\sigma = 0.2$).
 */
let batch = training.subset(Array(0..<64))
var noRandomness = SplitMix64(seed: 0)
let x = normalise.apply(to: batch.images, using: &noRandomness)
let y = Tensor(shape: [64], int64: batch.labels.map(Int64.init))
/// Draws every convolution's weights from a normal distribution with standard deviation `s`.
func setWeights(std s: Double) -> (Conv2d, inout SplitMix64) -> Void {
    { conv, rng in conv.weight.assign(Tensor.normal(conv.weight.shape, std: s, using: &rng)) }
}
let he: (Conv2d, inout SplitMix64) -> Void = { conv, rng in conv.weight.assign(Initializer.kaimingNormal(conv.weight.shape, using: &rng)) }
let probe = LayerProbe(x: x, y: y, classes: images.classNames.count, seed: nb.seed)     // a fresh 20-layer net per measurement
let plainRuns = [probe.measure("too small (σ = 0.01)", setWeights(std: 0.01)), probe.measure("PyTorch default"),
                 probe.measure("He: σ² = 2/fan-in", he), probe.measure("too large (σ = 0.2)", setWeights(std: 0.2))]
showLayerTable(plainRuns, in: nb)
nb.check("too small: the last layer's activations are below 1e-10 of the first's", actual: plainRuns[0].activations[18] / plainRuns[0].activations[0], in: 0...1e-10)
nb.check("too large: they grow over 1000×", actual: plainRuns[3].activations[18] / plainRuns[3].activations[0], in: 1e3...Double.infinity)
nb.check("He: they stay within 10× of the first layer's", actual: plainRuns[2].activations[18] / plainRuns[2].activations[0], in: 0.1...10)
/*:
 The default initialisation scales each layer's variance by $72/(3\cdot 144) = 1/6$: after 19
 layers the activations are about $6^{-9.5} \approx 4\cdot 10^{-8}$ of the first layer's. The gradient
 fades the same way, on its way back: the first layers of a deep plain net barely learn. He
 initialisation keeps both steady; $\sigma = 0.2$ grows them by $\sqrt{72\cdot 0.04} \approx 1.7$ per
 layer, and training would diverge at once.
 */

nb.cell("Batch norm and residual connections")
/*:
 ## 3 · Batch norm and residual connections

 Good initialisation only holds at the start: once the weights change, the scales drift again.
 **Batch norm** (Ioffe & Szegedy, 2015) rescales each channel to mean 0 and variance 1 over the
 batch after every convolution, whatever the weights, so every layer sees inputs of the same size.
 A **residual connection** adds a block's input to its output, $h \leftarrow \mathrm{relu}(F(h) + h)$: the
 gradient flows back through the "$+h$" unchanged, however small $F$'s Jacobian becomes. Both with
 the default initialisation:
 */
let normRuns = [probe.measure("default + batch norm", normalized: true),
                probe.measure("default + batch norm + residual", normalized: true, residual: true)]
drawLayerCharts(plainRuns + normRuns, dashedFrom: plainRuns.count, in: nb)
nb.check("with batch norm, every layer's activations stay within 10× of the first's",
         actual: normRuns[0].activations.map { $0 / normRuns[0].activations[0] }.map { max($0, 1 / $0) }.max()!, in: 1...10)
/*:
 Batch norm flattens the activation curves: every layer works at the same scale. On the way back,
 with batch norm and with residual connections, the gradient that reaches layer 1 is no smaller than
 at the last layer: nothing fades. The log scales hide nothing: a value like $10^{-22}$ is what the
 engine computed, a few steps short of underflowing Float32 (about $10^{-45}$).
 */

nb.cell("Histograms")
/*:
 ## 4 · What the numbers look like

 A standard deviation hides the shape. Below, all activations of layers 2, 10 and 19 of the plain net
 with PyTorch's default initialisation, as histograms of $\log_{10} a$ on one shared axis (zeros,
 half of each layer after ReLU, are left out): the whole distribution slides down by a factor
 of about 6 per layer in variance.
 */
var histogramRNG = SplitMix64(seed: nb.seed)
let defaultNet = DeepNet(depth: 20, classes: images.classNames.count, normalized: false, residual: false, using: &histogramRNG)
let defaultActivations = noGrad { defaultNet.forward(x).activations }
for layer in [2, 10, 19] {
    let logs = defaultActivations[layer - 1].doubles.filter { $0 > 0 }.map { Float(log10($0)) }
    drawHistogram(logs, layer: layer, in: nb)
}

nb.cell("Deeper is not simply better")
/*:
 ## 5 · Deeper is not simply better

 Now we train. Three nets of the same width, all with batch norm: a plain net of 8 layers, a plain
 net of 26, and a residual net of 26. He et al. (2016) found that a deeper *plain* net can end
 *worse* than a shallower one, on the training set too, so it is not overfitting: the extra
 layers make the optimisation harder (the **degradation problem**). Residual connections remove it,
 since a block that adds nothing useful can stay close to the identity. Each net gets the same
 SGD with momentum, cosine schedule, augmentation and data order; we judge them on the validation
 split after every epoch.
 */
let epochs = nb.quick ? 2 : 5
var netRNG = SplitMix64(seed: nb.seed)
let contenders = [("plain, 8 layers", DeepNet(depth: 8, classes: images.classNames.count, normalized: true, residual: false, using: &netRNG)),
                  ("plain, 26 layers", DeepNet(depth: 26, classes: images.classNames.count, normalized: true, residual: false, using: &netRNG)),
                  ("residual, 26 layers", DeepNet(depth: 26, classes: images.classNames.count, normalized: true, residual: true, using: &netRNG))]
var curves: [(String, [(train: Double, validation: Double)])] = []
nb.measure("training the three nets, \(epochs) epoch\(epochs == 1 ? "" : "s") each") {
    curves = contenders.map { ($0.0, train($0.1, epochs: epochs, on: training, judgedOn: validation, augment: augment, seed: nb.seed)) }
}
showDepthTable(contenders, curves, in: nb)
drawDepthCurves(curves, in: nb)
if !nb.quick {  // --quick trains for a few dozen steps only: too few to promise more than the table
    let chance = 1 / Double(images.classNames.count)
    nb.check("every net learns: validation accuracy above 2 × chance", actual: curves.map { $0.1.last!.validation }.min()!, in: (2 * chance)...1)
}
/*:
 Read the table against the story. In our full run (the page below) the deep plain net ends behind
 the shallow one, on the training images as well as the validation ones: more layers, worse fit,
 the degradation problem. The residual net of the same depth ends ahead of both. Five epochs on
 5,000 images are a small experiment, so the exact gaps move with the data and the seed; He et al.
 measured the effect at 20 against 56 layers, over 64,000 steps.
 */

nb.cell("Overfit one batch")
/*:
 ## 6 · The first sanity check: overfit one batch

 Before a long run, train the new model on **one small batch** until it knows it by heart. A model
 that can learn anything at all must drive the loss on 32 fixed images close to 0 within a few
 dozen steps. If it cannot, something is broken (a wrong sign, a detached tensor, a layer that is
 never used, a learning rate far off), and a long run would only waste hours. The residual net,
 with no augmentation and the same batch every step:
 */
var overfitRNG = SplitMix64(seed: nb.seed)
let model = DeepNet(depth: 26, classes: images.classNames.count, normalized: true, residual: true, using: &overfitRNG)
let small = training.subset(Array(0..<32))
let smallImages = normalise.apply(to: small.images, using: &noRandomness), smallLabels = Tensor(shape: [32], int64: small.labels.map(Int64.init))
let overfit = Adam(named: model.namedParameters(), learningRate: 0.003)
var overfitLosses: [Double] = []
for _ in 0..<(nb.quick ? 60 : 100) {
    let loss = softmaxCrossEntropy(model(smallImages), labels: smallLabels)
    overfit.zeroGrad(); loss.backward(); overfit.step()
    overfitLosses.append(loss.item())
}
nb.print(String(format: "loss on the batch: %.3f at the start, %.4f after %d steps", overfitLosses[0], overfitLosses.last!, overfitLosses.count))
drawOverfitCurve(overfitLosses, in: nb)
nb.check("the net learns one batch by heart: loss below 5 % of where it started", actual: overfitLosses.last! / overfitLosses[0], in: 0...0.05)

/*:
 ## Summary

 - Each layer scales the variance of what passes through it; in a deep stack that factor is raised
   to the depth. With PyTorch's default initialisation a plain 20-layer ReLU net shrinks its
   activations and gradients by orders of magnitude; He initialisation, $\sigma^2 = 2/\text{fan-in}$,
   keeps them steady at the start.
 - Batch norm keeps every layer at the same scale during training too; residual connections give
   the gradient a path back that no layer can shrink. Together they make depth trainable.
 - Judge choices on a validation split, never the test set; and before any long run, check that the
   model can overfit one small batch.

 ## Exercises

 1. Measure section 2 with Xavier initialisation (`Initializer.xavierNormal`). Why does it fade in a
    ReLU net, when it was designed to keep tanh nets steady?
 2. Train the three nets of section 5 for 20 epochs (change `epochs`). Does the deep plain net
    catch up, or fall further behind?
 3. Remove batch norm from the residual net (`normalized: false`) and repeat section 2. How do the
    activations grow with depth now, and why?
 4. Break the model on purpose (use `x.detached()` inside a block, or a learning rate of 10) and
    watch the overfit-one-batch check catch it.
 */

nb.finish()
