/*:
 # 03 · Backpropagation

 A network learns by nudging every weight a little against the gradient of its loss. Backpropagation
 is how that gradient is computed: the chain rule, applied one operation at a time, from the loss
 back to the input. In this lesson you will

 - work the chain rule by hand on a four-node graph, and check every number against the engine's autograd;
 - write out, as code, the gradient of every layer of a small CNN (linear, max-pool, ReLU, convolution),
   and check each one against autograd *and* against finite differences;
 - look at gradients as pictures: which pixels, weights and feature-map positions the loss is sensitive to.

 Runtime: under a second, plus about two seconds of training for the CIFAR-10 section (a fraction
 of a second with `--quick`). Figures: `input-gradient.png`, `feature-map-gradients.png`,
 `conv-weight-gradient.png`, and with CIFAR-10 (`--data DIR`) `cifar-images.png` and `cifar-saliency.png`,
 all in `runs/lessons/03-backpropagation/` (or the folder `--out` names). The helpers that format
 the numbers and tables, draw the figures and train the network of section 12 are in `Helpers.swift`,
 beside this `main.swift`, so that each cell shows just the idea.
 */
import Fovea
import FoveaData
import FoveaNotebook
import FoveaPlot
import Foundation

let nb = Notebook("03-backpropagation", title: "03 · Backpropagation")
var rng = SplitMix64(seed: nb.seed)

nb.cell("A tiny graph, forward")
/*:
 ## 1 · A tiny graph, forward

 Take four numbers and one formula,
 $f = (a \cdot b + c)\cdot\sigma(d)$ with the sigmoid $\sigma(t) = 1/(1 + e^{-t})$.
 A computer evaluates it as a chain of small steps, each with a name: $u = a\cdot b$, $v = u + c$,
 $s = \sigma(d)$ and $f = v\cdot s$. That chain is a *computation graph*. Every deep network is one,
 just with millions of nodes. Here is the forward pass with $a = 2$, $b = -3$, $c = 10$, $d = 1$:
 */
let (a, b, c, d) = (2.0, -3.0, 10.0, 1.0)
let u = a * b                  // multiply
let v = u + c                  // add
let s = 1 / (1 + exp(-d))      // sigmoid
let f = v * s                  // multiply
nb.table(headers: ["node", "formula", "value"],
         rows: [["u", "a·b", fmt(u)], ["v", "u + c", fmt(v)], ["s", "σ(d)", fmt(s)], ["f", "v·s", fmt(f)]])

nb.cell("Backward by the chain rule")
/*:
 ## 2 · Backward by the chain rule

 How much does $f$ move when $a$ moves a little? $a$ reaches $f$ only through $u$ and $v$, so the
 chain rule multiplies the *local* derivatives along that path:
 $\partial f/\partial a = \partial f/\partial v \cdot \partial v/\partial u \cdot \partial u/\partial a$.

 Each node only needs its own local derivative:

 - $f = v\cdot s$: $\partial f/\partial v = s$ and $\partial f/\partial s = v$;
 - $s = \sigma(d)$: $\partial s/\partial d = \sigma(d)\,(1 - \sigma(d)) = s(1 - s)$;
 - $v = u + c$: $\partial v/\partial u = \partial v/\partial c = 1$ (an add copies the gradient to both inputs);
 - $u = a\cdot b$: $\partial u/\partial a = b$ and $\partial u/\partial b = a$ (a multiply swaps its inputs).

 Backpropagation walks the graph backwards from $\partial f/\partial f = 1$. At each node it takes the
 gradient that arrived from above (the *upstream* gradient) and multiplies it by the local derivative.
 Nothing is computed twice: $\partial f/\partial a$ and $\partial f/\partial b$ both reuse $\partial f/\partial u$.
 That is why a backward pass costs only a small multiple of a forward pass: for a linear or
 convolution layer about **twice** the forward, one matrix product for the gradient of its input
 and one for the gradient of its weights (the forward pass is one product).
 */
