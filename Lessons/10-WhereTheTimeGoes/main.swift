/*:
 # 10 · Where the time goes

 Lessons 07 and 08 trained real networks for minutes and hours. This lesson takes the systems view
 of the same networks: where a forward pass spends its time, how close each convolution gets to what
 the machine can do, why im2col costs memory, and what a training step keeps in memory. You will:

 - profile ResNet-20 layer by layer: parameters, multiply-adds, output memory and measured time;
 - measure this machine's matrix-product peak, and the convolutions through im2col and directly;
 - count what im2col would cost for a whole batch, and what the engine actually allocates;
 - watch the resident memory of a training step, and compare it with the activations it keeps;
 - train on one thread and on two: the same numbers, in different times;
 - see which of airbench94's tricks buy its accuracy, from runs with each one switched off.

 Every number in sections 1–5 is measured on the machine that runs the lesson; section 6 reads
 committed training runs (their machine is stated). Runtime: a few seconds.
 Figures and this page go to `runs/lessons/10-where-the-time-goes/` (or the folder `--out` names);
 the helpers that parse the profile and draw the figures are in `Helpers.swift` beside `main.swift`,
 so each cell shows the idea.
 */
import Foundation
import Fovea
import FoveaModels
import FoveaNotebook
import FoveaPlot

let nb = Notebook("10-where-the-time-goes", title: "10 · Where the time goes")
let batch = nb.quick ? 16 : 128
nb.print("batch \(batch), \(CPUBackend.shared.name)")

nb.cell("Layer by layer")
/*:
 ## 1 · Layer by layer

 `summary(inputShape:profile:)` runs the model once to list each layer's output, parameters,
 multiply-adds and output memory, then runs it again several times and reports each row's median
 time (from the previous row's output to this one's; a residual block's own row holds its addition
 and ReLU). ResNet-20 in evaluation mode, on a batch of zeros (the arithmetic does not care):
 */
var rng = SplitMix64(seed: nb.seed)
let resnet = nb.load { try ModelCatalog.make(ModelSpec(name: "resnet20"), using: &rng) }
let table = resnet.summary(inputShape: [batch, 3, 32, 32], profile: nb.quick ? 3 : 10)
nb.print(summaryHead(table, count: 14))
let shares = timeShares(table, types: ["Conv2d", "BatchNorm2d", "BasicBlock", "Linear", "AdaptiveAvgPool2d"])
nb.table(headers: ["layer type", "share of the forward time"], rows: shares.map { [$0.type, String(format: "%.1f %%", 100 * $0.share)] })
nb.check("the convolutions take most of the forward pass", actual: shares[0].share, in: 0.5...1)
drawTimeShares(shares, batch: batch, in: nb)
/*:
 The convolutions hold all but a few of the 40.5 million multiply-adds per image and most of the
 time. Batch norm does almost no arithmetic but still reads and writes every activation; the
 residual blocks' own rows (the addition and the ReLU) are pure memory traffic too.
 */

nb.cell("The machine's peak")
/*:
 ## 2 · The machine's peak, and two ways to convolve

 Lesson 01 computed a convolution as an im2col copy followed by one matrix product, so the fastest
 that path can run is the speed of a large matrix product: we measure that first, $2n^3$
 floating-point operations for $n \times n$ matrices. Then three convolution shapes of ResNet-20,
 forward, each counted as $2 \cdot$multiply-adds, once through im2col + matrix product and once
 the way the engine runs them by default:
 */
let n = nb.quick ? 512 : 1024
let a = Tensor.normal([n, n], using: &rng), b = Tensor.normal([n, n], using: &rng)
let peak = 2 * pow(Double(n), 3) / seconds(5) { _ = matmul(a, b) } / 1e9
nb.print(String(format: "matrix product %d×%d: %.0f GFLOP/s (OpenBLAS kernel %@)", n, n, peak, CPUBackend.shared.blasKernel))
let convolutions = [(16, 32), (32, 16), (64, 8)].map { (channels, side) in
    let conv = Conv2d(channels, channels, kernelSize: 3, padding: 1, bias: false, using: &rng)
    let x = Tensor.normal([batch, channels, side, side], using: &rng)
    let flop = 2.0 * Double(batch * channels * side * side * channels * 9)
    let im2col = CPUBackend.withAVX512Kernels(false) { flop / seconds(5) { _ = noGrad { conv(x) } } / 1e9 }
    return ConvolutionSpeed(name: "\(channels)→\(channels), \(side)×\(side)", im2col: im2col,
                            engine: flop / seconds(5) { _ = noGrad { conv(x) } } / 1e9)
}
nb.table(headers: ["3×3 convolution", "im2col + product, GFLOP/s", "of the product's peak", "engine default, GFLOP/s"],
         rows: convolutions.map { [$0.name, String(format: "%.0f", $0.im2col), String(format: "%.0f %%", 100 * $0.im2col / peak),
                                   String(format: "%.0f", $0.engine)] })
