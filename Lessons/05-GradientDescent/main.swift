/*:
 # 05 · Gradient descent

 Training a network means walking downhill on its loss. In this lesson you will:

 - take one step of **gradient descent**, **momentum** and **Adam** by hand, from their formulas,
   and check each against the engine's `SGD`, `SGD(momentum:)` and `Adam` optimizers;
 - watch the three race across an elongated bowl and along the curved Rosenbrock valley;
 - see what a learning rate that is too small, about right and too large does, and why a
   quadratic with curvature $\lambda$ diverges as soon as $\eta > 2/\lambda$;
 - train a small CNN with **mini-batch SGD** on built-in synthetic shapes, and look at its
   training curve, its first-layer filters before and after, and its predictions.

 Runtime: about three seconds on 2 cores (under a second with `--quick`). Figures go to
 `runs/lessons/05-gradient-descent/` (or the folder `--out` names): two contour plots with optimizer paths, loss curves for three
 learning rates, a learning-rate sweep, the training curve, filters before and after training,
 sample images and predictions, and (with CIFAR-10 at hand) responses to a real photo. The
 helpers that draw the figures, format the tables and keep the training loop's records are in
 `Helpers.swift` beside `main.swift`, so that each cell shows only the idea.
 */
import Foundation
import Fovea
import FoveaData
import FoveaNotebook
import FoveaPlot

let nb = Notebook("05-gradient-descent", title: "05 · Gradient descent")
var rng = SplitMix64(seed: nb.seed)       // for the CNN of section 11: its weights and the shuffling of its batches

nb.cell("A loss surface you can see")
/*:
 ## 1 · A loss surface you can see

 A network with a million weights has a loss surface in a million dimensions. The ideas of
 this lesson already show with **two** parameters $\theta = (x, y)$, where we can draw the
 surface as a contour map. Our first surface is an elongated bowl,

 $$L(x, y) = \tfrac12\,(1\cdot x^2 + 10\cdot y^2), \qquad \nabla L = (x,\ 10\,y),$$

 ten times steeper along $y$ than along $x$ ("ill-conditioned"). The numbers 1 and 10 are its
 **curvatures**, the second derivatives along each axis; they will decide how large a step we
 may take. We let the engine compute the gradient at the start point $(-4.5, 1.8)$ and compare
 it with $(x, 10y)$.
 */
/// The elongated bowl L(x, y) = ½(1·x² + 10·y²), written with tensor ops: its curvature is 1
/// along x and 10 along y.
func bowl(_ p: Tensor) -> Tensor {
    0.5 * (Tensor([1, 10]) * p * p).sum()
}
let start = [-4.5, 1.8]
let point = Tensor(shape: [2], start.map(Float.init), requiresGrad: true)
let loss0 = bowl(point)
loss0.backward()
nb.show(String(format: "%.4f", loss0.item()), "L at the start")
nb.show(point.grad!, "∇L from the engine")
let gradientByHand = [start[0], 10 * start[1]]                          // (x, 10y)
nb.check("the engine's gradient equals (x, 10y)", actual: point.grad!,
         expected: Tensor(shape: [2], gradientByHand.map(Float.init)), tolerance: 1e-5)

nb.cell("Gradient descent, one step by hand")
/*:
 ## 2 · Gradient descent: one step by hand

 The gradient points uphill, so we step the other way, scaled by the **learning rate** $\eta$:

 $$\theta_{t+1} = \theta_t - \eta\,\nabla L(\theta_t).$$

 With $\eta = 0.18$ the step from the start is $-0.18\cdot(-4.5,\ 18)$. Below we compute it
 from the formula, then let `SGD` take the same step on a fresh copy of the point.
 */
let gdRate = 0.18
let gdByHand = (0..<2).map { start[$0] - gdRate * gradientByHand[$0] }
nb.print("by hand: θ₁ = \(rounded(gdByHand))")
let gdPoint = Tensor(shape: [2], start.map(Float.init), requiresGrad: true)
let gd = SGD([gdPoint], learningRate: gdRate)
bowl(gdPoint).backward()
gd.step()
nb.show(gdPoint, "θ₁ after SGD.step()")
nb.check("SGD's step equals θ − η∇L", actual: gdPoint, expected: Tensor(shape: [2], gdByHand.map(Float.init)), tolerance: 1e-5)

