import ArgumentParser
import Foundation
import Fovea
import FoveaPlot
import FoveaTraining

/// `fovea filters CHECKPOINT`: the learned filters of a conv layer.
struct Filters: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the learned filters of a conv layer of a saved model (default: the first).",
        discussion: "First-layer filters of an RGB network are colour patches; deeper ones get one tile per input channel on a blue–white–red scale.")

    @Argument(help: "A checkpoint written by fovea train.") var checkpoint: String
    @Option(help: "The conv layer, by name (conv1, layers.3.conv2, …); --list shows them.") var layer: String?
    @Flag(help: "List the conv layers and their weight shapes.") var list = false
    @Option(help: "The PNG to write (default: filters-LAYER.png beside the checkpoint).") var out: String?

    func run() throws {
        try reportingErrors("filters") {
            let saved = try TrainingCheckpoint.read(checkpoint)
            let model = try saved.makeModel(source: checkpoint)
            let convs = model.namedParameters().filter { $0.name.hasSuffix(".weight") && $0.tensor.rank == 4 }
            if list {
                for (name, weight) in convs { print("\(name.dropLast(".weight".count))  \(weight.shape)") }
                return
            }
            let name = layer ?? convs.first.map { String($0.name.dropLast(".weight".count)) } ?? ""
            guard let weight = convs.first(where: { $0.name == name + ".weight" })?.tensor else {
                throw ValidationError("no conv layer '\(name)' in \(saved.model.name); the conv layers are "
                                      + convs.map { String($0.name.dropLast(".weight".count)) }.joined(separator: ", "))
            }
            let path = out ?? URL(fileURLWithPath: checkpoint).deletingLastPathComponent().appendingPathComponent("filters-\(name).png").path
            let (k, c, r, s) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
            try Plot.filters(weight, title: "\(saved.model.name) \(name): \(k) filters × \(c) input channel\(c == 1 ? "" : "s"), \(r)×\(s)", to: path)
            print("wrote \(path)")
        }
    }
}