drawSpeeds(peak: peak, size: n, convolutions: convolutions, in: nb)
nb.check("im2col + product runs every convolution at a measurable share of the peak",
         actual: convolutions.map(\.im2col).min()! / peak, in: 0.05...1.5)
/*:
 Through im2col, small layers reach a smaller share: with 16 channels each product is only 16 rows
 tall, and the copies around it (im2col, packing the matrices for the product, writing the output
 back) take as long as the arithmetic.
 */
nb.print(CPUBackend.avx512KernelsEnabled
    ? "This CPU has AVX-512: the engine runs these shapes with its direct 3×3 kernels."
    : "This CPU has no AVX-512 (or FOVEA_AVX512=0): the engine runs these shapes through im2col too.")
if CPUBackend.avx512KernelsEnabled {
    nb.check("the direct kernels beat im2col + product on the smallest-channel shape",
             actual: convolutions[0].engine / convolutions[0].im2col, in: 1...100)
}
/*:
 On a CPU with AVX-512 the engine skips the column matrix for convolutions with stride 1
 (`Sources/CKernels`; the backward pass too for 3×3 filters) and for ResNet's 3×3 convolutions with
 stride 2 (there, lane shuffles split each input row into its even and odd pixels): it keeps 8 output channels × 48
 positions of the output in 24 of the CPU's 32 vector registers, loads each 16-pixel piece of the
 input once, straight from the image, and multiplies it by the 8 weights that need it. Where a
 filter tap falls outside the image, a masked load reads zeros, so no padded copy is made either.
 Nothing is copied, so the small layers gain the most. Such a kernel can even pass the matrix
 product's measured peak: that peak belongs to OpenBLAS's kernel (the name printed above), and a
 machine set up for OpenBLAS's AVX2 kernel measures half of what its AVX-512 units can do.
 */

nb.cell("What im2col costs")
/*:
 ## 3 · What im2col costs in memory

 im2col copies every input pixel once for each filter position that reads it: $R \cdot S = 9$ times
 for a 3×3 filter. For the first stage of ResNet-20 and the whole batch:
 */
let (c, side) = (16, 32)
let inputBytes = batch * c * side * side * 4
let columnBytes = (c * 9) * (batch * side * side) * 4
let groupBytes = (c * 9) * 1024 * 4            // what the engine builds at a time: about 512–1024 columns
nb.table(headers: ["", "bytes"], rows: [["input, [\(batch), 16, 32, 32]", "\(inputBytes)"],
                                      ["columns for the whole batch, [144, \(batch)·1024]", "\(columnBytes)"],
                                      ["columns of one image, as the engine builds them", "\(groupBytes)"]])
nb.check("whole-batch columns are 9 × the input", actual: Double(columnBytes) / Double(inputBytes), expected: 9, tolerance: 1e-9)
/*:
 So the engine never builds the whole matrix: each thread builds the columns of one image (or a
 few small ones) in a buffer that stays in cache, multiplies, and moves on. The direct kernels of
 section 2 build no columns at all (for the weight gradient they rearrange a cache-sized run of
 images instead); im2col remains for the input gradient of strided convolutions and of filters
 other than 3×3, and on CPUs without AVX-512.
 */

nb.cell("Memory over a training step")
/*:
 ## 4 · Memory over a training step

 A training step keeps, for backward, the activations each op needs (lesson 03): the input of each
 convolution, the input of each batch norm, the output of each ReLU. We read the process's resident
 memory (Linux: `/proc/self/statm`) before the first step and after a few, and compare the growth
 with the summary's total output memory.
 */
let trainee = nb.load { try ModelCatalog.make(ModelSpec(name: "resnet20"), using: &rng) }
let images = Tensor.normal([batch, 3, 32, 32], using: &rng), labels = Tensor(shape: [batch], int64: (0..<batch).map { Int64($0 % 10) })
let optimizer = SGD(named: trainee.namedParameters(), learningRate: 0.1, momentum: 0.9)
let before = residentMB()
for _ in 0..<3 {
    optimizer.zeroGrad(); softmaxCrossEntropy(trainee(images), labels: labels).backward(); optimizer.step()
}
let grown = residentMB() - before
let outputs = outputMegabytes(table)
nb.print(String(format: "resident memory grew by %.0f MB over 3 steps; the layers' outputs add up to %.1f MB", grown, outputs))
nb.check("training keeps about as much as the activations, not many times more", actual: grown / outputs, in: 0.3...4)
/*:
 The growth is of the same size as the activations: what backward needs, plus gradients and a
 little scratch. The engine frees each activation as soon as backward has used it, and reuses the
 freed blocks for the next step instead of asking the system again.
 */

nb.cell("One thread or two")
/*:
 ## 5 · One thread or two

 The engine splits each loop and each matrix product into pieces and hands them to its threads;
 `CPUBackend.withThreads(_:_:)` sets how many for the code inside it. The pieces are cut by the
 shape of the work, never by the thread count, and each partial sum is added in the same order,
 so the *numbers* cannot depend on the threads, only the time. We train two copies of ResNet-20
 from the same seed for a few steps, one on each setting, and compare both.
 */
