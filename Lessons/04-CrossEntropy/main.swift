/*:
 # 04 · Cross-entropy

 A classifier ends with one score per class, a *logit*. Training needs a single number that says how
 wrong those scores are, and a gradient that says how to fix them. Softmax cross-entropy gives both.
 In this lesson you will

 - turn logits into probabilities with softmax, and into log-probabilities with log-softmax, by hand;
 - watch the naive formula overflow to `inf` and `nan`, and fix it with the log-sum-exp trick;
 - derive the gradient of the loss, $\mathrm{softmax}(z) - \mathrm{onehot}(y)$, and check it against autograd;
 - see the loss and its gradient as curves, and what label smoothing changes.

 Runtime: about a second. Figures: `loss-vs-logit.png`, `smoothed-target.png`, `label-smoothing-loss.png`,
 and with CIFAR-10 (`--data DIR`) `cifar-image.png` and `cifar-probabilities.png`, all in
 `runs/lessons/04-cross-entropy/` (or the folder `--out` names). The helpers that draw the figures
 and format the numbers live in `Helpers.swift` beside `main.swift`, so that each cell shows only the idea.
 */
import Fovea
import FoveaData
import FoveaNotebook
import FoveaPlot
import Foundation

let nb = Notebook("04-cross-entropy", title: "04 · Cross-entropy")
var rng = SplitMix64(seed: nb.seed)

/// A one-hot matrix [N, classes] for the given labels.
func oneHot(_ labels: [Int], classes: Int) -> Tensor {
    Tensor(shape: [labels.count, classes], (0..<(labels.count * classes)).map { labels[$0 / classes] == $0 % classes ? 1 : 0 })
}

nb.cell("Softmax by hand")
/*:
 ## 1 · Softmax: from scores to probabilities

 A network's last layer can output any real numbers. To read them as probabilities, softmax makes
 them positive with the exponential and divides by the total so that they sum to 1:

 $$p_j = \mathrm{softmax}(z)_j = \frac{e^{z_j}}{\sum_i e^{z_i}}.$$

 The largest logit gets the largest probability, and adding the same constant to every logit changes
 nothing (it multiplies the numerator and the denominator by the same $e^c$). Three logits, by hand:
 */
let z = Tensor([2.0, 1.0, 0.1])
let e = z.exp()                 // e^z
let total = e.sum()             // Σ e^z
let p = e / total               // probabilities
nb.table(headers: ["class", "logit z", "exp(z)", "p = exp(z) / Σ"],
         rows: (0..<3).map { ["\($0)", fmt(z.doubles[$0]), fmt(e.doubles[$0]), fmt(p.doubles[$0])] })
nb.show(fmt(total.item()), "Σ exp(z)")
nb.check("hand softmax = engine softmax", actual: p, expected: softmax(z, axis: 0), tolerance: 1e-6)
let plainExp = [2.0, 1.0, 0.1].map { Foundation.exp($0) }                  // in Double, without the engine
nb.check("softmax = exp(z) / Σ exp(z) computed in plain Double", actual: p,
         expected: Tensor(plainExp.map { Float($0 / plainExp.reduce(0, +)) }), tolerance: 1e-6)
nb.check("adding 100 to every logit changes no probability", actual: softmax(z + 100, axis: 0), expected: p, tolerance: 1e-6)

nb.cell("Log-softmax by hand")
/*:
 ## 2 · Log-softmax

 The loss will need $\log p_j$. Taking the log of the formula above gives

 $$\log p_j = z_j - \log \sum_i e^{z_i}.$$

 This is the logit minus one shared number, the *log-sum-exp* of the logits. The engine's
 `logSoftmax` computes it directly, without computing $p$ first.
 */
let logP = z - total.log()
nb.show(logP, "log p = z − log Σ exp(z)")
nb.check("hand log-softmax = engine logSoftmax", actual: logP, expected: logSoftmax(z, axis: 0), tolerance: 1e-6)
nb.check("log p = z − log Σ exp(z) computed in plain Double", actual: logP,
         expected: Tensor([2.0, 1.0, 0.1].map { Float($0 - Foundation.log(plainExp.reduce(0, +))) }), tolerance: 1e-6)

nb.cell("Overflow")
/*:
 ## 3 · Why log-sum-exp: overflow and underflow

 Float32 cannot hold numbers above about $3.4\cdot 10^{38}$, and $e^{89}$ is already larger. Logits of
 a few hundred happen in practice, for example in a diverging training run or in an over-confident
 network. Take $z = (1000, 1001, 1002)$. The naive formula computes $e^{1000} = \infty$, and
 $\infty / \infty$ is `nan`:
 */
