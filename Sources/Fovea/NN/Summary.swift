// A model summary: each layer's output shape and parameter count, and the totals — found by
// running the model once on zeros and noting what each built-in layer returns.

/// Collects (module, output shape) pairs, and the outputs themselves when asked, while a traced
/// forward pass runs.
final class ModuleTraceRecorder: @unchecked Sendable {
    var entries: [(module: ObjectIdentifier, shape: [Int], output: Tensor?)] = []
    let keepsOutputs: Bool
    init(keepsOutputs: Bool = false) { self.keepsOutputs = keepsOutputs }
}

enum ModuleTrace {
    @TaskLocal static var recorder: ModuleTraceRecorder?
}

extension Module {
    /// Notes this module's output for a summary in progress; returns the output unchanged.
    @inline(__always)
    func traced(_ out: Tensor) -> Tensor {
        if let recorder = ModuleTrace.recorder {
            recorder.entries.append((ObjectIdentifier(self), out.shape, recorder.keepsOutputs ? out : nil))
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
    public func summary(inputShape: [Int]) -> String {
        let recorder = ModuleTraceRecorder()
        let wasTraining = isTraining
        eval()
        let output = ModuleTrace.$recorder.withValue(recorder) { noGrad { self(Tensor(zeros: inputShape)) } }
        setTraining(wasTraining)
        var names: [ObjectIdentifier: (String, any Module)] = [:]
        for (name, module) in namedModules() where names[ObjectIdentifier(module)] == nil {
            names[ObjectIdentifier(module)] = (name, module)
        }
        var rows = [["layer", "type", "output shape", "parameters", "mult-adds", "output memory"]]
        var totalMACs = 0, totalBytes = 0
        for entry in recorder.entries {
            guard let (name, module) = names[entry.module], !name.isEmpty else { continue }
            let own = module.children.isEmpty ? module.parameterCount : 0
            let macs = Self.multiplyAdds(module, outputShape: entry.shape)
            let bytes = entry.shape.reduce(1, *) * 4
            if module.children.isEmpty { (totalMACs, totalBytes) = (totalMACs + macs, totalBytes + bytes) }
            rows.append([name, String(describing: type(of: module)), "\(entry.shape)", own == 0 ? "–" : grouped(own),
                         macs == 0 ? "–" : grouped(macs), module.children.isEmpty ? megabytes(bytes) : "–"])
        }
        rows.append(["total", String(describing: type(of: self)), "\(output.shape)", grouped(parameterCount),
                     grouped(totalMACs), megabytes(totalBytes)])
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
func grouped(_ n: Int) -> String {
    let digits = String(n)
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return out
}