nb.cell("Momentum")
/*:
 ## 3 · Momentum: a ball that keeps rolling

 Look at that step: $x$ moved a little, but $y$ jumped from $1.8$ across the valley floor to
 the other side. On an elongated bowl plain gradient descent zig-zags across the steep
 direction and crawls along the flat one. **Momentum** keeps a running sum of past gradients,
 a velocity $b$, so that zig-zags cancel and steady pushes add up:

 $$b_{t+1} = \mu\, b_t + \nabla L(\theta_t), \qquad \theta_{t+1} = \theta_t - \eta\, b_{t+1},$$

 with $b_0 = 0$. Networks typically use $\mu = 0.9$; on our small bowl $\mu = 0.5$ with
 $\eta = 0.1$ works well. The first step equals plain gradient descent, so we take **two**
 steps by hand: the second one mixes in the remembered first gradient.
 */
let (momentumRate, mu) = (0.1, 0.5)
let b1 = gradientByHand                                                  // b₁ = ∇L(θ₀)
let theta1 = (0..<2).map { start[$0] - momentumRate * b1[$0] }
let grad1 = [theta1[0], 10 * theta1[1]]                                  // ∇L(θ₁) = (x, 10y)
let b2 = (0..<2).map { mu * b1[$0] + grad1[$0] }
let momentumByHand = (0..<2).map { theta1[$0] - momentumRate * b2[$0] }
nb.print("by hand: θ₁ = \(rounded(theta1)), b₂ = \(rounded(b2)), θ₂ = \(rounded(momentumByHand))")
let momentumPoint = Tensor(shape: [2], start.map(Float.init), requiresGrad: true)
let heavyBall = SGD([momentumPoint], learningRate: momentumRate, momentum: mu)
for _ in 0..<2 { heavyBall.zeroGrad(); bowl(momentumPoint).backward(); heavyBall.step() }
nb.show(momentumPoint, "θ₂ after two SGD(momentum: \(mu)) steps")
nb.check("SGD(momentum:) equals the velocity formula", actual: momentumPoint,
         expected: Tensor(shape: [2], momentumByHand.map(Float.init)), tolerance: 1e-5)
/*:
 Watch $y$: the first step puts it exactly on 0 ($\eta = 0.1$ is one over its curvature 10),
 yet the remembered velocity carries it on past the floor. Momentum overshoots; over many
 steps the pushes from either side cancel, while steady pushes along $x$ add up.
 */

nb.cell("Adam")
/*:
 ## 4 · Adam: a step size for every parameter

 **Adam** keeps two running averages per parameter, of the gradient ($m$) and of its square
 ($v$), corrects their start-up bias towards zero, and divides one by the square root of the
 other:

 $$m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t, \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2,$$
 $$\hat m_t = \frac{m_t}{1-\beta_1^t}, \qquad \hat v_t = \frac{v_t}{1-\beta_2^t}, \qquad
   \theta_t = \theta_{t-1} - \eta\,\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon},$$

 with $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{-8}$. Dividing by $\sqrt{\hat v}$ makes
 the step nearly independent of the gradient's scale: on the first step $\hat m = g$ and
 $\sqrt{\hat v} = |g|$, so each coordinate moves by almost exactly $\eta$, whether its gradient
 is $-4.5$ or $18$. One step cannot tell a wrong $\beta_1$ or $\beta_2$ (the corrections cancel
 them) or a moment that is not carried over, so we check two.
 */
