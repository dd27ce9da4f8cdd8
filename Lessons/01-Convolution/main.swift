/*:
 # 01 · Convolution

 A convolution layer slides a small grid of weights, a *filter*, over an image and writes one
 number for every place it stops: the sum of the weights times the pixels under them. That one
 operation is the building block of every network in this course.

 In this lesson you will:
 - compute one output of a 3×3 filter on a 5×5 image by hand, every multiply-add written out, then
   the whole output map, and check the engine's `conv2d` against it;
 - see what padding, stride and dilation do, and check the output-size formula on a dozen cases;
 - run classic hand-made filters (Sobel, blur, sharpen) over a picture and look at the feature maps;
 - go from one channel to many: RGB inputs, a bank of filters, shapes `[N, C, H, W] · [K, C, R, S]`;
 - build the im2col matrix that turns a convolution into one matrix product, and time the plain
   loops against the engine's fast path.

 Runs in about a second, full or `--quick`. Figures and this page go to `runs/lessons/01-convolution/` (or the folder `--out` names).
 With CIFAR-10 (`--data DIR`), it also filters a few real photos.
 The helpers that draw the figures and format the tables are in `Helpers.swift`, beside this
 `main.swift`, so that each cell shows just the idea.
 */
import Fovea
import FoveaData
import FoveaNotebook
import FoveaPlot

let nb = Notebook("01-convolution", title: "01 · Convolution")
var rng = SplitMix64(seed: nb.seed)

nb.cell("One output by hand")
/*:
 ## 1 · One output, by hand

 Put a 3×3 filter $w$ on top of a 5×5 image $x$ so that its top-left corner sits on pixel $(i, j)$.
 Multiply the nine pairs of numbers that lie on top of each other and add them up: that is output
 $y_{ij}$. Then slide the filter one pixel and do it again:

 $$y_{ij} = \sum_{u=0}^{2} \sum_{v=0}^{2} w_{uv}\, x_{i+u,\, j+v}$$

 (Strictly, this sum is a *cross-correlation*: a convolution in the mathematical sense flips the
 filter first, $y_{ij} = \sum_{u,v} w_{uv}\, x_{i-u,\, j-v}$. Deep-learning frameworks compute the
 cross-correlation and call it convolution; since the filter is learned, a flipped filter would
 simply be learned flipped.) Here are the image and filter of Dumoulin and Visin's *guide to convolution arithmetic*,
 and the sum for the output in row 1, column 2, written out term by term:
 */
let image: [[Float]] = [[3, 3, 2, 1, 0],
                        [0, 0, 1, 3, 1],
                        [3, 1, 2, 2, 3],
                        [2, 0, 0, 2, 2],
                        [2, 0, 0, 0, 1]]
let kernel: [[Float]] = [[0, 1, 2],
                         [2, 2, 0],
                         [0, 1, 2]]
let (row, col) = (1, 2)
var oneOutput: Float = 0
for u in 0..<3 {
    for v in 0..<3 { oneOutput += kernel[u][v] * image[row + u][col + v] }
}
let terms = multiplyAddTerms(kernel: kernel, image: image, row: row, col: col)   // "w·x + w·x + …"
nb.print("y[\(row), \(col)] = " + terms + " = \(Int(oneOutput))")

nb.cell("The whole map by hand")
/*:
 ## 2 · The whole output map, by hand

 The filter fits in $5 - 3 + 1 = 3$ places across and 3 down, so the output is 3×3. Four nested
 loops compute all of it: two over the output positions, two over the filter taps.
 */
let outSize = 5 - 3 + 1
var byHand = [[Float]](repeating: [Float](repeating: 0, count: outSize), count: outSize)
for i in 0..<outSize {
    for j in 0..<outSize {
        for u in 0..<3 {
            for v in 0..<3 {
                byHand[i][j] += kernel[u][v] * image[i + u][j + v]
            }
        }
    }
}
for line in byHand { nb.print(line.map { String(format: "%4.0f", $0) }.joined()) }

nb.cell("The engine's conv2d")
/*:
 ## 3 · The same map from the engine

 The engine works on *batches* of *multi-channel* images, so the image becomes a tensor of shape
 `[N, C, H, W] = [1, 1, 5, 5]` (one image, one channel) and the filter one of shape
 `[K, C, R, S] = [1, 1, 3, 3]` (one filter of one channel). `conv2d` must give the same nine numbers.
 */