nb.show(Tensor([88, 89]).exp(), "exp(88), exp(89) in Float32 (largest Float32: \(Float.greatestFiniteMagnitude))")
let big = Tensor([1000, 1001, 1002])
nb.show(big.exp(), "exp(z)")
nb.show(big.exp().sum(), "Σ exp(z)")
let naive = big.exp() / big.exp().sum()
nb.show(naive, "naive softmax: exp(z) / Σ exp(z)")
nb.check("all 3 naive probabilities are nan", actual: Double(naive.doubles.filter(\.isNaN).count), expected: 3, tolerance: 0.5)

nb.cell("The log-sum-exp trick")
/*:
 ## 4 · The fix: subtract the maximum

 Adding a constant to every logit changes nothing, so subtract the largest one, $m = \max_i z_i$:

 $$\log \sum_i e^{z_i} = m + \log \sum_i e^{z_i - m}.$$

 Now the largest term is $e^0 = 1$ and none is larger. The sum lies between 1 and the number of
 classes, so it cannot overflow and its log never sees 0. The same trick fixes *underflow*: with
 $z = (-1000, 0)$, $e^{-1000}$ rounds to 0 and $\log 0 = -\infty$, but log-softmax gives exactly $-1000$.
 */
let m = big.max()
let shifted = (big - m).exp()                                 // e^(z − m): 0.135, 0.368, 1
let stable = shifted / shifted.sum()
nb.show(stable, "softmax with the maximum subtracted")
nb.check("stable softmax of (1000, 1001, 1002) = softmax of (0, 1, 2)", actual: stable, expected: softmax(Tensor([0, 1, 2]), axis: 0), tolerance: 1e-6)
// Float32 numbers near 1000 are 6.1e-5 apart, so the engine's z − (m + log Σ) is exact only to about that.
nb.check("engine logSoftmax of (1000, 1001, 1002) is finite and = logSoftmax of (0, 1, 2)",
         actual: logSoftmax(big, axis: 0), expected: logSoftmax(Tensor([0, 1, 2]), axis: 0), tolerance: 1e-4)
let tiny = Tensor([-1000, 0])
nb.show(softmax(tiny, axis: 0).log(), "underflow: log(softmax(−1000, 0))")
nb.show(logSoftmax(tiny, axis: 0), "logSoftmax(−1000, 0)")
nb.check("logSoftmax(−1000, 0)[0] = −1000", actual: logSoftmax(tiny, axis: 0)[0].item(), expected: -1000, tolerance: 1e-3)

nb.cell("The loss and its gradient")
/*:
 ## 5 · The cross-entropy loss and its gradient

 The loss for one example with label $y$ is the negative log-probability of the right class:

 $$L = -\log p_y = -z_y + \log \sum_i e^{z_i}.$$

 It is 0 for a certain, correct prediction, and grows without bound as $p_y \to 0$. Differentiate with
 respect to each logit $z_j$. The first term gives $-1$ if $j = y$ and 0 otherwise. The derivative of
 log-sum-exp is $e^{z_j} / \sum_i e^{z_i} = p_j$, which is softmax again. So

 $$\frac{\partial L}{\partial z_j} = p_j - [j = y], \qquad \nabla_z L = \mathrm{softmax}(z) - \mathrm{onehot}(y).$$

 Every wrong class is pushed down by its probability, and the right class is pushed up by
 $1 - p_y$. The components sum to 0. On a batch of $N$ examples, the default reduction is the
 *mean*, $L = \frac{1}{N}\sum_n L_n$, so each row of the gradient is divided by $N$. Here is a batch of
 4 examples with 5 classes, worked with the stable formula and compared with `softmaxCrossEntropy`:
 */
let labels = [1, 0, 3, 2]
let logits = Tensor.normal([4, 5], std: 2, using: &rng)
logits.requiresGrad = true
let zs = logits.detached(), target = oneHot(labels, classes: 5)
let logSumExp = zs.max(axes: [1], keepDims: true) + (zs - zs.max(axes: [1], keepDims: true)).exp().sum(axes: [1], keepDims: true).log()
let perExample = -((zs - logSumExp) * target).sum(axes: [1])         // −log p_y, one per example
let handGradient = (softmax(zs, axis: 1) - target) / 4                 // (softmax − onehot) / N
let loss = softmaxCrossEntropy(logits, labels: Tensor(shape: [4], int64: labels.map(Int64.init)))
loss.backward()
nb.table(headers: ["example", "label y", "p_y", "−log p_y"],
         rows: (0..<4).map { ["\($0)", "\(labels[$0])", fmt(exp(-perExample.doubles[$0])), fmt(perExample.doubles[$0])] })