let (adamRate, beta1, beta2, epsilon) = (0.2, 0.9, 0.999, 1e-8)
let m1 = gradientByHand.map { (1 - beta1) * $0 }
let v1 = gradientByHand.map { (1 - beta2) * $0 * $0 }
let mHat = m1.map { $0 / (1 - beta1) }, vHat = v1.map { $0 / (1 - beta2) }    // t = 1
let adamByHand = (0..<2).map { start[$0] - adamRate * mHat[$0] / (vHat[$0].squareRoot() + epsilon) }
// A second step: both moments now remember step 1, and the corrections use t = 2.
let g2 = [adamByHand[0], 10 * adamByHand[1]]                                        // ∇L(θ₁)
let m2 = (0..<2).map { beta1 * m1[$0] + (1 - beta1) * g2[$0] }, v2 = (0..<2).map { beta2 * v1[$0] + (1 - beta2) * g2[$0] * g2[$0] }
let adamTwo = (0..<2).map { adamByHand[$0] - adamRate * (m2[$0] / (1 - beta1 * beta1)) / ((v2[$0] / (1 - beta2 * beta2)).squareRoot() + epsilon) }
nb.print("by hand: θ₁ = \(rounded(adamByHand)), θ₂ = \(rounded(adamTwo))")
let adamPoint = Tensor(shape: [2], start.map(Float.init), requiresGrad: true)
let adam = Adam([adamPoint], learningRate: adamRate)
for _ in 0..<2 { adam.zeroGrad(); bowl(adamPoint).backward(); adam.step() }
nb.show(adamPoint, "θ₂ after two Adam steps")
nb.check("two Adam steps equal the formulas", actual: adamPoint, expected: Tensor(shape: [2], adamTwo.map(Float.init)), tolerance: 1e-5)

nb.cell("Letting an optimizer run")
/*:
 ## 5 · Letting an optimizer run

 One step at a time is how an optimizer works; to watch it, we need many. The helper below
 is a training loop in miniature, with the moves every training loop makes: clear the
 gradients, compute the loss, backpropagate, step. It records where the point was and its
 loss at every step, the start included, so that we can draw the path.
 */
/// Runs `steps` steps of an optimizer on a 2-element parameter that starts at `start`, and
/// returns the `Path` (points and losses) it took.
func descend(_ loss: (Tensor) -> Tensor, from start: [Double], steps: Int, optimizer make: ([Tensor]) -> any Optimizer) -> Path {
    let point = Tensor(shape: [2], start.map(Float.init), requiresGrad: true)
    let optimizer = make([point])
    var path = Path()
    for _ in 0..<steps {
        optimizer.zeroGrad()
        let value = loss(point)
        path.record(point, loss: value.item())
        value.backward()
        optimizer.step()
    }
    path.record(point, loss: noGrad { loss(point) }.item())     // where it ended
    return path
}
let oneStep = descend(bowl, from: start, steps: 1, optimizer: { SGD($0, learningRate: gdRate) })
nb.print("descend, 1 step of SGD: θ₁ = \(rounded([oneStep.x[1], oneStep.y[1]])), L₀ = \(String(format: "%.4f", oneStep.loss[0])), L₁ = \(String(format: "%.4f", oneStep.loss[1]))")
nb.check("descend's first step is the hand step of section 2", actual: oneStep.y[1], expected: gdByHand[1], tolerance: 1e-5)

nb.cell("Racing on the bowl")
/*:
 ## 6 · Three optimizers on the bowl

 Now we let each optimizer run for a while from the same start, with the settings of the hand
 steps, and draw where it goes. Gradient descent, its rate just under the limit we will derive
 in section 9, bounces between the valley walls: its $y$ flips sign at every step, while $x$
 shrinks by only $1 - 0.18 = 0.82$ per step. Momentum lets the bounces cancel and ends much
 closer to the minimum (compare the losses in the table). Adam sets off diagonally, since its
 first steps are about $\eta$ long in each coordinate, and with a constant rate it keeps
 circling the minimum at a distance of about $\eta$. Adam's strength, a step size for every
 parameter that copes with noisy gradients of very different scales, shows in networks more
 than on a tidy bowl.
 */