let x = Tensor(shape: [1, 1, 5, 5], image.flatMap { $0 })
let w = Tensor(shape: [1, 1, 3, 3], kernel.flatMap { $0 })
let y = conv2d(x, weight: w)
nb.show(y, "conv2d(x, weight: w)", precision: 1)
let expected = Tensor(shape: [1, 1, 3, 3], byHand.flatMap { $0 })
nb.print("largest |conv2d − hand loops|: \((y - expected).abs().max().item())")
nb.check("conv2d equals the hand loops, all 9 outputs", actual: y, expected: expected, tolerance: 1e-5)
nb.check("y[0, 0, 1, 2] equals the sum written out in section 1", actual: y[0, 0, row, col], expected: oneOutput, tolerance: 1e-5)

nb.cell("Padding, stride and dilation")
/*:
 ## 4 · Padding, stride and dilation

 Three settings change where the filter stops and which pixels it reads:

 - **padding** $p$ surrounds the image with $p$ rings of zeros, so the filter can also be centred on
   border pixels. With a 3×3 filter, padding 1 keeps the size: 5×5 in, 5×5 out.
 - **stride** $s$ moves the filter $s$ pixels at a time; stride 2 keeps every second output of
   stride 1, in both directions, and so has about a quarter of the outputs.
 - **dilation** $d$ spreads the taps $d$ pixels apart: a 3×3 filter with dilation 2 covers a 5×5 area
   with its 9 taps, a wider view at no extra cost.
 */
let padded = conv2d(x, weight: w, padding: 1)
nb.show(padded, "padding 1", precision: 1)
let strided = conv2d(x, weight: w, stride: 2, padding: 1)
nb.show(strided, "padding 1, stride 2", precision: 1)
let everySecond = Tensor(shape: [1, 1, 3, 3], [0, 2, 4].flatMap { i in [0, 2, 4].map { j in Float(padded[0, 0, i, j]) } })
nb.check("stride 2 keeps outputs (0, 2, 4) × (0, 2, 4) of stride 1", actual: strided, expected: everySecond, tolerance: 1e-5)
let dilated = conv2d(x, weight: w, dilation: 2)
var dilatedByHand: Float = 0
for u in 0..<3 { for v in 0..<3 { dilatedByHand += kernel[u][v] * image[2 * u][2 * v] } }
nb.show(dilated, "dilation 2 (taps at rows and columns 0, 2, 4)", precision: 1)
nb.check("dilation 2 equals the sum over every second pixel", actual: dilated.item(), expected: dilatedByHand, tolerance: 1e-5)

nb.cell("Which pixels one output reads")
/*:
 ### Footprints

 The pixels that one output reads are its *footprint*. Drawn on a 9×9 input: the first three tiles
 are the footprint of output (0, 0) with dilation 1, 2 and 3; the last one counts how many of the
 two neighbouring outputs (0, 0) and (0, 1) read each pixel when the stride is 2: their windows
 share one column.
 */
let grid = 9
var footprints = [Float](repeating: 0, count: 4 * grid * grid)
for (tile, d) in [1, 2, 3].enumerated() {
    for u in 0..<3 { for v in 0..<3 { footprints[(tile * grid + u * d) * grid + v * d] = 1 } }
}
for j in 0..<2 {  // stride 2: output (0, j) starts at column 2·j
    for u in 0..<3 { for v in 0..<3 { footprints[(3 * grid + u) * grid + 2 * j + v] += 1 } }
}
drawFootprints(footprints, grid: grid, in: nb)

nb.cell("The output-size formula")
/*:
 ## 5 · The output size

 Padding adds $2p$ to the width; a dilated filter spans $d(k-1) + 1$ pixels; the first position is
 free and each further one costs $s$ pixels. So along each axis

 $$O = \left\lfloor \frac{H + 2p - d(k-1) - 1}{s} \right\rfloor + 1$$

 For the 5×5 image with $k = 3$, $p = 1$, $s = 2$: $\lfloor (5 + 2 - 2 - 1)/2 \rfloor + 1 = 3$, as
 above. When the division is not exact, the floor drops the last, incomplete step: the filter
 never hangs off the padded image. The table checks the formula against the shape that `conv2d`
 returns, on small cases and on the first layers of famous networks.
 */