let dfdv = s, dfds = v                      // f = v·s
let dfdd = dfds * s * (1 - s)               // s = σ(d)
let dfdu = dfdv * 1, dfdc = dfdv * 1        // v = u + c
let dfda = dfdu * b, dfdb = dfdu * a        // u = a·b
nb.table(headers: ["node", "local derivative", "local value", "upstream", "∂f/∂node = upstream × local"], rows: [
    ["v", "∂f/∂v = s", fmt(s), "1", fmt(dfdv)], ["s", "∂f/∂s = v", fmt(v), "1", fmt(dfds)],
    ["d", "∂s/∂d = s(1 − s)", fmt(s * (1 - s)), fmt(dfds), fmt(dfdd)],
    ["u", "∂v/∂u = 1", "1", fmt(dfdv), fmt(dfdu)], ["c", "∂v/∂c = 1", "1", fmt(dfdv), fmt(dfdc)],
    ["a", "∂u/∂a = b", fmt(b), fmt(dfdu), fmt(dfda)], ["b", "∂u/∂b = a", fmt(a), fmt(dfdu), fmt(dfdb)],
])

nb.cell("The engine agrees")
/*:
 ## 3 · The engine's autograd agrees

 The engine does the same thing automatically. Every operation on a tensor that `requiresGrad`
 records its inputs and its local derivative rule. `backward()` then walks that record in reverse.
 We build the same graph from Float64 scalars and compare each gradient with the hand value.
 The only differences are rounding, so the tolerance is $10^{-12}$.
 */
let ta = Tensor(scalar: a, dtype: .float64, requiresGrad: true), tb = Tensor(scalar: b, dtype: .float64, requiresGrad: true)
let tc = Tensor(scalar: c, dtype: .float64, requiresGrad: true), td = Tensor(scalar: d, dtype: .float64, requiresGrad: true)
let tf = (ta * tb + tc) * sigmoid(td)
tf.backward()
nb.check("forward: f", actual: tf.item(), expected: f, tolerance: 1e-12)
for (name, leaf, byHand) in [("a", ta, dfda), ("b", tb, dfdb), ("c", tc, dfdc), ("d", td, dfdd)] {
    nb.check("∂f/∂\(name): autograd = hand", actual: leaf.grad!.item(), expected: byHand, tolerance: 1e-12)
}

/*:
 **Inside the engine.** Nothing here is magic; the records are there to look at. Each result
 remembers the op that made it and its inputs (`opName`, `recordedInputs`), and `graphOrder` lists
 the graph so that every tensor comes after its inputs. `backward()` walks that list from the end:
 at each tensor its gradient is complete, because every tensor computed from it came later in the
 list and has already passed its share back. We build the same graph again, keeping every step:
 */
let (ga, gb, gc, gd) = (ta.detached(), tb.detached(), tc.detached(), td.detached())
for (leaf, name) in [(ga, "a"), (gb, "b"), (gc, "c"), (gd, "d")] { (leaf.requiresGrad, leaf.label) = (true, name) }
let gu = ga * gb, gv = gu + gc, gs = sigmoid(gd), gf = gv * gs
(gu.label, gv.label, gs.label, gf.label) = ("u", "v", "s", "f")
nb.table(headers: ["order", "tensor", "made by", "from"], rows: gf.graphOrder.enumerated().map { i, t in
    ["\(i + 1)", t.label ?? "?", t.opName ?? "leaf", t.recordedInputs.map { $0.label ?? "?" }.joined(separator: ", ")]
})
/*:
 A tensor used twice collects a share from each use, and the shares **add**: for $g = a\cdot a + a$,
 $\partial g/\partial a = a + a + 1$, once from each factor of the product and once from the sum.
 */
let twice = Tensor(scalar: a, dtype: .float64, requiresGrad: true)
(twice * twice + twice).backward()
nb.check("a used three times: the shares add to 2a + 1", actual: twice.grad!.item(), expected: 2 * a + 1, tolerance: 1e-12)