let raceSteps = nb.quick ? 15 : 30
let racers: [(String, ([Tensor]) -> any Optimizer)] = [
    ("gradient descent η=\(gdRate)", { SGD($0, learningRate: gdRate) }),
    ("momentum η=\(momentumRate) μ=\(mu)", { SGD($0, learningRate: momentumRate, momentum: mu) }),
    ("Adam η=\(adamRate)", { Adam($0, learningRate: adamRate) }),
]
let bowlPaths = racers.map { descend(bowl, from: start, steps: raceSteps, optimizer: $0.1) }
showBowlRace(racers.map { $0.0 }, bowlPaths, steps: raceSteps, in: nb)
drawBowlRace(racers.map { $0.0 }, bowlPaths, steps: raceSteps, in: nb)
nb.check("every optimizer cut the loss at least fivefold (worst final/initial ≤ 0.2)",
         actual: bowlPaths.map { $0.loss.last! / $0.loss[0] }.max()!, in: 0...0.2)

nb.cell("A curved valley")
/*:
 ## 7 · A curved valley: Rosenbrock's function

 Real loss surfaces are not bowls. Rosenbrock's function
 $(1-x)^2 + 100\,(y - x^2)^2$ has a narrow valley bent along the parabola $y = x^2$, with its
 minimum at $(1, 1)$. The walls are steep (curvature about a thousand) while the floor is
 nearly flat, so gradient descent must take tiny steps and then crawls along the floor.
 Momentum builds up speed along the floor; Adam rescales each coordinate.
 */
/// Rosenbrock's banana-shaped valley, (1 − x)² + 100·(y − x²)², minimum 0 at (1, 1).
func rosenbrock(_ p: Tensor) -> Tensor {
    let x = p.sliced(0..<1), y = p.sliced(1..<2)
    return ((1 - x).pow(2) + 100 * (y - x * x).pow(2)).sum()
}
let valleyStart = [-1.2, 1.0]
let valleySteps = nb.quick ? 400 : 1000
let valleyRacers: [(String, ([Tensor]) -> any Optimizer)] = [
    ("gradient descent η=0.001", { SGD($0, learningRate: 0.001) }),
    ("momentum η=0.001 μ=0.9", { SGD($0, learningRate: 0.001, momentum: 0.9) }),
    ("Adam η=0.05", { Adam($0, learningRate: 0.05) }),
]
let valleyPaths = valleyRacers.map { descend(rosenbrock, from: valleyStart, steps: valleySteps, optimizer: $0.1) }
showValleyRace(valleyRacers.map { $0.0 }, valleyPaths, steps: valleySteps, in: nb)
drawValleyRace(valleyRacers.map { $0.0 }, valleyPaths, steps: valleySteps, in: nb)
/*:
 All three find the valley quickly; the race is along its floor. With the same rate as plain
 gradient descent, momentum gathers speed and travels much further (see the distances in the
 table), and Adam, which rescales each coordinate, gets far too. Plain gradient descent cannot
 simply take bigger steps: the steep walls would throw it out, just as in section 9.
 */

nb.cell("Learning rates")
/*:
 ## 8 · The learning rate: too small, about right, too large

 The learning rate is the most important knob of gradient descent. We run plain gradient
 descent on the bowl with three rates and plot the loss against the step on a logarithmic
 scale, where steady shrinking by a constant factor per step is a straight line.
 */
let rateSteps = nb.quick ? 30 : 60
let rates = [0.01, 0.1, 0.21]
let ratePaths = rates.map { rate in descend(bowl, from: start, steps: rateSteps, optimizer: { SGD($0, learningRate: rate) }) }
nb.table(headers: ["η", "L after \(rateSteps) steps"],
         rows: zip(rates, ratePaths).map { ["\($0)", String(format: "%.3e", $1.loss.last!)] })
drawLearningRates(rates, ratePaths, steps: rateSteps, in: nb)
/*:
 With $\eta = 0.01$ the loss falls, but so slowly that after all these steps it has not come
 far. With $\eta = 0.1$ it falls fast and steadily. With $\eta = 0.21$, only a little larger,
 the loss dips for a step or two and then **grows** steadily: training has diverged. Why is the
 cliff so sharp?
 */