func outputSize(_ h: Int, kernel k: Int, stride s: Int, padding p: Int, dilation d: Int) -> Int {
    (h + 2 * p - d * (k - 1) - 1) / s + 1   // integer division is the floor: the numerator is ≥ 0
}
var rows: [[String]] = []
var mismatches = 0
for c in OutputSizeCase.all {   // (H, k, s, p, d): the examples above, and first layers of famous networks
    let formula = outputSize(c.h, kernel: c.k, stride: c.s, padding: c.p, dilation: c.d)
    let out = conv2d(Tensor(zeros: [1, 1, c.h, c.h]), weight: Tensor(zeros: [1, 1, c.k, c.k]), stride: IntPair(c.s),
                     padding: IntPair(c.p), dilation: IntPair(c.d))
    if out.shape[2] != formula || out.shape[3] != formula { mismatches += 1 }
    rows.append(c.tableRow(formula: formula, shape: out.shape))
}
nb.table(headers: ["case", "formula", "conv2d output shape", "agree"], rows: rows)
nb.check("the formula gives conv2d's output size in all \(OutputSizeCase.all.count) cases (mismatches)",
         actual: Double(mismatches), expected: 0, tolerance: 0.5)

nb.cell("Classic kernels")
/*:
 ## 6 · Classic kernels on a picture

 Before networks learned their filters, people designed them. Four classics, each 3×3:

 - **Sobel x** `[−1 0 1; −2 0 2; −1 0 1]` subtracts the left column from the right one: large where
   brightness changes from left to right, that is, on *vertical* edges. Its sign tells the direction
   (dark → bright is positive). **Sobel y** is its transpose: horizontal edges.
 - **Blur** averages the 9 pixels (every weight 1/9).
 - **Sharpen** `[0 −1 0; −1 5 −1; 0 −1 0]` adds to each pixel 4 × its difference from the mean of
   its 4 neighbours: $y = x + 4\,(x - \bar x_{\text{4 neighbours}})$, which is $x$ minus the discrete
   Laplacian of the image. Edges, where a pixel differs from its neighbours, get steeper.

 The weights of the Sobel filters sum to 0, so on a flat patch they answer 0; blur and sharpen sum
 to 1, so they leave a flat patch as it is. We run all four at once, as a bank of K = 4 filters, over
 the grey version of a built-in picture. Without padding, a 3×3 filter trims one pixel on each side
 (66 → 64 by the formula of section 5), so we draw the picture at 66×66 and get 64×64 maps. Zero
 padding would keep the size, but it frames the picture in black, and the Sobel filters would light
 up along that frame.
 */
let size = 64                                                           // the size of the maps
let scene = Tensor(BuiltinImage.scene.render(size: size + 2))           // [3, 66, 66], values in 0…1
let grey = scene.mean(axes: [0], keepDims: true).reshaped([1, 1, size + 2, size + 2])
let sobelX: [Float] = [-1, 0, 1, -2, 0, 2, -1, 0, 1]
let sobelY: [Float] = [-1, -2, -1, 0, 0, 0, 1, 2, 1]
let blur = [Float](repeating: 1.0 / 9, count: 9)
let sharpen: [Float] = [0, -1, 0, -1, 5, -1, 0, -1, 0]
let classic = Tensor(shape: [4, 1, 3, 3], sobelX + sobelY + blur + sharpen)
let maps = conv2d(grey, weight: classic)[0]                              // [4, 64, 64]
nb.print("input \(grey.shape) · filters \(classic.shape) → feature maps \(maps.shape)")
let flat = conv2d(Tensor(repeating: 0.5, shape: [1, 1, 8, 8]), weight: classic)  // a flat grey patch
nb.check("on a flat patch of 0.5: Sobel x, Sobel y give 0; blur, sharpen give 0.5", actual: flat,
         expected: Tensor(shape: [1, 4, 6, 6], [0, 0, 0.5, 0.5].flatMap { [Float](repeating: $0, count: 36) }), tolerance: 1e-5)
drawScene(scene, in: nb)
drawClassicMaps(maps, grey: grey, in: nb)   // the Sobel maps; blur, sharpen and edge strength √(gx² + gy²)