nb.check("loss: mean of −log p_y = softmaxCrossEntropy", actual: perExample.mean().item(), expected: loss.item(), tolerance: 1e-5)
nb.check("gradient: (softmax − onehot) / N = autograd", actual: logits.grad!, expected: handGradient, tolerance: 1e-6)
nb.check("each row of the gradient sums to 0", actual: logits.grad!.sum(axes: [1]), expected: Tensor(zeros: [4]), tolerance: 1e-6)

nb.cell("Mean versus sum")
/*:
 ## 6 · Mean or sum: the factor $N$

 With `reduction: .sum`, the loss is $N$ times larger and the gradient is $\mathrm{softmax} -
 \mathrm{onehot}$ with no division. The mean is the default because it fixes the gradient's
 *scale*: it is an average over the batch, whatever the batch size, so a rate does not have to shrink
 when the batch grows. It does not fix its *noise*: an average over 256 images wobbles less than one
 over 32, which is why larger batches usually take, and tolerate, larger learning rates (the
 "linear scaling" rule of Goyal et al., 2017).
 Finite differences in Float64 (`gradientCheck`) confirm the formula independently.
 */
let again = zs.copied()
again.requiresGrad = true
let summed = softmaxCrossEntropy(again, labels: Tensor(shape: [4], int64: labels.map(Int64.init)), reduction: .sum)
summed.backward()
nb.check("sum reduction = N × mean", actual: summed.item(), expected: 4 * loss.item(), tolerance: 1e-5)
nb.check("sum-reduction gradient = softmax − onehot", actual: again.grad!, expected: handGradient * 4, tolerance: 1e-6)
let report = gradientCheck([zs.converted(to: .float64)], using: &rng) { t in
    softmaxCrossEntropy(t[0], labels: Tensor(shape: [4], int64: labels.map(Int64.init)))
}
nb.check("gradientCheck (Float64 finite differences), max abs error", actual: report.maxAbsoluteError, expected: 0, tolerance: 1e-6)

nb.cell("The loss as a curve")
/*:
 ## 7 · The loss and its gradient as curves

 Fix the wrong classes' logits at $(1, 0, -1)$ and slide the right class's logit $z_y$ from $-6$ to 6.
 Each row of one batch is one point of the curve. Three things stand out:

 - When $z_y$ equals the log-sum-exp of the others, $\ell = \log(e^1 + e^0 + e^{-1})$, the right class
   has probability $1/2$: the loss is $\log 2$ and the gradient is $-1/2$.
 - Far to the left the loss becomes a straight line, $-z_y + \ell$ (dashed), and the gradient tends
   to $-1$. A confidently wrong example gets a firm push, but never more than 1.
 - Far to the right both tend to 0: a confidently right example stops contributing.
 */
let grid = (0...120).map { -6 + 0.1 * Double($0) }
let curveLogits = Tensor(shape: [grid.count, 4], grid.flatMap { [Float($0), 1, 0, -1] }, requiresGrad: true)
let curveLabels = Tensor(shape: [grid.count], int64: [Int64](repeating: 0, count: grid.count))
let curveLoss = softmaxCrossEntropy(curveLogits, labels: curveLabels, reduction: .none)     // [121]: one loss per z_y
curveLoss.sum().backward()                                                                   // row n's gradient is its own
let slope = (0..<grid.count).map { curveLogits.grad![$0, 0] }                                // ∂L/∂z_y
let others = log(exp(1.0) + exp(0.0) + exp(-1.0))
drawLossCurve(grid: grid, loss: curveLoss.doubles, slope: slope, others: others, in: nb)
let half = Tensor(shape: [1, 4], [Float(others), 1, 0, -1], requiresGrad: true)
let halfLoss = softmaxCrossEntropy(half, labels: Tensor(shape: [1], int64: [0]))
halfLoss.backward()
nb.check("at z_y = ℓ the loss is log 2", actual: halfLoss.item(), expected: log(2.0), tolerance: 1e-6)
nb.check("at z_y = ℓ the gradient is −1/2", actual: half.grad![0, 0], expected: -0.5, tolerance: 1e-6)
nb.print("at z_y = −6: loss \(fmt(curveLoss[0].item())), gradient \(fmt(slope[0]));  at z_y = 6: loss \(fmt(curveLoss[120].item())), gradient \(fmt(slope[120]))")