nb.cell("The stability limit")
/*:
 ## 9 · Why the limit is $\eta < 2/\lambda$

 Take one direction with curvature $\lambda$ (we keep $L$ for the loss): $\ell(\theta) = \tfrac12 \lambda\theta^2$,
 gradient $\lambda\theta$. One step of gradient descent gives

 $$\theta_{t+1} = \theta_t - \eta \lambda\,\theta_t = (1 - \eta \lambda)\,\theta_t,$$

 so after $t$ steps $\theta_t = (1-\eta \lambda)^t\,\theta_0$. This shrinks when $|1 - \eta \lambda| < 1$,
 that is when $0 < \eta < 2/\lambda$. At $\eta = 1/\lambda$ it lands on the minimum in one step; between
 $1/\lambda$ and $2/\lambda$ it overshoots and oscillates, but still shrinks; beyond $2/\lambda$ each overshoot is
 larger than the last. On the bowl each axis has its own curvature, $\lambda_{\min} = 1$ and
 $\lambda_{\max} = 10$, and the steepest one sets the limit for all: $\eta < 2/\lambda_{\max} = 0.2$.
 That is why $0.21$ blew up: along $y$ each step multiplies by $1 - 0.21\cdot 10 = -1.1$, and the
 loss, which soon is all $5y^2$, by $(-1.1)^2 = 1.21$. We read both factors off the engine's run below.

 The limit is not the best rate. The slowest axis decides how fast the whole error shrinks: per step
 by $\max(|1 - \eta\lambda_{\min}|,\ |1 - \eta\lambda_{\max}|)$, which is smallest when both factors are
 equal, at $\eta^\ast = 2/(\lambda_{\min} + \lambda_{\max}) = 2/11 \approx 0.18$, the rate of section 2; then
 both axes shrink by $(\lambda_{\max} - \lambda_{\min})/(\lambda_{\max} + \lambda_{\min}) = 9/11$ per step, one
 of them with alternating sign.
 */
let growth = ratePaths[2].y[rateSteps] / ratePaths[2].y[rateSteps - 1]
nb.show(String(format: "%.6f", growth), "y_{t+1} / y_t at η = 0.21")
nb.check("the y factor per step is 1 − ηλ = 1 − 0.21·10", actual: growth, expected: 1 - 0.21 * 10, tolerance: 1e-4)
let lossGrowth = ratePaths[2].loss[rateSteps] / ratePaths[2].loss[rateSteps - 1]
nb.show(String(format: "%.6f", lossGrowth), "L_{t+1} / L_t at η = 0.21")
// By now x has shrunk to almost nothing, so the loss is 5y² and grows by (1 − ηλ)² per step.
nb.check("the diverging loss grows by (1 − ηλ)² = 1.21 per step", actual: lossGrowth, expected: (1 - 0.21 * 10) * (1 - 0.21 * 10), tolerance: 1e-4)

nb.cell("Finding the limit numerically")
/*:
 ## 10 · Finding the limit numerically

 Theory says 0.2; let us find the limit without it. We **bisect**: keep a rate known to
 converge and one known to diverge, try the middle, and keep whichever half still has the
 boundary in it. "Converges" here means the loss is still shrinking at the end of a run of
 100 steps. Then we **sweep** the rate and plot the loss after 50 steps to see the cliff.
 */
/// Whether gradient descent at `rate` is still making progress after `steps` steps on the bowl.
func shrinks(rate: Double, steps: Int) -> Bool {
    let path = descend(bowl, from: start, steps: steps, optimizer: { SGD($0, learningRate: rate) })
    return path.loss[steps] < path.loss[steps / 2]
}
var (stable, unstable) = (0.1, 0.3)
for _ in 0..<(nb.quick ? 10 : 14) {
    let middle = (stable + unstable) / 2
    if shrinks(rate: middle, steps: 100) { stable = middle } else { unstable = middle }
}
nb.print(String(format: "bisection: shrinks at η = %.5f, grows at η = %.5f", stable, unstable))
// After at least 10 halvings the bracket is at most 0.2/1024 ≈ 2e-4 wide, so 1e-3 is a safe tolerance.
nb.check("the numerical stability limit is 2/λmax = 2/10", actual: (stable + unstable) / 2, expected: 2.0 / 10, tolerance: 1e-3)
let sweepRates = (1...(nb.quick ? 12 : 30)).map { 0.24 * Double($0) / Double(nb.quick ? 12 : 30) }
let sweepLoss = sweepRates.map { rate in descend(bowl, from: start, steps: 50, optimizer: { SGD($0, learningRate: rate) }).loss.last! }
let best = sweepLoss.indices.min { sweepLoss[$0] < sweepLoss[$1] }!
nb.print(String(format: "lowest loss after 50 steps: %.2e at η = %.3f, just below the limit", sweepLoss[best], sweepRates[best]))
drawLearningRateSweep(sweepRates, loss: sweepLoss, startLoss: ratePaths[0].loss[0], in: nb)