nb.cell("Many channels, many filters")
/*:
 ## 7 · Many channels in, many filters out

 A colour image has C = 3 channels, so each filter has 3 slices, one per channel, and its output
 adds up all three: $y_{k,i,j} = b_k + \sum_{c} \sum_{u,v} w_{k,c,u,v}\, x_{c,\,i+u,\,j+v}$. A layer holds
 K such filters and writes K maps. With a batch of N images:

 | tensor | shape | here |
 | --- | --- | --- |
 | input $x$ | `[N, C, H, W]` | 2 images, 3 channels, 66×66 |
 | weight $w$ | `[K, C, R, S]` | 4 filters, 3 channels each, 3×3 |
 | output $y$ | `[N, K, OH, OW]` | 2 images, 4 maps, 64×64 |

 The C of the weight must equal the C of the input; K becomes the channel count of the output (and
 the C of the next layer). Our bank: Sobel x on all three channels (brightness edges), red minus
 green at the centre tap, blue minus the average of red and green (blurred), and Sobel y on red only.
 */
let centre: [Float] = [0, 0, 0, 0, 1, 0, 0, 0, 0]
let zero = [Float](repeating: 0, count: 9)
let bank: [[[Float]]] = [[scaled(sobelX, 1.0 / 3), scaled(sobelX, 1.0 / 3), scaled(sobelX, 1.0 / 3)],  // [K][C][9 taps]
                         [centre, scaled(centre, -1), zero],
                         [scaled(blur, -0.5), scaled(blur, -0.5), blur],
                         [sobelY, zero, zero]]
let weight = Tensor(shape: [4, 3, 3, 3], bank.flatMap { $0.flatMap { $0 } })
let batch = Tensor.concatenated([scene, Tensor(BuiltinImage.shapes.render(size: size + 2))]).reshaped([2, 3, size + 2, size + 2])
let features = conv2d(batch, weight: weight)
nb.print("x \(batch.shape) · w \(weight.shape) → y \(features.shape)")
nb.print("weights: K·C·R·S = \(weight.count); multiply-adds: N·K·OH·OW·C·R·S = \(2 * 4 * size * size * 3 * 3 * 3)")
var perChannel = Tensor(zeros: features.shape)   // Σ over c of one-channel convolutions
for c in 0..<3 { perChannel = perChannel + conv2d(batch.sliced(c..<(c + 1), axis: 1), weight: weight.sliced(c..<(c + 1), axis: 1)) }
nb.check("each output map is the sum over channels of one-channel convolutions", actual: features, expected: perChannel, tolerance: 1e-5)
drawFilterBank(weight, maps: features, in: nb)

nb.cell("im2col")
/*:
 ## 8 · im2col: a convolution as one matrix product

 The loops of section 2 compute many small dot products: the 9 filter weights with each 3×3 window.
 *im2col* ("image to columns") copies every window into a column of a matrix, one row per filter tap
 (channel $c$, row $u$, column $v$), one column per output position. Then all the dot products
 together are one matrix product, which fast libraries (BLAS) compute at close to the machine's peak:

 $$\underbrace{W}_{K \times CRS} \cdot \underbrace{\mathrm{im2col}(x)}_{CRS \times N\,OH\,OW} = \underbrace{Y}_{K \times N\,OH\,OW}$$

 For the 5×5 image of section 1, each of the 9 columns is one 3×3 window, read row by row:
 */
let cols = im2col(x, kernel: 3)
nb.print("im2col(x, kernel: 3): \(cols.shape)  (rows: taps x[i+u, j+v]; columns: output positions (i, j))")
let colRows = cols.rows
nb.table(headers: ["tap (u, v)"] + (0..<9).map { "(\($0 / 3), \($0 % 3))" },
         rows: (0..<9).map { t in ["(\(t / 3), \(t % 3))"] + colRows[t].map { String(Int($0)) } })
let product = matmul(w.reshaped([1, 9]), cols).reshaped([1, 1, 3, 3])
nb.show(product, "w.reshaped([1, 9]) · im2col, reshaped to [1, 1, 3, 3]", precision: 1)
nb.check("weights · im2col equals conv2d (the 5×5 example)", actual: product, expected: y, tolerance: 1e-5)
nb.figure("im2col.png", caption: "The im2col matrix of the 5×5 example: column (i, j) is the window under output (i, j).") { path in
    try Plot.image(cols, zoom: 24, title: "im2col: 9 taps × 9 positions", to: path)
}
nb.cell("im2col with channels")
/*:
 ### With channels and a batch

 The same works for the filter bank of section 7, with 3 channels: 27 rows (3 channels × 9 taps)
 and one column per output position of both images. The price is memory: every pixel is copied
 into up to 9 columns.
 */
