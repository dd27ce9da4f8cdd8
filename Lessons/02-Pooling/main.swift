/*:
 # 02 · Pooling

 A convolution with stride 1 and "same" padding (a 3×3 filter with padding 1) keeps the size of its
 input; without padding it trims a border (lesson 01), and with stride 2 it halves it. Pooling shrinks
 a map on purpose: it cuts each feature map
 into small windows and keeps one number per window, the largest (max pooling) or the mean
 (average pooling). The maps get smaller, so later layers see more of the picture for the same cost,
 and a feature that moves by a pixel often still lands in the same window.

 In this lesson you will:
 - pool a 6×6 map by hand, with explicit loops, and check `maxPool2d` and `avgPool2d` against it;
 - see overlapping windows (kernel 3, stride 2) and check the output-size formula;
 - watch what pooling does in the backward pass: max pooling sends each gradient to the window's
   largest input only (with a tie, to the first in row-major order, as PyTorch), average pooling
   spreads it evenly;
 - pool the feature maps of lesson 01 from 64×64 down to 8×8, and to a single number per map
   (global average pooling).

 Runs in about a second, full or `--quick`. Figures and this page go to `runs/lessons/02-pooling/` (or the folder `--out` names).
 With CIFAR-10 (`--data DIR`), it also pools a few real photos.
 The helpers that draw the figures and format the tables are in `Helpers.swift`, beside this
 `main.swift`, so that each cell shows just the idea.
 */
import Fovea
import FoveaData
import FoveaNotebook
import FoveaPlot

let nb = Notebook("02-pooling", title: "02 · Pooling")

nb.cell("Pooling by hand")
/*:
 ## 1 · Max and average pooling, by hand

 Cut a 6×6 map into 2×2 windows that do not overlap (kernel 2, stride 2): there are 3 × 3 of them.
 Max pooling keeps the largest of each window's 4 numbers, average pooling their mean:

 $$y^{\max}_{ij} = \max_{0 \le u,v < 2} x_{2i+u,\,2j+v} \qquad y^{\mathrm{avg}}_{ij} = \frac{1}{4} \sum_{0 \le u,v < 2} x_{2i+u,\,2j+v}$$

 The function below does it for any square kernel $k$ and stride $s$, with the same loops as the
 convolution of lesson 01: two over the output positions, two over the window.
 */
let map: [[Float]] = [[1, 3, 2, 1, 0, 4],
                      [4, 6, 5, 0, 2, 2],
                      [3, 1, 1, 2, 7, 3],
                      [0, 2, 4, 8, 1, 5],
                      [2, 9, 6, 6, 0, 1],
                      [5, 3, 1, 6, 3, 2]]
func windows(_ x: [[Float]], kernel k: Int, stride s: Int) -> [[[Float]]] {   // [i][j] → the k·k values
    let out = (x.count - k) / s + 1
    return (0..<out).map { i in (0..<out).map { j in                          // for each output position (i, j):
        (0..<k).flatMap { u in (0..<k).map { v in x[i * s + u][j * s + v] } }   // its window, row by row
    } }
}
let windows2 = windows(map, kernel: 2, stride: 2)
let maxByHand = windows2.map { $0.map { $0.max()! } }
let avgByHand = windows2.map { $0.map { $0.reduce(0, +) / Float($0.count) } }
nb.table(headers: ["window (i, j)", "values", "max", "mean"], rows: windowRows(windows2, max: maxByHand, mean: avgByHand))

nb.cell("The engine's pooling")
/*:
 ## 2 · The same from the engine

 `maxPool2d` and `avgPool2d` take `[N, C, H, W]` and pool every channel of every image on its own,
 so the number of channels does not change: `[1, 1, 6, 6]` becomes `[1, 1, 3, 3]`. The stride
 defaults to the kernel size, as in PyTorch.
 */