nb.cell("A small CNN, forward")
/*:
 ## 4 · A small CNN, forward

 Now a real network, small enough to follow every number: an 8×8 grey image of a letter (plus a
 little noise, so that no two pixels are exactly equal: ties would put max-pooling on a kink, see
 section 9), a 3×3 convolution with 3 filters (6×6 maps), ReLU, 2×2 max-pooling (3×3 maps), and a linear layer from
 the 3·3·3 = 27 pooled values to 3 class scores (*logits*), scored with the cross-entropy loss
 against label 1. The weights are random: gradients exist whether or not a network is any good.

 Everything runs in Float64, so that finite differences (section 9) are accurate to about $10^{-9}$ or better.
 `retainGrad()` asks autograd to keep the gradients of the intermediate tensors too; normally only
 the leaves (weights and input) keep theirs.
 */
func forward(_ x: Tensor, _ w1: Tensor, _ b1: Tensor, _ w2: Tensor, _ b2: Tensor) -> (z1: Tensor, a1: Tensor, p1: Tensor, logits: Tensor) {
    let z1 = conv2d(x, weight: w1, bias: b1)                         // [1, 3, 6, 6]
    let a1 = relu(z1)                                                // [1, 3, 6, 6]
    let p1 = maxPool2d(a1, kernel: 2)                                // [1, 3, 3, 3]
    let logits = linear(p1.flattened(), weight: w2, bias: b2)        // [1, 27] → [1, 3]
    return (z1, a1, p1, logits)
}
let x = letterImage(size: 8) + Tensor.normal([1, 1, 8, 8], std: 0.05, dtype: .float64, using: &rng)   // bright ink on black, and noise
let (w1, b1, w2, b2) = randomWeights(using: &rng)       // normal W1 [3, 1, 3, 3], b1 [3], W2 [3, 27]; b2 = 0
let label = Tensor(shape: [1], int64: [1])
for leaf in [x, w1, b1, w2, b2] { leaf.requiresGrad = true }
let (z1, a1, p1, logits) = forward(x, w1, b1, w2, b2)
for t in [z1, a1, p1, logits] { t.retainGrad() }
let loss = softmaxCrossEntropy(logits, labels: label)
loss.backward()                         // autograd: every .grad is now filled in
showOutput(logits: logits, loss: loss, in: nb)         // logits, probabilities, loss

nb.cell("The linear layer")
/*:
 ## 5 · The linear layer: $dW = dz^\top h$

 Backpropagation by hand starts at the loss. For softmax cross-entropy, the gradient with respect to
 the logits is $\partial L/\partial z = \mathrm{softmax}(z) - \mathrm{onehot}(y)$. (Lesson 04 derives
 it. With a batch of one, the mean over the batch divides by 1.)

 The linear layer computes $z = h W^\top + b$, that is $z_k = \sum_m W_{km} h_m + b_k$. Each weight
 $W_{km}$ multiplies exactly one input $h_m$, so
 $\partial L/\partial W_{km} = \partial L/\partial z_k \cdot h_m$. For a batch, this is a matrix
 product, $dW = dz^\top h$. Likewise $db = \sum_n dz_n$, and the gradient that flows on down is
 $dh = dz\,W$. `detached()` takes a tensor's values without its graph, so that the hand computation is
 not itself recorded.
 */
let onehot = Tensor(shape: [1, 3], float64: [0, 1, 0])                 // label 1
let dLogits = softmax(logits.detached()) - onehot                      // [1, 3]
let h = p1.flattened().detached()                                      // [1, 27]
let dW2 = matmul(dLogits.transposed(), h)                              // [3, 1]·[1, 27] = [3, 27]
let db2 = dLogits.sum(axes: [0])                                       // [3]
let dP1 = matmul(dLogits, w2.detached()).reshaped([1, 3, 3, 3])        // [1, 3]·[3, 27], back to the pooled shape
nb.show(dLogits, "dL/dlogits = softmax − onehot")
nb.show(dP1[0][0], "dL/d(pooled map 0)")

