// The helpers that lesson 10's cells call: reading the profile table, timing, resident memory and
// figure drawing, kept out of the cells so that each cell shows the idea.
import Foundation
import Fovea
import FoveaModels
import FoveaNotebook
import FoveaPlot
import FoveaTraining

/// The rows of a `summary` table, each cut into its whitespace-separated words.
func summaryRows(_ table: String) -> [[String]] {
    table.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
}

/// The first `count` lines of a `summary` table without the batch-norm rows, and an ellipsis.
func summaryHead(_ table: String, count: Int) -> String {
    table.split(separator: "\n").filter { line in !line.contains(".bn") }.prefix(count).joined(separator: "\n") + "\n…"
}

/// Each layer type's share of the total measured time of a profiled `summary` table (the time is the
/// last column; the total row is the last row).
func timeShares(_ table: String, types: [String]) -> [(type: String, share: Double)] {
    let rows = summaryRows(table)
    let total = Double(rows.last!.last!)!
    return types.map { type in
        let milliseconds = rows.dropFirst().filter { $0.count > 2 && $0[1] == type }.compactMap { Double($0.last!) }.reduce(0, +)
        return (type, milliseconds / total)
    }
}

/// The total output memory of a `summary` table in MB: the number before "MB" on the total row.
func outputMegabytes(_ table: String) -> Double {
    let totalRow = summaryRows(table).last!
    guard let at = totalRow.firstIndex(of: "MB"), at > 0 else { return .nan }   // "… 263.5 MB 18.7"
    return Double(totalRow[at - 1]) ?? .nan
}

/// Median seconds of `runs` calls of `body`, after one warm-up call.
func seconds(_ runs: Int, _ body: () -> Void) -> Double {
    body()
    var times: [Double] = []
    for _ in 0..<runs { let start = Date(); body(); times.append(Date().timeIntervalSince(start)) }
    return times.sorted()[runs / 2]
}

/// Trains a fresh `model` (built from `seed`) on one fixed random batch for `steps` SGD steps after
/// one untimed step: the median seconds per step and the loss after each step.
func timedTrainingSteps(model name: String, seed: UInt64, batch: Int, steps: Int) -> (secondsPerStep: Double, losses: [Double]) {
    var rng = SplitMix64(seed: seed)
    let model = try! ModelCatalog.make(ModelSpec(name: name), using: &rng)
    let images = Tensor.normal([batch, 3, 32, 32], using: &rng), labels = Tensor(shape: [batch], int64: (0..<batch).map { Int64($0 % 10) })
    let optimizer = SGD(named: model.namedParameters(), learningRate: 0.05, momentum: 0.9)
    var losses: [Double] = [], times: [Double] = []
    for step in 0...steps {
        let start = Date()
        optimizer.zeroGrad()
        let loss = softmaxCrossEntropy(model(images), labels: labels)
        loss.backward()
        optimizer.step()
        if step > 0 { times.append(Date().timeIntervalSince(start)); losses.append(loss.item()) }
    }
    return (times.sorted()[times.count / 2], losses)
}

/// Resident memory of this process in MB (Linux: `/proc/self/statm`).
func residentMB() -> Double { ProcessMemory.residentBytes / 1e6 }

/// A bar per layer type: its share of the forward time, in %.
func drawTimeShares(_ shares: [(type: String, share: Double)], batch: Int, in nb: Notebook) {
    nb.figure("time-by-layer-type.png", caption: "Share of ResNet-20's forward time by layer type, batch \(batch), measured.") { path in
        try Plot.barChart(values: shares.map { 100 * $0.share }, labels: shares.map(\.type), title: "Where a ResNet-20 forward pass spends its time",
                          valueLabel: "share of the time (%)", to: path)
    }
}

/// The matrix product's speed as the first, highlighted bar, then each convolution's.
/// One convolution shape's forward speed through im2col + matrix product and as the engine runs it.
struct ConvolutionSpeed { let name: String, im2col: Double, engine: Double }

func drawSpeeds(peak: Double, size n: Int, convolutions: [ConvolutionSpeed], in nb: Notebook) {
    nb.figure("convolutions-vs-peak.png", caption: "Forward speed of three ResNet-20 convolution shapes, through im2col + matrix product and as the engine runs them, against this machine's matrix-product speed.") { path in
        let values = [peak] + convolutions.flatMap { [$0.im2col, $0.engine] }
        let labels = ["matrix product \(n)³"] + convolutions.flatMap { ["\($0.name) im2col", "\($0.name) engine"] }
        try Plot.barChart(values: values, labels: labels, title: "GFLOP/s on this machine", valueLabel: "GFLOP/s", highlight: 0, to: path)
    }
}

/// One ablation run: its name, final test accuracy (with the run's test-time augmentation when it
/// has one) and compute time.
struct AblationRun { let name: String, accuracy: Double, minutes: Double }

/// The runs under `folder`, the full recipe ("baseline") first; "baseline, no TTA" is the baseline's
/// own accuracy without test-time augmentation (the same run, evaluated once more plainly).
func loadAblations(_ folder: String) -> [AblationRun] {
    let names = ["baseline", "no-whitening", "no-lookahead", "no-label-smoothing", "plain-bn-bias-lr", "random-flip"]
    var runs: [AblationRun] = []
    for name in names {
        guard let last = try? RunFolder(folder + "/" + name).readMetrics().last else { continue }
        runs.append(AblationRun(name: name, accuracy: last.testAccuracyTTA ?? last.testAccuracy ?? .nan, minutes: last.wallSeconds / 60))
        if name == "baseline", let plain = last.testAccuracy {
            runs.append(AblationRun(name: "no-tta", accuracy: plain, minutes: last.wallSeconds / 60))
        }
    }
    return runs
}

/// The accuracy each switched-off trick costs, in percentage points, as bars.
func drawAblations(_ runs: [AblationRun], in nb: Notebook) {
    nb.figure("recipe-ablations.png", caption: "Final test accuracy lost when one of airbench94's tricks is switched off (3-epoch runs, seed 0), in percentage points.") { path in
        try Plot.barChart(values: runs.dropFirst().map { 100 * (runs[0].accuracy - $0.accuracy) }, labels: runs.dropFirst().map(\.name),
                          title: "What each trick is worth (3-epoch runs)", valueLabel: "accuracy lost without it (points)", to: path)
    }
}