let x = Tensor(shape: [1, 1, 6, 6], map.flatMap { $0 })
let maxPooled = maxPool2d(x, kernel: 2)
let avgPooled = avgPool2d(x, kernel: 2)
nb.show(maxPooled, "maxPool2d(x, kernel: 2)", precision: 0)
nb.show(avgPooled, "avgPool2d(x, kernel: 2)", precision: 2)
nb.check("maxPool2d equals the hand loops", actual: maxPooled, expected: Tensor(shape: [1, 1, 3, 3], maxByHand.flatMap { $0 }), tolerance: 1e-5)
nb.check("avgPool2d equals the hand loops", actual: avgPooled, expected: Tensor(shape: [1, 1, 3, 3], avgByHand.flatMap { $0 }), tolerance: 1e-5)

nb.cell("Overlapping windows")
/*:
 ## 3 · Overlapping windows and the output size

 The stride may be smaller than the kernel; then neighbouring windows share pixels. AlexNet pooled
 with kernel 3 and stride 2, and ResNet still does, right after its first convolution. The output
 size follows the convolution formula of lesson 01 without dilation:

 $$O = \left\lfloor \frac{H + 2p - k}{s} \right\rfloor + 1$$

 On our 6×6 map, kernel 3 and stride 2 give $\lfloor (6 - 3)/2 \rfloor + 1 = 2$: the windows start at
 rows 0 and 2, and the last row and column are never read, because a third window would hang off
 the map. Padding 1 fixes that: $\lfloor (6 + 2 - 3)/2 \rfloor + 1 = 3$. Max pooling's padding never
 wins (it acts as −∞); average pooling counts it as zeros in the divisor $k^2$ (PyTorch's default).
 */
let windows3 = windows(map, kernel: 3, stride: 2)
let overlapByHand = windows3.map { $0.map { $0.max()! } }
let overlap = maxPool2d(x, kernel: 3, stride: 2)
nb.show(overlap, "maxPool2d(x, kernel: 3, stride: 2)", precision: 0)
nb.check("overlapping max pooling equals the hand loops", actual: overlap,
         expected: Tensor(shape: [1, 1, 2, 2], overlapByHand.flatMap { $0 }), tolerance: 1e-5)
let paddedAvg = avgPool2d(x, kernel: 3, stride: 2, padding: 1)
nb.show(paddedAvg, "avgPool2d(x, kernel: 3, stride: 2, padding: 1)", precision: 3)
let cornerByHand = (map[0][0] + map[0][1] + map[1][0] + map[1][1]) / 9   // 4 real pixels, 5 zeros of padding
nb.check("the padded corner window averages 4 pixels over 9", actual: paddedAvg[0, 0, 0, 0], expected: cornerByHand, tolerance: 1e-5)
let negative = maxPool2d(Tensor(zeros: [1, 1, 6, 6]) - x - 1, kernel: 3, stride: 2, padding: 1)
nb.check("max pooling's padding never wins: on an all-negative map the corner is max(−2, −4, −5, −7)",
         actual: negative[0, 0, 0, 0], expected: -2, tolerance: 1e-5)

nb.cell("The output-size formula")
/*:
 ### The formula, checked

 The formula against the shape `maxPool2d` returns, on our map and on the pooling layers of famous
 networks:
 */
var rows: [[String]] = []
var mismatches = 0
for c in PoolSizeCase.all {   // (H, k, s, p): the examples above, and the pooling layers of famous networks
    let formula = (c.h + 2 * c.p - c.k) / c.s + 1   // integer division is the floor: the numerator is ≥ 0
    let out = maxPool2d(Tensor(zeros: [1, 1, c.h, c.h]), kernel: IntPair(c.k), stride: IntPair(c.s), padding: IntPair(c.p))
    let agree = out.shape[2] == formula && out.shape[3] == formula
    if !agree { mismatches += 1 }
    rows.append(c.tableRow(formula: formula, shape: out.shape, agree: agree))
}
nb.table(headers: ["case", "formula", "maxPool2d output shape", "agree"], rows: rows)
nb.check("the formula gives maxPool2d's output size in all \(PoolSizeCase.all.count) cases (mismatches)",
         actual: Double(mismatches), expected: 0, tolerance: 0.5)

