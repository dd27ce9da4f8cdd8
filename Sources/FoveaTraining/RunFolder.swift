import Foundation
import Fovea

/// The folder of one training run:
///
///     RUN_DIR/
///       command.txt        the exact command (one line per segment when resumed)
///       metrics.csv        one row per epoch (EpochRecord)
///       last.safetensors   the checkpoint at the end of the last epoch: model, optimizer, progress, settings
///       best.safetensors   the checkpoint of the epoch with the best validation accuracy (with --val-split)
///       loss.png, accuracy.png   the curves so far
public struct RunFolder: Sendable {
    public let path: String
    public init(_ path: String) { self.path = path }

    public var metrics: String { path + "/metrics.csv" }
    public var command: String { path + "/command.txt" }
    public var lastCheckpoint: String { path + "/last.safetensors" }
    public var bestCheckpoint: String { path + "/best.safetensors" }
    public var lossCurve: String { path + "/loss.png" }
    public var accuracyCurve: String { path + "/accuracy.png" }

    /// Creates the folder (and its parents).
    public func create() throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw TrainingError.runFolder(path: path, reason: error.localizedDescription)
        }
    }

    /// Appends `line` to `command.txt`.
    public func recordCommand(_ line: String) throws {
        try append(line + "\n", to: command)
    }

    /// The rows of `metrics.csv` (none when the file does not exist).
    public func readMetrics() throws -> [EpochRecord] {
        guard FileManager.default.fileExists(atPath: metrics) else { return [] }
        guard let text = try? String(contentsOfFile: metrics, encoding: .utf8) else {
            throw TrainingError.runFolder(path: metrics, reason: "cannot read it")
        }
        return text.split(separator: "\n").dropFirst().compactMap(EpochRecord.init(csvLine:))
    }

    /// Rewrites `metrics.csv` with `rows` (atomically): a resume drops rows of epochs after its checkpoint.
    public func writeMetrics(_ rows: [EpochRecord]) throws {
        let text = ([EpochRecord.csvHeader] + rows.map(\.csvLine)).joined(separator: "\n") + "\n"
        do { try writeAtomically(Data(text.utf8), to: metrics) } catch {
            throw TrainingError.runFolder(path: metrics, reason: "\(error)")
        }
    }

    /// Appends one row to `metrics.csv`, writing the header first if the file is new.
    public func appendMetrics(_ row: EpochRecord) throws {
        if !FileManager.default.fileExists(atPath: metrics) { try append(EpochRecord.csvHeader + "\n", to: metrics) }
        try append(row.csvLine + "\n", to: metrics)
    }

    private func append(_ text: String, to file: String) throws {
        if !FileManager.default.fileExists(atPath: file) { _ = FileManager.default.createFile(atPath: file, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: file) else { throw TrainingError.runFolder(path: file, reason: "cannot open it for writing") }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw TrainingError.runFolder(path: file, reason: "\(error)")
        }
    }
}

/// Why a training run stopped or could not start. Each case is one line for the terminal.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case invalidSettings(String)
    case runFolder(path: String, reason: String)
    /// The loss became NaN or infinite.
    case diverged(step: Int, epoch: Int, batch: Int, loss: Double, lastCheckpoint: String?)
    case notATrainingCheckpoint(path: String, missing: String)
    case runExists(path: String)
    /// A checkpoint evaluated on data whose classes (or their order) are not the ones it learned.
    case classesDiffer(path: String, checkpoint: [String], data: String, dataset: [String])

    public var description: String {
        switch self {
        case .invalidSettings(let message): message
        case let .runFolder(path, reason): "\(path): \(reason)"
        case let .diverged(step, epoch, batch, loss, last):
            "training diverged at step \(step) (epoch \(epoch), batch \(batch)): the loss is \(loss). "
                + (last.map { "The last good checkpoint is \($0). " } ?? "No checkpoint was written yet. ")
                + "Try a smaller --lr, or warm-up (--warmup 1)."
        case let .notATrainingCheckpoint(path, missing):
            "\(path) is not a Fovea training checkpoint (its metadata has no \(missing))"
        case .runExists(let path):
            "\(path) already holds a run (last.safetensors): continue it with --resume \(path), or choose another --out"
        case let .classesDiffer(path, checkpoint, data, dataset):
            "\(path) learned \(checkpoint.count) classes that are not \(data)'s \(dataset.count) in the same order ("
                + Self.firstDifference(checkpoint, dataset) + "): evaluate it on the data it was trained on"
        }
    }

    /// Where two class lists first part: "class 3 is 'cat' in the checkpoint, 'dog' in the data".
    static func firstDifference(_ checkpoint: [String], _ dataset: [String]) -> String {
        let i = zip(checkpoint, dataset).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(checkpoint.count, dataset.count)
        func name(_ list: [String]) -> String { i < list.count ? "'\(list[i])'" : "none" }
        return "class \(i) is \(name(checkpoint)) in the checkpoint, \(name(dataset)) in the data"
    }
}