nb.cell("Shapes and a small CNN")
/*:
 ## 11 · From two parameters to thousands

 Now the real thing: a small convolutional network that tells circles, squares, triangles and
 crosses apart. `SyntheticShapes` draws the images on the spot (random colours, sizes, places
 and angles, a little noise), so no download is needed. The network is two convolution +
 ReLU + max-pool stages and a linear layer to 4 class scores.

 The pixels lie in $[0, 1]$; we feed the network $(x - 0.5)/0.25$ instead, centred on 0 and
 spread to about $\pm 2$. Gradient descent gets going much faster on inputs centred at zero
 (try it without in the exercises).

 Before any training the network knows nothing, so it should spread its belief evenly over
 the 4 classes: its cross-entropy loss should be close to $\ln 4$, and its accuracy near
 chance, 25 %.
 */
let (trainCount, testCount) = nb.quick ? (1000, 200) : (3000, 400)
let trainSet = SyntheticShapes.make(count: trainCount, size: 32, seed: nb.seed &+ 1)
let testSet = SyntheticShapes.make(count: testCount, size: 32, seed: nb.seed &+ 2)
let (trainImages, testImages) = (Tensor(trainSet.images), Tensor(testSet.images))      // [N, 3, 32, 32] in [0, 1]
let (trainInputs, testInputs) = ((trainImages - 0.5) / 0.25, (testImages - 0.5) / 0.25)  // centred on 0, about ±2
let testLabels = Tensor(shape: [testCount], int64: testSet.labels.map(Int64.init))
let conv1 = Conv2d(3, 8, kernelSize: 5, using: &rng)
let model = Sequential(conv1, ReLU(), MaxPool2d(kernel: 2),
                       Conv2d(8, 16, kernelSize: 3, using: &rng), ReLU(), MaxPool2d(kernel: 2),
                       Flatten(), Linear(16 * 6 * 6, 4, using: &rng))
nb.print(model.summary(inputShape: [1, 3, 32, 32]))
let filtersBefore = conv1.weight.copied()                  // a snapshot: the optimizer updates conv1 in place
let initialLoss = noGrad { softmaxCrossEntropy(model(testInputs), labels: testLabels) }.item()
nb.print(String(format: "before training: test loss %.4f, test accuracy %.1f %%", initialLoss, 100 * accuracy(model, testInputs, testSet.labels)))
// Fresh logits are small but not exactly zero, so the loss sits near ln 4, not on it.
nb.check("an untrained net's loss is about ln 4", actual: initialLoss, expected: log(4.0), tolerance: 0.1)
drawTrainingSamples(trainImages.sliced(0..<12), labels: Array(trainSet.labels.prefix(12)), in: nb)

nb.cell("Mini-batch gradients")
/*:
 ## 12 · A mini-batch gradient is an average

 The training loss is an average over all $N$ images, $L = \frac1N \sum_i \ell_i$, so its
 gradient is the average of the per-image gradients. Computing it over all the training
 images for every single step would be slow; **mini-batch SGD** instead estimates it from a
 small random batch $B$ of images, $g = \frac1{|B|}\sum_{i\in B} \nabla\ell_i$, takes a step,
 and moves on to the next batch. One pass over the shuffled training set is an **epoch**.

 We check the averaging on a batch of 4 images: the gradient of the batch's mean loss must
 equal the sum of four backward passes, each of one image's loss divided by 4 (gradients
 **accumulate** until `zeroGrad()` clears them).
 */