nb.cell("Max-pool routes the gradient")
/*:
 ## 6 · Max-pooling routes the gradient to the winner

 Each pooled value is a copy of one input, the largest in its 2×2 window. Its derivative is 1 with
 respect to that input and 0 with respect to the other three. So the upstream gradient of each
 window goes, whole, to the window's arg-max, and the other three positions get nothing. On a
 tie, the first maximum in row-major order wins, as in PyTorch.
 */
var dA1Values = [Double](repeating: 0, count: a1.count)               // dL/da1, [1, 3, 6, 6] row-major
for k in 0..<3 {
    for i in 0..<3 {
        for j in 0..<3 {
            var (bestY, bestX) = (2 * i, 2 * j)                        // the window's top-left corner
            for row in (2 * i)..<(2 * i + 2) {
                for col in (2 * j)..<(2 * j + 2) where a1[0, k, row, col] > a1[0, k, bestY, bestX] { (bestY, bestX) = (row, col) }
            }
            dA1Values[(k * 6 + bestY) * 6 + bestX] += dP1[0, k, i, j]
        }
    }
}
let dA1 = Tensor(shape: [1, 3, 6, 6], float64: dA1Values)
nb.show(dA1[0][0], "dL/da1, map 0: one non-zero (at most) per 2×2 window")

nb.cell("ReLU is a mask")
/*:
 ## 7 · ReLU is a mask

 $\mathrm{relu}(z) = \max(z, 0)$ has derivative 1 where $z > 0$ and 0 where $z < 0$, so its backward
 pass multiplies the upstream gradient by a mask: $dz = da \odot [z > 0]$. (At exactly 0 the
 derivative is undefined. The convention, here as in PyTorch, is 0.) A window whose values were all
 negative pooled a zero. Max-pooling routed its gradient to the first of those zeros, and the mask
 now removes it.
 */
let reluMask = Tensor(shape: z1.shape, float64: z1.doubles.map { $0 > 0 ? 1 : 0 })
let dZ1 = dA1 * reluMask                                                // [1, 3, 6, 6]
nb.show(dZ1[0][0], "dL/dz1, map 0")
nb.print("non-zero entries: dL/da1 \(dA1.doubles.filter { $0 != 0 }.count), dL/dz1 \(dZ1.doubles.filter { $0 != 0 }.count) of \(dZ1.count)")

nb.cell("The convolution's gradients")
/*:
 ## 8 · Convolution: the weight gradient is a correlation

 The convolution computes $z_{k,i,j} = b_k + \sum_{c,r,s} W_{k,c,r,s}\, x_{c,\,i+r,\,j+s}$. One weight
 $W_{k,c,r,s}$ is used at *every* output position $(i, j)$. Its gradient therefore sums over all of them:

 $$\frac{\partial L}{\partial W_{k,c,r,s}} = \sum_{i,j} dz_{k,i,j}\; x_{c,\,i+r,\,j+s}.$$

 This is the input *correlated* with the upstream gradient: slide the 6×6 map $dz_k$ over the 8×8
 image and take a dot product at each of the 3×3 offsets. The bias is used everywhere with factor 1,
 so $db_k = \sum_{i,j} dz_{k,i,j}$. Each input pixel feeds every output whose window covers it, so
 $dx_{c,\,i+r,\,j+s}$ collects $dz_{k,i,j}\,W_{k,c,r,s}$ from each of them. That is a "full"
 convolution of $dz$ with the flipped filters.

 The correlation is itself a convolution. Treat the image's channels as a batch and the 6×6 gradient
 maps as 3 filters, and `conv2d` computes exactly the sum above (the last two lines).
 */