nb.cell("Max pooling backward")
/*:
 ## 4 · Backward through max pooling: the gradient goes to the arg-max

 Inside one window, $y = \max(x_1, \dots, x_4)$ moves only when the largest $x$ moves: nudge the
 winner by $\varepsilon$ and $y$ moves by $\varepsilon$; nudge any other and nothing happens. So
 $\partial y / \partial x$ is 1 for the winner and 0 for the rest, and backward routes each
 incoming gradient to its window's arg-max. The other three pixels get nothing.

 Let autograd do it (lesson 03 explains how): mark $x$ as needing a gradient, pool, and call
 `backward` with a gradient for each output. We pick 1, 2, …, 9, one different number per window,
 so that you can see where each one lands.
 */
let input = Tensor(shape: [1, 1, 6, 6], map.flatMap { $0 }, requiresGrad: true)
let pooled = maxPool2d(input, kernel: 2)
let dOut = Tensor(shape: [1, 1, 3, 3], (1...9).map(Float.init))
pooled.backward(dOut)
nb.show(input.grad!, "input.grad", precision: 0)
var expectedGrad = [Float](repeating: 0, count: 36)   // by hand: each window's first maximum gets its dOut
for i in 0..<3 {
    for j in 0..<3 {
        var best = (2 * i, 2 * j)                     // strict >: a later tie does not take over
        for u in 0..<2 { for v in 0..<2 where map[2 * i + u][2 * j + v] > map[best.0][best.1] { best = (2 * i + u, 2 * j + v) } }
        expectedGrad[best.0 * 6 + best.1] = Float(dOut[0, 0, i, j])
    }
}
nb.check("autograd's gradient equals the hand-routed one", actual: input.grad!, expected: Tensor(shape: [1, 1, 6, 6], expectedGrad), tolerance: 1e-6)
nb.check("… and the engine's plain-loop reference", actual: input.grad!, expected: maxPool2dReference(input.detached(), kernel: 2, dOut: dOut).dInput!, tolerance: 1e-6)

nb.cell("A tie")
/*:
 ### A tie

 Window (2, 1) holds 6, 6, 1, 6: three pixels share the maximum. The maximum's value is the same
 whichever we pick, but the gradient must go somewhere. PyTorch's rule, which the engine follows:
 **the first maximum in row-major order** (reading the window left to right, top to bottom) gets
 all of it. Here that is pixel (4, 2); (4, 3) and (5, 3) get nothing.
 */
let grad = input.grad!
nb.print("window (2, 1): x[4, 2] = \(Int(input[0, 0, 4, 2])), x[4, 3] = \(Int(input[0, 0, 4, 3])), "
         + "x[5, 2] = \(Int(input[0, 0, 5, 2])), x[5, 3] = \(Int(input[0, 0, 5, 3]))")
nb.print("gradients:     \(Int(grad[0, 0, 4, 2])), \(Int(grad[0, 0, 4, 3])), \(Int(grad[0, 0, 5, 2])), \(Int(grad[0, 0, 5, 3]))")
nb.check("the first maximum, (4, 2), gets the window's whole gradient", actual: grad[0, 0, 4, 2], expected: dOut[0, 0, 2, 1], tolerance: 1e-6)
nb.check("the tied maxima (4, 3) and (5, 3) get nothing", actual: abs(grad[0, 0, 4, 3]) + abs(grad[0, 0, 5, 3]), expected: 0, tolerance: 1e-6)
drawMaxBackward(input: input, pooled: pooled, grad: grad, in: nb)

nb.cell("Overlapping windows backward")
/*:
 ### Overlapping windows add up

 With kernel 3, stride 2 and padding 1 the windows overlap, and one pixel can be the maximum of
 several windows. Its gradient is then the sum of theirs. With a gradient of 1 for every output,
 `input.grad` counts how many windows each pixel won; the counts add up to the number of windows.
 */