nb.cell("What a fresh network should say")
/*:
 ## 8 · The first loss to expect: $\log C$

 A freshly initialised network has small, nearly equal logits, so it gives every class about
 $1/C$, and its loss is about $-\log(1/C) = \log C$. For CIFAR-10's 10 classes that is
 $\log 10 \approx 2.303$. If the first loss of a training run is far from it, check the labels and
 the initialisation before anything else.
 */
let uniform = softmaxCrossEntropy(Tensor(zeros: [1, 10]), labels: Tensor(shape: [1], int64: [3]))
nb.check("loss of equal logits over 10 classes = log 10", actual: uniform.item(), expected: log(10.0), tolerance: 1e-6)

nb.cell("Label smoothing")
/*:
 ## 9 · Label smoothing

 The hard target says "100 % this class". Label smoothing takes a little probability $\varepsilon$ from
 the right class and spreads it evenly over all $C$ classes:

 $$q = (1 - \varepsilon)\,\mathrm{onehot}(y) + \varepsilon / C, \qquad L = -\sum_j q_j \log p_j.$$

 The same derivation as before gives the gradient $\nabla_z L = p - q$: the prediction minus the target,
 for any target that is a probability distribution. (The derivation uses $\sum_j q_j = 1$: the
 $\log \sum_i e^{z_i}$ part of $-\log p_j$ contributes $p_k \sum_j q_j$ to $\partial L/\partial z_k$, which
 is $p_k$ only when the targets sum to 1. Here $(1-\varepsilon) + C\cdot\varepsilon/C = 1$.) With $\varepsilon = 0.1$ and $C = 10$, the right class's target is $0.91$ and
 every other class gets $0.01$. By hand on a batch of 3, against `softmaxCrossEntropy(labelSmoothing:)`:
 */
let epsilon = 0.1, smoothLabels = [7, 2, 9]
let smoothLogits = Tensor.normal([3, 10], std: 2, using: &rng)
smoothLogits.requiresGrad = true
let q = oneHot(smoothLabels, classes: 10) * (1 - epsilon) + epsilon / 10       // smoothed targets [3, 10]
let sz = smoothLogits.detached()
let handSmoothLoss = -(q * logSoftmax(sz, axis: 1)).sum() / 3
let handSmoothGradient = (softmax(sz, axis: 1) - q) / 3
let smoothLoss = softmaxCrossEntropy(smoothLogits, labels: Tensor(shape: [3], int64: smoothLabels.map(Int64.init)), labelSmoothing: epsilon)
smoothLoss.backward()
nb.check("smoothed loss by hand = softmaxCrossEntropy(labelSmoothing: 0.1)", actual: handSmoothLoss.item(), expected: smoothLoss.item(), tolerance: 1e-5)
nb.check("smoothed gradient (p − q) / N = autograd", actual: smoothLogits.grad!, expected: handSmoothGradient, tolerance: 1e-6)
drawSmoothedTarget(q[0], label: smoothLabels[0], in: nb)

nb.cell("Why smooth")
/*:
 ## 10 · Why smooth: the loss stops rewarding over-confidence

 With the hard target, the loss keeps falling as the right logit grows. It pushes logits towards
 infinity, and the network becomes over-confident. With the smoothed target, the loss is smallest
 when $p = q$. With the right class's logit $z_y$ and all others 0, that happens at
 $e^{z_y} = q_y / q_{\text{other}} = 0.91/0.01$, so $z_y^\ast = \log 91$. Beyond that point, the loss rises again.

 Note that the smallest loss is not 0. Cross-entropy splits as $H(q, p) = H(q) + D_{KL}(q\,\|\,p)$: the
 divergence is 0 at $p = q$, but the entropy of the smoothed target itself, $H(q) = -\sum_j q_j \log q_j$,
 stays. For $\varepsilon = 0.1$ and 10 classes that floor is $-0.91\log 0.91 - 9\cdot 0.01 \log 0.01 \approx 0.50$:
 a smoothed loss cannot fall below it, however good the network.
 */