var dW1Values = [Double](repeating: 0, count: w1.count), dXValues = [Double](repeating: 0, count: x.count)
for k in 0..<3 { for r in 0..<3 { for s in 0..<3 { for i in 0..<6 { for j in 0..<6 {
    dW1Values[k * 9 + r * 3 + s] += dZ1[0, k, i, j] * x[0, 0, i + r, j + s]   // dW[k,c,r,s] = Σ dz·x  (c = 0)
    dXValues[(i + r) * 8 + (j + s)] += dZ1[0, k, i, j] * w1[k, 0, r, s]     // dx[c,i+r,j+s] += dz·W
} } } } }
let dW1 = Tensor(shape: w1.shape, float64: dW1Values), dX = Tensor(shape: x.shape, float64: dXValues)
let db1 = dZ1.sum(axes: [0, 2, 3])                                      // [3]
nb.show(dW1[0][0], "dL/dW1, filter 0")
let dW1ByConv = conv2d(x.detached().permuted([1, 0, 2, 3]), weight: dZ1.permuted([1, 0, 2, 3])).permuted([1, 0, 2, 3])
nb.check("dW1 by conv2d(x, dz) = dW1 by loops", actual: dW1ByConv, expected: dW1, tolerance: 1e-12)

/*:
 The same loops handle **stride and padding**. Output $(i, j)$ of a convolution with stride 2 and
 padding 1 reads input row $2i + r - 1$ and column $2j + s - 1$; a tap that falls outside the image
 reads the zero padding, so it adds nothing to either gradient. A 7×7 image of 2 channels through
 4 filters (a 4×4 output), by hand against autograd, with a random upstream gradient:
 */
let image2 = Tensor.normal([1, 2, 7, 7], dtype: .float64, using: &rng), filters2 = Tensor.normal([4, 2, 3, 3], dtype: .float64, using: &rng)
(image2.requiresGrad, filters2.requiresGrad) = (true, true)
let out2 = conv2d(image2, weight: filters2, stride: 2, padding: 1)                  // [1, 4, 4, 4]
let upstream2 = Tensor.normal(out2.shape, dtype: .float64, using: &rng)
(out2 * upstream2).sum().backward()
var dFilters2 = [Double](repeating: 0, count: filters2.count), dImage2 = [Double](repeating: 0, count: image2.count)
for k in 0..<4 { for c in 0..<2 { for r in 0..<3 { for s in 0..<3 { for i in 0..<4 { for j in 0..<4 {
    let (row, column) = (2 * i + r - 1, 2 * j + s - 1)                             // stride 2, padding 1
    guard (0..<7).contains(row), (0..<7).contains(column) else { continue }         // a padding tap
    dFilters2[((k * 2 + c) * 3 + r) * 3 + s] += upstream2[0, k, i, j] * image2[0, c, row, column]
    dImage2[(c * 7 + row) * 7 + column] += upstream2[0, k, i, j] * filters2[k, c, r, s]
} } } } } }
nb.check("stride 2, padding 1: dW by loops = autograd", actual: filters2.grad!, expected: Tensor(shape: filters2.shape, float64: dFilters2), tolerance: 1e-12)
nb.check("stride 2, padding 1: dx by loops = autograd", actual: image2.grad!, expected: Tensor(shape: image2.shape, float64: dImage2), tolerance: 1e-12)

nb.cell("Finite differences")
/*:
 ## 9 · Finite differences: a referee that needs no calculus

 To check a gradient without trusting any derivation, nudge one number and watch the loss:
 $\partial L/\partial\theta \approx \big(L(\theta + h) - L(\theta - h)\big) / 2h$. Repeat this for every
 number, running the whole network twice each time. This is far too slow for training, but ideal as a
 referee. In Float64 with $h = 10^{-6}$ the error is about $10^{-9}$.

 Finite differences go wrong near a *kink*, where the function bends sharply: a ReLU input within
 $h$ of 0, or two nearly equal values in a pooling window. A nudge there crosses the kink, and the
 slope it measures is neither side's. So first measure how far this network is from one.
 */