input.zeroGrad()
let overlapping = maxPool2d(input, kernel: 3, stride: 2, padding: 1)
overlapping.backward(Tensor(repeating: 1, shape: overlapping.shape))
nb.show(input.grad!, "input.grad (windows won)", precision: 0)
nb.print("windows: \(overlapping.count), wins: \(Int(input.grad!.sum().item()))")
let overlapReference = maxPool2dReference(input.detached(), kernel: 3, stride: 2, padding: 1,
                                          dOut: Tensor(repeating: 1, shape: overlapping.shape))
nb.check("overlapping windows: autograd equals the plain-loop reference", actual: input.grad!, expected: overlapReference.dInput!, tolerance: 1e-6)

nb.cell("Average pooling backward")
/*:
 ## 5 · Backward through average pooling: spread evenly

 An average of 4 numbers moves by $\varepsilon/4$ when any one of them moves by $\varepsilon$, so
 $\partial y / \partial x = 1/4$ for every pixel of the window: each pixel gets a quarter of its
 window's gradient, winner or not.
 */
input.zeroGrad()
let averaged = avgPool2d(input, kernel: 2)
averaged.backward(dOut)
nb.show(input.grad!, "input.grad", precision: 2)
let spread = (0..<36).map { n in Float(dOut[0, 0, n / 6 / 2, n % 6 / 2]) / 4 }   // pixel (r, c) gets dOut[r/2, c/2] / 4
nb.check("average pooling gives each pixel a quarter of its window's gradient", actual: input.grad!,
         expected: Tensor(shape: [1, 1, 6, 6], spread), tolerance: 1e-6)
drawAverageBackward(input: input, pooled: averaged, grad: input.grad!, in: nb)

nb.cell("Pooling feature maps")
/*:
 ## 6 · Pooling real feature maps, stage by stage

 Back to lesson 01's picture and its four classic filters (Sobel x, Sobel y, blur, sharpen), drawn
 at 66×66 so that the filters, without padding, give 64×64 maps. A CNN applies a ReLU after the
 convolution and then pools, so we do the same: ReLU keeps the positive half of each Sobel map
 (brightness rising to the right, or downwards). Then three 2×2 max-pools: 64 → 32 → 16 → 8.
 */
let size = 64
let scene = Tensor(BuiltinImage.scene.render(size: size + 2))                    // [3, 66, 66]
let grey = scene.mean(axes: [0], keepDims: true).reshaped([1, 1, size + 2, size + 2])
let sobelX: [Float] = [-1, 0, 1, -2, 0, 2, -1, 0, 1]
let sobelY: [Float] = [-1, -2, -1, 0, 0, 0, 1, 2, 1]
let blur = [Float](repeating: 1.0 / 9, count: 9)
let sharpen: [Float] = [0, -1, 0, -1, 5, -1, 0, -1, 0]
let features = relu(conv2d(grey, weight: Tensor(shape: [4, 1, 3, 3], sobelX + sobelY + blur + sharpen)))  // [1, 4, 64, 64]
var stages = [features]
for _ in 0..<3 { stages.append(maxPool2d(stages.last!, kernel: 2)) }
nb.print(stages.map { "\($0.shape)" }.joined(separator: " → "))
let mapNames = ["Sobel x", "Sobel y", "blur", "sharpen"]
drawPoolingStages(stages, names: mapNames, in: nb)
nb.check("two 2×2 max-pools equal one 4×4 max-pool", actual: stages[2], expected: maxPool2d(features, kernel: 4), tolerance: 1e-6)

nb.cell("Max versus average")
/*:
 ### Max versus average

 Max pooling keeps a thin edge at full strength wherever it falls in the window; average pooling
 dilutes it with the flat pixels around it. So max pooling raises the mean activation at every stage,
 while average pooling keeps it (every pixel counts once, with weight $1/k^2$), up to rounding: the
 check compares the means in Float64.
 */