let four = batch(trainInputs, trainSet.labels, [0, 1, 2, 3])
model.zeroGrad()
softmaxCrossEntropy(model(four.images), labels: four.labels).backward()
let batchGradient = conv1.weight.grad!.copied()
model.zeroGrad()
for i in 0..<4 {
    let one = batch(trainInputs, trainSet.labels, [i])
    (softmaxCrossEntropy(model(one.images), labels: one.labels) / 4).backward()   // accumulates into .grad
}
nb.check("batch gradient = average of 4 per-image gradients (conv1.weight)", actual: conv1.weight.grad!,
         expected: batchGradient, tolerance: 1e-5)
model.zeroGrad()

nb.cell("Training with mini-batch SGD")
/*:
 ## 13 · The training loop

 Each epoch shuffles the training images, cuts them into batches of 32, and for each batch
 runs the five lines every training loop has: clear the gradients, forward, loss, backward,
 step. We use `SGD` with momentum 0.9, and let its learning rate fall from 0.03 to 0 along a
 cosine (`CosineSchedule`): big steps to get going, small steps to settle into a minimum
 instead of rattling around it. After each epoch we measure the accuracy on the test images,
 which the network never trains on. Chance is 25 %.
 */
let (epochs, batchSize) = (nb.quick ? 3 : 8, 32)
let sgd = SGD(model.parameters, learningRate: 0.03, momentum: 0.9)
let schedule = CosineSchedule(initial: 0.03, totalSteps: epochs * ((trainCount + batchSize - 1) / batchSize))   // 0.03 → 0 along a cosine
let history = TrainingHistory()                  // the mini-batch losses, epoch means and test accuracies
try measureThroughput("\(epochs) epochs of \(trainCount) images", images: epochs * trainCount, in: nb) {
    for epoch in 1...epochs {
        for indices in shuffledBatches(count: trainCount, size: batchSize, using: &rng) {
            let (x, y) = batch(trainInputs, trainSet.labels, indices)
            sgd.apply(schedule, step: history.iterationLoss.count)
            sgd.zeroGrad()
            let loss = softmaxCrossEntropy(model(x), labels: y)
            try checkFinite(loss.item())
            loss.backward()
            sgd.step()
            history.add(batchLoss: loss.item(), images: y.count)
        }
        history.endEpoch(epoch, of: epochs, testAccuracy: accuracy(model, testInputs, testSet.labels), in: nb)
    }
}

nb.cell("Did it learn?")
/*:
 ## 14 · Did it learn?

 Each mini-batch loss is a noisy estimate of the full loss, so the per-iteration curve is
 jagged; the epoch averages and the test accuracy show the trend. Then we check the two
 claims that matter: the loss on the test images went down, and (in the full run, which
 trains long enough) the accuracy is well above chance.
 */
drawTrainingCurves(history, epochs: epochs, in: nb)
let finalLoss = noGrad { softmaxCrossEntropy(model(testInputs), labels: testLabels) }.item()
nb.print(String(format: "test loss: %.4f before training, %.4f after", initialLoss, finalLoss))
// A full run at least halves the test loss; --quick trains only briefly, so it asks for a clear drop.
nb.check("training lowered the test loss (after/before ≤ \(nb.quick ? 0.98 : 0.5))", actual: finalLoss / initialLoss,
         in: 0...(nb.quick ? 0.98 : 0.5))
if !nb.quick {   // --quick trains too briefly to promise more than a lower loss
    nb.check("test accuracy is well above chance (at least 50 %)", actual: history.testAccuracy.last!, in: 0.5...1)
}

nb.cell("Filters before and after")
/*:
 ## 15 · What the first layer learned

 Each of the 8 first-layer filters is a 5×5 patch with 3 colour channels. At initialisation
 they are random noise. Gradient descent nudged every weight, step after step, in the
 direction that lowered the loss; after training, look for smoother patches, light–dark
 edges and colour contrasts: the ingredients of outlines. The printed ratio says how far the
 filters travelled from their random start, relative to their size.
 */