let bankCols = im2col(batch, kernel: 3)                      // [C·R·S, N·OH·OW]
let bankProduct = matmul(weight.reshaped([4, 27]), bankCols)             // [K, N·OH·OW]
let asMaps = bankProduct.reshaped([4, 2, size, size]).permuted([1, 0, 2, 3])
nb.print("im2col \(bankCols.shape): \(bankCols.count) numbers, from an input of \(batch.count)"
         + String(format: " (%.1f×)", Double(bankCols.count) / Double(batch.count)))
nb.check("weights · im2col, reshaped, equals conv2d (the filter bank)", actual: asMaps, expected: features, tolerance: 1e-5)

nb.cell("Speed")
/*:
 ## 9 · Why the engine does it this way: speed

 `conv2dReference` is the formula as seven nested loops (batch, filter, output row and column,
 channel, tap row and column), like section 2. `conv2d` builds im2col and calls one matrix product
 per image. Same input for both: a batch of 3×32×32 images (CIFAR size) through 16 filters of 3×3 with
 padding 1, the first layer of a small network. (On CPUs with AVX-512 the engine runs such layers
 with a direct kernel that needs no im2col at all; lesson 10 compares the two. Here we time the
 im2col path, with `CPUBackend.withAVX512Kernels(false)`.)
 */
let n = nb.quick ? 2 : 8
let input = Tensor.uniform([n, 3, 32, 32], using: &rng)
let filters = Tensor.normal([16, 3, 3, 3], std: 0.2, using: &rng)
let multiplyAdds = Double(n * 16 * 32 * 32 * 3 * 3 * 3)
var slow = conv2dReference(input, weight: filters, padding: 1)           // a first run, untimed
var fast = CPUBackend.withAVX512Kernels(false) { conv2d(input, weight: filters, padding: 1) }
let (naiveRuns, repeats) = nb.quick ? (1, 10) : (5, 100)
let naiveSeconds = nb.measure("conv2dReference, nested loops, batch \(n), \(naiveRuns) runs") {
    for _ in 0..<naiveRuns { slow = conv2dReference(input, weight: filters, padding: 1) }
} / Double(naiveRuns)
let fastSeconds = nb.measure("conv2d, im2col + matrix product, batch \(n), \(repeats) runs") {
    CPUBackend.withAVX512Kernels(false) { for _ in 0..<repeats { fast = conv2d(input, weight: filters, padding: 1) } }
} / Double(repeats)
showSpeed(naiveSeconds: naiveSeconds, fastSeconds: fastSeconds, multiplyAdds: multiplyAdds, in: nb)   // table and speed-up
nb.check("the fast path equals the nested loops", actual: fast, expected: slow, tolerance: 1e-5)

nb.cell("Real photos")
/*:
 ## 10 · Real photos: CIFAR-10

 The same Sobel filters on a few photos of the CIFAR-10 test set (32×32 pixels each), turned grey
 by averaging their channels.
 */
if let folder = nb.load({ try CIFAR10.find(data: nb.dataDirectory) }) {
    let cifar = nb.load { try CIFAR10.load(file: folder + "/" + CIFAR10.testFile, limit: 8) }
    let (photos, labels) = cifar
    let names = labels.map { CIFAR10.classNames[$0] }
    let greyPhotos = photos.mean(axes: [1], keepDims: true)               // [8, 1, 32, 32]
    let edges = conv2d(greyPhotos, weight: classic.sliced(0..<2))         // [8, 2, 30, 30]
    nb.print("photos \(photos.shape) → grey \(greyPhotos.shape) → Sobel x and y \(edges.shape)")
    drawPhotos(photos, names: names, in: nb)
    drawPhotoEdges(edges, names: names, in: nb)
} else {
    nb.print("CIFAR-10 not found in ~/.cache/fovea: unpack it there (see the README), or run with --data DIR, to filter real photos here.")
}

nb.cell("Why convolution")
/*:
 ## 11 · Why convolution, and not a dense layer?

 A dense (fully connected) layer could also turn the 3×64×64 scene into 16 maps of 64×64: one weight
 for every pair of an input number and an output number. A convolution uses the same small filter
 at every position instead: **weight sharing**. The counts, from the shapes alone:
 */