func centralDifferences(of t: Tensor, step: Double = 1e-6, _ lossValue: () -> Double) -> Tensor {
    var values = t.doubles, gradient = [Double](repeating: 0, count: t.count)
    for i in values.indices {
        let original = values[i]
        values[i] = original + step; t.setElements(values); let plus = lossValue()
        values[i] = original - step; t.setElements(values); let minus = lossValue()
        values[i] = original; t.setElements(values)
        gradient[i] = (plus - minus) / (2 * step)
    }
    return Tensor(shape: t.shape, float64: gradient)
}
nb.print("distance to the nearest kink: min |z1| = \(fmt(z1.doubles.map(abs).min()!)), smallest gap in a pooling window = \(fmt(poolGap(a1)))")

nb.cell("Three ways to the same gradient")
/*:
 ## 10 · Three ways to the same gradient

 When both distances are far larger than $h$, as here, finite differences are trustworthy. The table
 compares every hand-derived gradient with autograd (they differ only by rounding, tolerance
 $10^{-10}$), and every gradient of a leaf (weights, biases, input) with finite differences
 (tolerance $10^{-6}$). Intermediate tensors have no finite-difference column: they are not inputs
 that could be nudged on their own.

 The engine also ships this test as `gradientCheck` (the last lines). It multiplies the output by a
 random upstream gradient, so that a gradient sent to the wrong element cannot hide, and compares
 autograd with central differences for every input at once.
 */
let lossValue = { noGrad { softmaxCrossEntropy(forward(x, w1, b1, w2, b2).logits, labels: label).item() } }
let rows: [(String, Tensor, Tensor, Tensor?)] = [
    ("logits", dLogits, logits.grad!, nil), ("W2 (linear)", dW2, w2.grad!, centralDifferences(of: w2, lossValue)),
    ("b2 (linear)", db2, b2.grad!, centralDifferences(of: b2, lossValue)), ("p1 (pooled)", dP1, p1.grad!, nil),
    ("a1 (max-pool routing)", dA1, a1.grad!, nil), ("z1 (ReLU mask)", dZ1, z1.grad!, nil),
    ("W1 (conv)", dW1, w1.grad!, centralDifferences(of: w1, lossValue)), ("b1 (conv)", db1, b1.grad!, centralDifferences(of: b1, lossValue)),
    ("x (input)", dX, x.grad!, centralDifferences(of: x, lossValue))]
showGradientComparison(rows, in: nb)                    // the table: the largest differences, per gradient
for (name, hand, auto, numeric) in rows {
    nb.check("dL/d\(name): hand = autograd", actual: auto, expected: hand, tolerance: 1e-10)
    if let numeric { nb.check("dL/d\(name): hand = finite differences", actual: numeric, expected: hand, tolerance: 1e-6) }
}
let report = gradientCheck([x.copied(), w1.copied(), b1.copied(), w2.copied(), b2.copied()],
                           using: &rng) { t in softmaxCrossEntropy(forward(t[0], t[1], t[2], t[3], t[4]).logits, labels: label) }
nb.check("gradientCheck on the whole network (max abs error)", actual: report.maxAbsoluteError, expected: 0, tolerance: 1e-6)

nb.cell("Gradients as pictures")
/*:
 ## 11 · Gradients as pictures

 A gradient has the shape of what it differentiates, so it can be drawn like it. Red means
 increasing this number would increase the loss, blue means it would decrease it, and white means
 the loss does not care.

 The input gradient $dL/dx$ shows which pixels matter, and in which direction. A pixel gets a
 gradient only through the positions that survived pooling and ReLU. The intermediate maps show routing and masking at work: $z_1$ (before
 ReLU), $dL/da_1$ (one value per pooling window), and $dL/dz_1$ (the same, with the negative
 positions of $z_1$ masked out).
 */
drawInputGradient(x, in: nb)                            // x and dL/dx
drawFeatureMapGradients(z1: z1, a1: a1, in: nb)         // z1, dL/da1 and dL/dz1, per filter
drawConvWeightGradient(w1, in: nb)                      // W1 and dL/dW1

