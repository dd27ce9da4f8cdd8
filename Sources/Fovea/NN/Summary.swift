// A model summary: each layer's output shape and parameter count, and the totals — found by
// running the model once on zeros and noting what each built-in layer returns.
import Dispatch

/// Collects (module, output shape) pairs, and the outputs themselves when asked, while a traced
/// forward pass runs.
final class ModuleTraceRecorder: @unchecked Sendable {
    var entries: [(module: ObjectIdentifier, shape: [Int], output: Tensor?)] = []
    /// When each entry was noted (nanoseconds of uptime), for a profile.
    var times: [UInt64] = []
    let keepsOutputs: Bool
    init(keepsOutputs: Bool = false) { self.keepsOutputs = keepsOutputs }
}

enum ModuleTrace {
    @TaskLocal static var recorder: ModuleTraceRecorder?
}

extension Module {
    /// Notes this module's output for a summary in progress; returns the output unchanged.
    @inline(__always)
    package func traced(_ out: Tensor) -> Tensor {
        if let recorder = ModuleTrace.recorder {
            recorder.entries.append((ObjectIdentifier(self), out.shape, recorder.keepsOutputs ? out : nil))
            recorder.times.append(DispatchTime.now().uptimeNanoseconds)
        }
        return out
    }

    /// Every module in the tree with its dotted name ("" for the root), depth-first.
    public func namedModules(prefix: String = "") -> [(name: String, module: any Module)] {
        [(prefix, self)] + children.flatMap { $0.1.namedModules(prefix: prefix.isEmpty ? $0.0 : prefix + "." + $0.0) }
    }

    /// The output of every built-in layer, in the order the layers ran, for input `x`: what a
    /// feature-map figure shows ("what does conv1 see?"). Runs in evaluation mode without recording
    /// gradients; the module's mode is restored afterwards. A layer used twice (LeNet's pooling)
    /// appears twice.
    ///
    ///     for (name, type, output) in model.intermediateOutputs(image) where type == "Conv2d" { … }
    public func intermediateOutputs(_ x: Tensor) -> [(name: String, type: String, output: Tensor)] {
        let recorder = ModuleTraceRecorder(keepsOutputs: true)
        let wasTraining = isTraining
        eval()
        _ = ModuleTrace.$recorder.withValue(recorder) { noGrad { self(x) } }
        setTraining(wasTraining)
        var names: [ObjectIdentifier: (String, any Module)] = [:]
        for (name, module) in namedModules() where names[ObjectIdentifier(module)] == nil {
            names[ObjectIdentifier(module)] = (name, module)
        }
        return recorder.entries.compactMap { entry in
            guard let (name, module) = names[entry.module], !name.isEmpty, let output = entry.output else { return nil }
            return (name, String(describing: type(of: module)), output)
        }
    }

    /// A table of the layers in the order they run, with output shapes, parameter counts,
    /// multiply-adds and the memory of each output (Float32, for the given batch; the total counts
    /// layers without children once each, a rough measure of what a training step keeps),
    /// for an input of `inputShape` (the model runs once on zeros, in evaluation mode, without
    /// recording gradients; its mode is restored afterwards).
    ///
    ///     print(ResNetCIFAR.resnet20(using: &rng).summary(inputShape: [1, 3, 32, 32]))
    ///
    /// With `profile` > 0 the forward pass runs that many more times (after one warm-up) and a
    /// column gives each row's median time: the time from the previous row's output to this one's,
    /// so a block's row holds only its own glue (the residual add and ReLU), and functional ops
    /// between layers (LeNet's ReLUs) count towards the layer after them.
    public func summary(inputShape: [Int], profile: Int = 0) -> String {
        let recorder = ModuleTraceRecorder()
        let wasTraining = isTraining
        eval()
        let input = Tensor(zeros: inputShape)
        let output = ModuleTrace.$recorder.withValue(recorder) { noGrad { self(input) } }
        var runs: [[Double]] = []   // per run, milliseconds per entry
        if profile > 0 {
            for run in 0...profile {
                let timing = ModuleTraceRecorder()
                let start = DispatchTime.now().uptimeNanoseconds
                _ = ModuleTrace.$recorder.withValue(timing) { noGrad { self(input) } }
                if run > 0 {  // run 0 warms up
                    let marks = [start] + timing.times
                    runs.append((1..<marks.count).map { Double(marks[$0] - marks[$0 - 1]) / 1e6 })
                }
            }
        }
        setTraining(wasTraining)
        let medians: [Double] = runs.isEmpty ? [] : runs[0].indices.map { i in
            let sorted = runs.map { $0[i] }.sorted()
            return sorted[sorted.count / 2]
        }
        var names: [ObjectIdentifier: (String, any Module)] = [:]
        for (name, module) in namedModules() where names[ObjectIdentifier(module)] == nil {
            names[ObjectIdentifier(module)] = (name, module)
        }
        var rows = [["layer", "type", "output shape", "parameters", "mult-adds", "output memory"] + (profile > 0 ? ["time (ms)"] : [])]
        var totalMACs = 0, totalBytes = 0
        for (index, entry) in recorder.entries.enumerated() {
            guard let (name, module) = names[entry.module], !name.isEmpty else { continue }
            let own = module.children.isEmpty ? module.parameterCount : 0
            let macs = Self.multiplyAdds(module, outputShape: entry.shape)
            let bytes = entry.shape.reduce(1, *) * 4
            if module.children.isEmpty { (totalMACs, totalBytes) = (totalMACs + macs, totalBytes + bytes) }
            rows.append([name, String(describing: type(of: module)), "\(entry.shape)", own == 0 ? "–" : grouped(own),
                         macs == 0 ? "–" : grouped(macs), module.children.isEmpty ? megabytes(bytes) : "–"]
                        + (medians.isEmpty ? [] : [String(format: "%.3f", medians[index])]))
        }
        rows.append(["total", String(describing: type(of: self)), "\(output.shape)", grouped(parameterCount),
                     grouped(totalMACs), megabytes(totalBytes)] + (medians.isEmpty ? [] : [String(format: "%.3f", medians.reduce(0, +))]))
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max()! }
        return rows.map { row in
            row.enumerated().map { c, cell in
                c >= 3 ? String(repeating: " ", count: widths[c] - cell.count) + cell
                       : cell + String(repeating: " ", count: widths[c] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

extension Module {
    /// Multiply-adds of one forward pass of a built-in layer that produced `outputShape`: each
    /// output of a convolution sums (C/groups)·R·S products, each output of a linear layer `in`
    /// products; other layers count 0 (their work is a few operations per element).
    static func multiplyAdds(_ module: any Module, outputShape: [Int]) -> Int {
        let outputs = outputShape.reduce(1, *)
        switch module {
        case let conv as Conv2d: return outputs * conv.weight.shape.dropFirst().reduce(1, *)
        case let linear as Linear: return outputs * linear.weight.shape[1]
        default: return 0
        }
    }
}

/// Bytes as "1.2 MB" (10⁶), "48 KB" or "480 B".
func megabytes(_ bytes: Int) -> String {
    if bytes >= 1_000_000 { return String(format: "%.1f MB", Double(bytes) / 1e6) }
    return bytes >= 1_000 ? String(format: "%.0f KB", Double(bytes) / 1e3) : "\(bytes) B"
}

/// 1234567 → "1,234,567".
package func grouped(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return out
}