var averages = [features]
for _ in 0..<3 { averages.append(avgPool2d(averages.last!, kernel: 2)) }
nb.table(headers: ["size", "mean after max pooling", "mean after average pooling"], rows: zip(stages, averages).map { m, a in
    ["\(m.shape[2])×\(m.shape[3])", String(format: "%.4f", m.mean().item()), String(format: "%.4f", a.mean().item())]
})
let meanBefore = features.converted(to: .float64).mean().item(), meanAfter = averages[3].converted(to: .float64).mean().item()
nb.check("average pooling keeps the mean (64×64 → 8×8)", actual: meanAfter, expected: meanBefore, tolerance: 1e-6)
drawMaxVersusAverage(maxPooled: stages[3], averaged: averages[3], names: mapNames, in: nb)

nb.cell("Global average pooling")
/*:
 ## 7 · Global average pooling

 Pool with one window as large as the whole map and each channel becomes a single number, its mean.
 That is *global average pooling*, `adaptiveAvgPool2d(x, outputSize: 1)`: ResNet ends with it, so
 the classifier after it sees one number per channel, whatever the size of the input image. Here:
 the four maps of section 6, and the same maps of the picture drawn twice as large.

 Look at the ratio column: blur and sharpen average about the same at both sizes, the edge maps
 much less at 128 pixels. An edge stays about one pixel wide when the picture doubles, so edge
 pixels become a smaller share of it.
 */
let gap = adaptiveAvgPool2d(features, outputSize: 1)                          // [1, 4, 1, 1]
nb.check("global average pooling is the mean over H and W", actual: gap.reshaped([4]), expected: features.mean(axes: [2, 3]).reshaped([4]), tolerance: 1e-5)
let large = Tensor(BuiltinImage.scene.render(size: 2 * size + 2)).mean(axes: [0], keepDims: true).reshaped([1, 1, 2 * size + 2, 2 * size + 2])
let largeFeatures = relu(conv2d(large, weight: Tensor(shape: [4, 1, 3, 3], sobelX + sobelY + blur + sharpen)))
let largeGap = adaptiveAvgPool2d(largeFeatures, outputSize: 1)
nb.print("adaptiveAvgPool2d: \(features.shape) → \(gap.shape);  \(largeFeatures.shape) → \(largeGap.shape)")
nb.table(headers: ["map", "64×64", "128×128", "ratio"], rows: (0..<4).map { m in
    [mapNames[m], String(format: "%.4f", gap[0, m, 0, 0]), String(format: "%.4f", largeGap[0, m, 0, 0]),
     String(format: "%.2f", largeGap[0, m, 0, 0] / gap[0, m, 0, 0])]
})
nb.figure("global-average.png", caption: "One number per feature map: the global average of each map, for the picture at 64 and at 128 pixels.") { path in
    try Plot.barChart(values: zip(gap.doubles, largeGap.doubles).flatMap { [$0, $1] },
                      labels: mapNames.flatMap { ["\($0) · 64", "\($0) · 128"] }, title: "Global average pooling",
                      highlight: -1, to: path)   // -1: no bar stands out
}

nb.cell("Real photos")
/*:
 ## 8 · Real photos: CIFAR-10

 Pooling works on any channels, colour channels included: average pooling an RGB photo shrinks it
 (each new pixel is the mean of a block); max pooling keeps the largest red, green and blue value of
 each block separately, so bright details spread and the picture gets lighter. Four CIFAR-10
 test images at 32×32, average-pooled to 16×16 and 8×8, and max-pooled to 8×8, drawn at one size.
 */
if let folder = nb.load({ try CIFAR10.find(data: nb.dataDirectory) }) {
    let cifar = nb.load { try CIFAR10.load(file: folder + "/" + CIFAR10.testFile, limit: 4) }
    let (photos, labels) = cifar                                            // [4, 3, 32, 32]
    let versions = [photos, enlarged(avgPool2d(photos, kernel: 2), by: 2), enlarged(avgPool2d(photos, kernel: 4), by: 4),
                    enlarged(maxPool2d(photos, kernel: 4), by: 4)]                  // each enlarged back to 32×32 for the figure
    nb.print("photos \(photos.shape) → avg \(avgPool2d(photos, kernel: 2).shape), \(avgPool2d(photos, kernel: 4).shape)")
    drawPooledPhotos(versions, labels: labels, in: nb)
} else {
    nb.print("CIFAR-10 not found in ~/.cache/fovea: unpack it there (see the README), or run with --data DIR, to pool real photos here.")
}

