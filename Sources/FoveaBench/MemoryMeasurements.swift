import Foundation
import Fovea
import FoveaModels

/// Peak resident memory of training, as `../shared/bench/bench_peak_rss.py` measures PyTorch's:
/// each model in a fresh process (this program started again with `--memory-child NAME`), which
/// builds the model and a fixed random batch, notes its resident set, runs 20 training steps
/// (zero-grad, forward, cross-entropy, backward, SGD with momentum 0.9) and reports its peak
/// resident set and the part that training added.
enum MemoryMeasurements {
    static let models = ["lenet", "resnet20", "vggish"]

    /// Starts one child per model and passes its line on.
    static func run(batch: Int) {
        for name in models {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
            process.arguments = ["--memory-child", name, "--memory-batch", String(batch)]
            let pipe = Pipe()
            process.standardOutput = pipe
            do { try process.run() } catch {
                emit(["kind": "note", "name": "\(name)_train_b\(batch)_peak_rss", "skipped": "cannot start a child: \(error)"])
                continue
            }
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            FileHandle.standardOutput.write(output)
        }
    }

    /// The child: measures one model and prints one JSON line.
    static func child(_ name: String, batch: Int) {
        var rng = SplitMix64(seed: 0)
        let model: any Module = switch name {
        case "lenet": LeNet5(using: &rng)
        case "resnet20": ResNetCIFAR.resnet20(using: &rng)
        default: VGGStyle.make(using: &rng)
        }
        model.train()
        let x = Tensor.normal([batch, 3, 32, 32], using: &rng)
        let y = Tensor(shape: [batch], int64: (0..<batch).map { _ in Int64(rng.next() % 10) })
        let optimizer = SGD(model.parameters, learningRate: 0.01, momentum: 0.9)
        let before = residentMiB()
        for _ in 0..<20 {
            optimizer.zeroGrad()
            softmaxCrossEntropy(model(x), labels: y).backward()
            optimizer.step()
        }
        // The peak from /proc/self/status (VmHWM), not getrusage: Linux carries ru_maxrss over
        // execve, so a child would report its parent's peak if that were larger.
        let peak = peakResidentMiB()
        emit(["kind": "measurement", "name": "\(name)_train_b\(batch)_peak_rss", "lib": "fovea", "peak_rss_mb": peak,
              "train_delta_mb": peak - before, "rss_before_mb": before, "throughput": peak - before,
              "unit": "MB (peak RSS added by training)"])
    }

    /// The peak resident set size of this process image in MiB (see ``ProcessMemory``).
    static func peakResidentMiB() -> Double { ProcessMemory.peakResidentBytes / 1_048_576 }

    /// Resident set size in MiB.
    static func residentMiB() -> Double { ProcessMemory.residentBytes / 1_048_576 }
}