let settings = [1, CPUBackend.shared.threads > 1 ? CPUBackend.shared.threads : 2]
let runs = settings.map { threads in
    CPUBackend.withThreads(threads) { timedTrainingSteps(model: "resnet20", seed: nb.seed, batch: batch, steps: nb.quick ? 2 : 4) }
}
nb.table(headers: ["threads", "ms per step", "images/s", "loss after the last step"], rows: zip(settings, runs).map { threads, run in
    [String(threads), String(format: "%.0f", 1000 * run.secondsPerStep), String(format: "%.0f", Double(batch) / run.secondsPerStep),
     String(format: "%.9f", run.losses.last!)]
})
nb.print(String(format: "speed-up with %d threads: %.2f×", settings[1], runs[0].secondsPerStep / runs[1].secondsPerStep))
nb.check("the losses are bit-identical on 1 and \(settings[1]) threads", actual: runs[0].losses == runs[1].losses ? 1 : 0, in: 1...1)
/*:
 The losses agree to the last bit. The speed-up falls short of the thread count: some work (the
 optimizer step, small layers, the hand-over between threads) does not split, and two threads share
 one memory bus. On a machine where the OS gives the process fewer cores than it asks for, more
 threads can even be slower: measure before you choose.
 */

nb.cell("Why the fast recipe is fast")
/*:
 ## 6 · Why the fast recipe is fast

 airbench94 (Jordan 2024) reaches 94 % on CIFAR-10 in about 20 minutes here, where ResNet-20 needs
 hours for 92 %. Its network is small, but most of the gain is in the recipe: a first layer set from
 the data (it *whitens* 2×2 patches: lesson 06's point that a well-conditioned input trains faster,
 done once and frozen), label smoothing, lookahead (the weights pulled towards their moving average),
 batch-norm biases that learn 64 times faster, flips that alternate instead of being drawn, and
 test-time augmentation. Which of these matter? We switched each off once and trained again, all
 else equal — on **shortened runs of 3 epochs instead of 10** (seed 0, so differences of a few
 tenths of a percent are within the noise between seeds), committed in
 `Figures/runs/airbench94-ablations/`. The lesson reads their `metrics.csv`:
 */
let ablations = loadAblations(nb.committedRun("airbench94-ablations"))
nb.table(headers: ["run (3 epochs)", "final test accuracy", "change", "compute time"], rows: ablations.map { run in
    [run.name, String(format: "%.2f %%", 100 * run.accuracy), String(format: "%+.2f", 100 * (run.accuracy - ablations[0].accuracy)),
     String(format: "%.1f min", run.minutes)]
})
drawAblations(ablations, in: nb)
nb.check("no run with one trick off beats the whole recipe by more than seed noise (0.3 points)",
         actual: ablations.dropFirst().map { ablations[0].accuracy - $0.accuracy }.min()!, in: -0.003...1)
nb.check("switching off the whitening costs the most", actual: ablations.min { $0.accuracy < $1.accuracy }!.name == "no-whitening" ? 1 : 0, in: 1...1)
/*:
 The whitening layer is worth the most: without it the short run ends about 3.5 points lower. A
 network whose input is already decorrelated starts learning at once, and in a run this short,
 learning early *is* the accuracy. Test-time augmentation adds about a point (it costs six passes
 over the test images at the end, not training time), label smoothing and the fast batch-norm biases
 close to a point each, and alternating flips about half a point. Lookahead shows nothing at three
 epochs: it averages the weights over the last steps of a long run, and a run this short has few.
 None of the tricks costs training time — the compute times agree to within the machine's own
 noise of 10–15 % (the README of the runs marks the one that shared the machine with a build) —
 which is the point of the recipe: each buys accuracy per minute, so the same accuracy comes in
 fewer epochs. (One seed each: repeat a run with `--seed 1` to see how much of a
 small difference is noise.)

 ## Summary

 - A profile turns "the network is slow" into numbers per layer; for ResNet-20 the convolutions
   dominate, and batch norm and the residual glue cost memory traffic, not arithmetic.
 - The speed of a large matrix product is the ceiling for an im2col convolution; small layers stay
   well below it, because the copies around the product cost as much as the product. A direct
   kernel that reads the image in place removes the copies, and the small layers catch up.
 - im2col multiplies memory by R·S, which is why the engine builds columns a few images at a time.
 - A training step keeps about one copy of the activations for backward.
 - More threads change the time, never the numbers: the work is cut by shape, not by thread count.
 - A fast recipe is mostly a set of cheap tricks, each worth a little accuracy at no time; measured
   one at a time, on shortened runs, the biggest is the whitened first layer.

 ## Exercises

 1. Run this lesson with `FOVEA_NUM_THREADS=1` and profile section 1 again. Which layers gain most
    from the second core, and why do the batch-norm rows gain less?
 2. Profile LeNet (`fovea summary lenet --batch 128 --profile`). Why does its time split so
    differently from ResNet-20's?
 3. Change the batch size to 32 and 512. How do the convolutions' GFLOP/s and the memory grow?
 */

nb.finish()