nb.cell("Receptive fields")
/*:
 ## 9 · Receptive fields: how much of the picture one output sees

 A 3×3 convolution's output sees 3×3 input pixels. Stack a second 3×3 convolution on it and each of
 its outputs sees 3×3 outputs of the first, which together see 5×5 pixels. A 2×2 pooling with stride
 2 doubles the step between neighbouring outputs, so every later layer widens the view twice as
 fast. With $j$ the step (in input pixels) between neighbouring outputs of the layer below:

 $$r \leftarrow r + (k - 1)\, j, \qquad j \leftarrow j \cdot s.$$

 We check the rule with autograd: the gradient of one central output with respect to the input is
 non-zero exactly on the pixels that output reads. (All-ones filters keep every path positive; average
 pooling stands in for max pooling, which has the same windows but sends its gradient to one pixel.)
 */
let stack: [(name: String, k: Int, stride: Int)] = [("conv 3×3", 3, 1), ("conv 3×3", 3, 1), ("pool 2×2", 2, 2),
                                                    ("conv 3×3", 3, 1), ("conv 3×3", 3, 1), ("pool 2×2", 2, 2), ("conv 3×3", 3, 1)]
var (field, jump, predicted) = (1, 1, [Int]())
for layer in stack { field += (layer.k - 1) * jump; jump *= layer.stride; predicted.append(field) }
let fields = (1...stack.count).map { depth in                                     // the first `depth` layers
    let probe = Tensor(zeros: [1, 1, size, size], requiresGrad: true)
    let h = throughAllOnesLayers(probe, stack.prefix(depth))                        // all-ones 3×3 convolutions, 2×2 average pools
    h[0][0][h.shape[2] / 2][h.shape[3] / 2].backward()                                // one central output
    return pixelsRead(gradient: probe.grad!)                                          // where its gradient is not 0
}
let measured = fields.map(\.side)
showReceptiveFieldTable(names: stack.map(\.name), predicted: predicted, measured: measured, in: nb)
nb.check("the receptive-field rule matches autograd at every layer", actual: Double(zip(predicted, measured).filter { $0 != $1 }.count),
         expected: 0, tolerance: 0.5)
drawReceptiveFields(grey: grey, masks: fields.map(\.mask), measured: measured, in: nb)

nb.cell("Summary")
/*:
 ## Summary

 - Pooling keeps one number per window: the maximum or the mean. It works on each channel on its
   own, has no weights to learn, and shrinks the maps by the stride.
 - Its output size is $O = \lfloor (H + 2p - k)/s \rfloor + 1$, the convolution formula without
   dilation; with overlapping windows ($s < k$) pixels are shared, and the floor may leave the last
   rows unread.
 - Backward, max pooling routes each gradient to its window's arg-max (on a tie: the first maximum in
   row-major order, as PyTorch); overlapping windows add up. Average pooling spreads it as $1/k^2$.
 - Max pooling keeps strong, thin responses; average pooling keeps the mean. Global average
   pooling turns every map into one number, whatever the input size.
 - Each layer widens what one output sees, by $(k - 1)$ times the step between its inputs, and
   pooling doubles that step: seven small layers already see 24×24 pixels.

 ## Exercises

 1. Change `map` so that window (0, 0) has a tie, and predict `input.grad` before you run the lesson.
 2. What does max pooling's backward give a window whose four pixels are all equal? Check it.
 3. Pool the 6×6 map with kernel 2 and stride 1. How large is the output, and how many windows does
    each pixel belong to?
 4. Replace the ReLU of section 6 with `abs()`. Which edges appear in the pooled Sobel maps now?
 5. Why does average pooling keep the mean exactly here, but not with padding, or with a map of
    odd size?
 */
nb.finish()