let (inC, side, outK, r) = (3, 64, 16, 3)
let denseWeights = (inC * side * side) * (outK * side * side)                    // every input to every output
let convWeights = outK * inC * r * r + outK                                      // 16 filters of 3×3×3, and biases
let convMACs = outK * side * side * inC * r * r                                  // one filter per output, "same" padding
nb.table(headers: ["layer", "parameters", "multiply-adds per image"],
         rows: [["dense", "\(denseWeights)", "\(denseWeights)"], ["3×3 convolution", "\(convWeights)", "\(convMACs)"]])
/*:
 Sharing buys a second property. Shift the picture one pixel to the right and every feature map
 shifts one pixel to the right: the same filter meets the same pixels, one position later
 (**equivariance**). A dense layer promises nothing of the kind. Pooling then makes the result
 nearly **invariant**: a 4×4 max-pool mostly picks the same maximum whether or not its window
 moved by a pixel. We shift the grey scene, filter both versions with the four classic kernels, and
 compare; for the pooling, the two Sobel maps after ReLU, whose thin edges move most visibly.
 */
let shiftedScene = Tensor.concatenated([Tensor(zeros: [1, 1, side + 2, 1]), grey.sliced(0..<(side + 1), axis: 3)], axis: 3)
let original = conv2d(grey, weight: classic), moved = conv2d(shiftedScene, weight: classic)   // [1, 4, 64, 64]
nb.check("the maps of the shifted scene are the maps shifted by one pixel", actual: moved.sliced(1..<side, axis: 3),
         expected: original.sliced(0..<(side - 1), axis: 3), tolerance: 1e-5)
/// Mean |a − b| relative to mean |b|: how much a map changed.
func change(_ a: Tensor, _ b: Tensor) -> Double { (a - b).abs().mean().item() / b.abs().mean().item() }
// The two Sobel maps after ReLU, without the 4 columns at each side (the shift let in a black column on the left).
let (edges, movedEdges) = (relu(original.sliced(0..<2, axis: 1).sliced(4..<(side - 4), axis: 3)),
                           relu(moved.sliced(0..<2, axis: 1).sliced(4..<(side - 4), axis: 3)))
let rawChange = change(movedEdges, edges)
let pooledChange = change(maxPool2d(movedEdges, kernel: 4), maxPool2d(edges, kernel: 4))
nb.print(String(format: "relative change of the Sobel maps from a one-pixel shift: %.3f before pooling, %.3f after 4×4 max pooling", rawChange, pooledChange))
nb.check("4×4 max pooling shrinks the effect of a one-pixel shift", actual: pooledChange / rawChange, in: 0...0.75)

nb.cell("Summary")
/*:
 ## Summary

 - A convolution output is a weighted sum of a window: $y_{ij} = \sum_{u,v} w_{uv}\, x_{i+u,j+v}$;
   sliding the window gives a feature map. `conv2d` matched the hand loops to the last digit.
 - Padding, stride and dilation set the output size,
   $O = \lfloor (H + 2p - d(k-1) - 1)/s \rfloor + 1$, checked here against the engine in every case.
 - Hand-made filters already find structure: Sobel finds edges and their direction, blur and sharpen
   smooth and enhance. A network learns its own.
 - With channels and filters the shapes are `[N, C, H, W] · [K, C, R, S] → [N, K, OH, OW]`; each
   output map sums over all input channels.
 - im2col turns the convolution into one matrix product, many times faster than the loops, at the
   price of copying each pixel up to R·S times.
 - A convolution shares one small filter across all positions: hundreds of parameters where a dense
   layer would need hundreds of millions, and feature maps that shift when the picture shifts;
   pooling then makes the result nearly independent of small shifts.

 ## Exercises

 1. Compute output (2, 0) of section 1 by hand, then change `(row, col)` and let the code check you.
 2. Which padding keeps a 5×5 filter's output the same size as its input at stride 1? And with
    dilation 2? Add both to the table of section 5 (`OutputSizeCase.all`, in `Helpers.swift`).
 3. Flip the filter left-right and top-bottom and run `conv2d` again: now it computes the
    mathematicians' convolution. For which of the four classic kernels does the flip change nothing?
 4. Build a filter that finds diagonal edges and run it on `BuiltinImage.stripes`.
 5. Time the speed test with 64 filters instead of 16. Does the speed-up grow or shrink? Why?
 */
nb.finish()