let zGrid = (0...140).map { -4 + 0.1 * Double($0) }
let rows = Tensor(shape: [zGrid.count, 10], zGrid.flatMap { [Float($0)] + [Float](repeating: 0, count: 9) })
let rowLabels = Tensor(shape: [zGrid.count], int64: [Int64](repeating: 0, count: zGrid.count))
let hardCurve = softmaxCrossEntropy(rows, labels: rowLabels, reduction: .none).doubles
let smoothCurve = softmaxCrossEntropy(rows, labels: rowLabels, reduction: .none, labelSmoothing: epsilon).doubles
let optimum = Tensor(shape: [1, 10], [Float(log(91.0))] + [Float](repeating: 0, count: 9), requiresGrad: true)
let optimumLoss = softmaxCrossEntropy(optimum, labels: Tensor(shape: [1], int64: [0]), labelSmoothing: epsilon)
drawLabelSmoothingLoss(zGrid: zGrid, hard: hardCurve, smoothed: smoothCurve, minimum: optimumLoss.item(), in: nb)
let best = zGrid[smoothCurve.indices.min { smoothCurve[$0] < smoothCurve[$1] }!]
nb.print("smallest smoothed loss on the grid at z_y = \(fmt(best)); log 91 = \(fmt(log(91.0)))")
optimumLoss.backward()
nb.check("at z_y = log 91 the smoothed gradient is 0 (p = q)", actual: optimum.grad!, expected: Tensor(zeros: [1, 10]), tolerance: 1e-6)
let targetEntropy = -(0.91 * log(0.91) + 9 * 0.01 * log(0.01))           // H(q), from the formula
nb.check("the smallest smoothed loss is H(q) ≈ 0.50, not 0", actual: optimumLoss.item(), expected: targetEntropy, tolerance: 1e-5)

nb.cell("A real image")
/*:
 ## 11 · Softmax of an untrained network on a real image

 A small untrained CNN (3×3 convolution with 8 filters, ReLU, 2×2 max-pooling, linear to 10 classes)
 looks at one CIFAR-10 test image. As section 8 predicts, its probabilities are all close to
 $1/10$, and its loss is close to $\log 10$. Training (lesson 05) will pull the right bar up.
 */
if let directory = nb.load({ try CIFAR10.find(data: nb.dataDirectory) }) {
    let (image, imageLabels) = nb.load { try CIFAR10.load(file: directory + "/" + CIFAR10.testFile, limit: 1) }
    let conv = Conv2d(3, 8, kernelSize: 3, using: &rng), head = Linear(8 * 15 * 15, 10, using: &rng)
    let scores = noGrad { head(maxPool2d(relu(conv(image)), kernel: 2).flattened()) }          // [1, 10]
    let probabilities = softmax(scores, axis: 1)[0]
    let imageLoss = softmaxCrossEntropy(scores, labels: Tensor(shape: [1], int64: [Int64(imageLabels[0])]))
    nb.print("label: \(CIFAR10.classNames[imageLabels[0]]); probabilities from \(fmt(probabilities.doubles.min()!)) to \(fmt(probabilities.doubles.max()!)); loss \(fmt(imageLoss.item())) (log 10 = \(fmt(log(10.0))))")
    drawImageAndProbabilities(image, label: imageLabels[0], probabilities: probabilities.doubles, in: nb)
} else {
    nb.print("CIFAR-10 not found in ~/.cache/fovea: unpack it there (see the README), or run with --data DIR, to see an untrained network's probabilities on a real image.")
}

/*:
 ## Summary

 - Softmax turns logits into probabilities, $p_j = e^{z_j}/\sum_i e^{z_i}$. Log-softmax is
   $z_j - \log\sum_i e^{z_i}$.
 - Computed naively, $e^{z}$ overflows (`inf`, then `nan`) and $\log p$ underflows (`-inf`). Subtracting
   the maximum logit first (log-sum-exp) fixes both, and the engine always does it.
 - Cross-entropy is $-\log p_y$. Its gradient is $\mathrm{softmax}(z) - \mathrm{onehot}(y)$, divided
   by $N$ under the default mean reduction. It lies between $-1$ and 1 in every component.
 - A fresh network should start near $\log C$.
 - Label smoothing replaces the one-hot target with $(1-\varepsilon)\,\mathrm{onehot} + \varepsilon/C$. The
   gradient becomes $p - q$, and the loss no longer rewards infinitely large logits.

 ## Exercises

 1. Binary classification with one logit $t$ uses the sigmoid, $p = \sigma(t)$. Show that softmax over
    the two logits $(t, 0)$ gives the same $p$. What is the gradient of $-\log p$?
 2. Section 3 shows that the Float32 exponential overflows between 88 and 89. Find the threshold
    to two decimals, predict it from the largest Float32, then find it for Float64
    (`Tensor(shape: [1], float64: [x])`).
 3. Plot the smoothed loss curve of section 10 for $\varepsilon = 0.01, 0.1, 0.3$. Predict each minimum
    from $z_y^\ast = \log\big((1 - \varepsilon + \varepsilon/C)/(\varepsilon/C)\big)$ first.
 4. Divide the logits by a temperature $T$ before the softmax. What happens to the probabilities in
    section 1 as $T \to 0$ and $T \to \infty$?
 */
nb.finish()