drawFilters(before: filtersBefore, after: conv1.weight, epochs: epochs, in: nb)
let change = noGrad { (conv1.weight - filtersBefore).pow(2).sum().sqrt().item() / filtersBefore.pow(2).sum().sqrt().item() }
nb.show(String(format: "%.2f", change), "‖W_after − W_before‖ / ‖W_before‖")

nb.cell("Predictions")
/*:
 ## 16 · Predictions on test images

 Sixteen test images with their label and the network's guess underneath (red when wrong).
 */
let shown = 16
let guesses = noGrad { model(testInputs.sliced(0..<shown)) }.argmax(axis: 1).int64s
drawPredictions(testImages.sliced(0..<shown), labels: Array(testSet.labels.prefix(shown)), guesses: guesses, in: nb)

nb.cell("Real images")
/*:
 ## 17 · The trained filters on a real photo

 The filters were learned on drawings, but edges and colour contrasts are everywhere. With
 CIFAR-10 at hand (`--data DIR` or `FOVEA_DATA`), we show what the trained `conv1` (followed by
 ReLU) responds to in the first CIFAR-10 test image, the first of the photos lesson 01 shows (a
 cat).
 */
if let folder = nb.load({ try CIFAR10.find(data: nb.dataDirectory) }) {
    let photo = nb.load { try CIFAR10.load(file: folder + "/" + CIFAR10.testFile, limit: 1) }       // test image 0
    let responses = noGrad { relu(conv1((photo.images - 0.5) / 0.25)) }[0]                         // [8, 28, 28]
    drawResponses(responses, className: CIFAR10.classNames[photo.labels[0]], in: nb)
} else {
    nb.print("No CIFAR-10 found: run with --data DIR (or set FOVEA_DATA) to see the filters on a real photo.")
}
/*:
 ## Summary

 - Gradient descent steps against the gradient: $\theta \leftarrow \theta - \eta\nabla L$.
   Momentum adds a velocity that averages out zig-zags; Adam divides by a running RMS of the
   gradient, giving each parameter its own step size. All three are a few lines of tensor
   arithmetic, and the engine's optimizers match the formulas.
 - On a quadratic with curvature $\lambda$, gradient descent multiplies the error by $1 - \eta \lambda$
   per step: it converges only for $\eta < 2/\lambda$, and the steepest direction sets the limit;
   the best fixed rate, $2/(\lambda_{\min} + \lambda_{\max})$, balances the flattest and steepest directions.
   Too small a rate crawls; just past the limit the loss explodes.
 - Mini-batch SGD estimates the gradient from a small batch (an average of per-example
   gradients) and trains a CNN with the same update rule; a cosine schedule lets the rate
   shrink as training settles.

 ## Exercises

 1. Run gradient descent on the round bowl $\tfrac12(x^2 + y^2)$ with $\eta = 1$. Why does it
    land on the minimum in one step? What is the largest rate that still converges?
 2. Race momentum with $\mu = 0.9$ and $\eta = 0.03$ on the bowl. Why does the ball swing so
    far past the minimum, and why does it still get there in the end?
 3. Add Nesterov momentum (`SGD(…, momentum: 0.5, nesterov: true)`) to the race. Write out
    its update by hand and check two steps with `nb.check`.
 4. Find the stability limit of momentum numerically. Theory says $\eta < 2(1+\mu)/L$ for
    heavy-ball momentum on a quadratic; does your bisection agree?
 5. Train the CNN with `Adam(model.parameters, learningRate: 0.003)` instead of SGD, and with
    batch sizes 8 and 128. Compare the training curves and the time per epoch.
 6. Double the CNN's learning rate until training diverges. Does `checkFinite` catch it?
 7. Feed the CNN the raw pixels in $[0, 1]$ instead of $(x - 0.5)/0.25$. How many epochs does
    the loss now stay stuck near $\ln 4$?
 */

nb.finish()