nb.cell("Saliency on real images")
/*:
 ## 12 · Saliency: $|dL/dx|$ on real images

 The same network shape, widened for colour photographs: CIFAR-10 images (3×32×32), a 3×3
 convolution with 8 filters, ReLU, 2×2 max-pooling and a linear layer to the 10 classes. The
 magnitude of the input gradient, $|dL/dx|$ (the largest over the three colour channels), is a
 *saliency map*: the pixels where a small change would move the **loss** most. Simonyan et al. (2014)
 take the gradient of the **class score** instead, $|\partial s_c/\partial x|$ for the predicted class $c$
 before the softmax: "which pixels make this look like a cat". The loss gradient also depends on the
 label and on the other classes' scores (it is small once the net is confident and right), so the
 two maps agree in spirit but not in detail.

 An untrained network's saliency is noise (its random linear layer weighs every position
 differently), so we first train it briefly. Each step is exactly this lesson's backward pass,
 followed by a small step of every weight against its gradient (lesson 05 explains the step).
 A network this small still reaches only modest accuracy, so read the maps as "where this
 network looks", not as an explanation of the image.
 */
if let directory = nb.load({ try CIFAR10.find(data: nb.dataDirectory) }) {
    let train = nb.load { try CIFAR10.load(file: directory + "/" + CIFAR10.trainingFiles[0], limit: nb.quick ? 1024 : 10000) }
    let conv = Conv2d(3, 8, kernelSize: 3, using: &rng), head = Linear(8 * 15 * 15, 10, using: &rng)
    let network = { (images: Tensor) in head(maxPool2d(relu(conv(images)), kernel: 2).flattened()) }     // [N, 3, 32, 32] → [N, 10]
    let losses = trainBriefly(conv.parameters + head.parameters, scores: network, on: train, steps: nb.quick ? 16 : 600)   // SGD, batches of 64
    nb.print("training loss, mean of the first and last 16 steps: \(fmt(losses.prefix(16).reduce(0, +) / 16)) → \(fmt(losses.suffix(16).reduce(0, +) / 16))")
    let (images, labels) = nb.load { try CIFAR10.load(file: directory + "/" + CIFAR10.testFile, limit: nb.quick ? 4 : 8) }
    images.requiresGrad = true
    let scores = network(images)                                                                        // [N, 10]
    softmaxCrossEntropy(scores, labels: Tensor(shape: [labels.count], int64: labels.map(Int64.init)), reduction: .sum).backward()
    let saliency = images.grad!.abs().max(axes: [1])                                                    // [N, 32, 32]
    drawSaliency(images: images, labels: labels, scores: scores, saliency: saliency, in: nb)         // with labels and guesses
} else {
    nb.print("CIFAR-10 not found in ~/.cache/fovea: unpack it there (see the README), or run with --data DIR, to draw saliency maps of real images.")
}

/*:
 ## Summary

 - Backpropagation is the chain rule applied node by node, backwards: each node multiplies the
   upstream gradient by its local derivative, and gradients of shared values add up.
 - A linear layer's weight gradient is $dz^\top h$; max-pooling routes each window's gradient to its
   arg-max; ReLU multiplies by the mask $[z > 0]$; a convolution's weight gradient is the input
   correlated with the upstream gradient.
 - Hand formulas, autograd and finite differences agree. Finite differences are the independent
   referee, and they need a safe distance from kinks.
 - Gradients are pictures too: they show what the loss is sensitive to.

 ## Exercises

 1. Change $f$ to $(a\cdot a + c)\cdot\sigma(d)$. Now $a$ feeds the multiply twice. Predict
    $\partial f/\partial a$ (the two paths add) and check it with the engine.
 2. Give the stride-2 convolution of section 8 `dilation: 2` as well (its taps 2 pixels apart).
    Which index in the loops changes? Check your version against autograd as section 8 does.
 3. Replace max-pooling with `avgPool2d`. Its backward spreads each gradient evenly, $1/4$ to each
    position of the window. Write it and compare the pictures of section 11.
 4. Set `step` in `centralDifferences` to $10^{-2}$, $10^{-4}$ and $10^{-10}$. Why does the error grow
    in both directions?
 */
nb.finish()
