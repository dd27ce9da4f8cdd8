import Foundation
import Fovea
import FoveaData
import FoveaModels

/// Where a run stands: what a resume needs besides the tensors.
public struct TrainingProgress: Codable, Equatable, Sendable {
    /// Epochs completed (the next epoch to run, 0-based).
    public var epochsDone = 0
    /// Optimizer steps taken (the schedule's position).
    public var step = 0
    /// Compute seconds so far, summed over segments.
    public var wallSeconds = 0.0
    /// The best validation accuracy so far and its epoch (1-based), with a validation split.
    public var bestValidationAccuracy: Double?
    public var bestEpoch: Int?
    public init() {}
}

/// A checkpoint of a run, as one safetensors file:
///
/// - the model's state dict under its own names (`conv1.weight`, `bn1.running_mean`, …), so the
///   file loads as a plain state dict too;
/// - the optimizer's state under `optimizer.` (`optimizer.momentum_buffer.conv1.weight`);
/// - metadata: `fovea.model` (the ``ModelSpec``), `fovea.classes` (class names), `fovea.input` (`[C, H, W]`),
///   `fovea.transform` (the evaluation ``ImageTransform``), `fovea.settings` (the run's
///   ``TrainingSettings``) and `fovea.progress` (``TrainingProgress``), each JSON.
///
/// The data order needs no entry of its own: every batch is drawn from (seed, epoch, batch index)
/// (see ``DataLoader``), and the seed is in the settings. `eval`, `predict`, `filters` and
/// `features` read the model, classes and transform and ignore the rest.
public struct TrainingCheckpoint {
    public var model: ModelSpec
    public var classNames: [String]
    /// How evaluation prepares an image (normalisation only).
    public var transform: ImageTransform
    /// The input one image must have: `[C, H, W]` (`[3, 32, 32]` for CIFAR-10).
    public var inputShape: [Int] = [3, 32, 32]
    /// The run's settings and progress; `nil` in a checkpoint that only holds a model.
    public var settings: TrainingSettings?
    public var progress: TrainingProgress?
    /// Model tensors by state-dict name.
    public var modelState: [String: Tensor]
    /// Optimizer tensors by name, without the `optimizer.` prefix.
    public var optimizerState: [String: Tensor]

    static let optimizerPrefix = "optimizer."

    public init(model: ModelSpec, classNames: [String], transform: ImageTransform, settings: TrainingSettings?,
                progress: TrainingProgress?, modelState: [String: Tensor], optimizerState: [String: Tensor]) {
        (self.model, self.classNames, self.transform, self.settings, self.progress) = (model, classNames, transform, settings, progress)
        (self.modelState, self.optimizerState) = (modelState, optimizerState)
    }

    /// Writes the checkpoint atomically (a temporary file renamed over `path`).
    public func write(to path: String) throws {
        var tensors = modelState
        for (name, tensor) in optimizerState { tensors[Self.optimizerPrefix + name] = tensor }
        var metadata = ["fovea.model": try json(model), "fovea.classes": try json(classNames), "fovea.transform": try json(transform),
                        "fovea.input": try json(inputShape), "format": "pt"]
        if let settings { metadata["fovea.settings"] = try json(settings) }
        if let progress { metadata["fovea.progress"] = try json(progress) }
        try Safetensors.write(tensors, metadata: metadata, to: path)
    }

    /// Reads a checkpoint written by ``write(to:)``.
    ///
    /// - Throws: `CheckpointError` for an unreadable or malformed file, ``TrainingError`` when its
    ///   metadata lacks the model, classes or transform; each names the file.
    public static func read(_ path: String) throws -> TrainingCheckpoint {
        let (tensors, metadata) = try Safetensors.read(path)
        func decode<T: Decodable>(_ key: String, _ type: T.Type) throws -> T {
            guard let text = metadata[key] else { throw TrainingError.notATrainingCheckpoint(path: path, missing: key) }
            do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
                throw CheckpointError.malformed(path: path, reason: "its \(key) metadata is not valid: \(error)")
            }
        }
        var modelState: [String: Tensor] = [:], optimizerState: [String: Tensor] = [:]
        for (name, tensor) in tensors {
            if name.hasPrefix(optimizerPrefix) { optimizerState[String(name.dropFirst(optimizerPrefix.count))] = tensor } else { modelState[name] = tensor }
        }
        var checkpoint = TrainingCheckpoint(
            model: try decode("fovea.model", ModelSpec.self), classNames: try decode("fovea.classes", [String].self),
            transform: try decode("fovea.transform", ImageTransform.self),
            settings: metadata["fovea.settings"] == nil ? nil : try decode("fovea.settings", TrainingSettings.self),
            progress: metadata["fovea.progress"] == nil ? nil : try decode("fovea.progress", TrainingProgress.self),
            modelState: modelState, optimizerState: optimizerState)
        if metadata["fovea.input"] != nil { checkpoint.inputShape = try decode("fovea.input", [Int].self) }
        return checkpoint
    }

    /// Builds the model the checkpoint names and loads its tensors (in evaluation mode).
    public func makeModel(source: String) throws -> any Module {
        var rng = SplitMix64(seed: 0)
        let module = try ModelCatalog.make(model, using: &rng)
        try module.loadStateDict(modelState, source: source)
        module.eval()
        return module
    }

    /// Throws unless `names` (the classes of the data about to be evaluated, in label order) are the
    /// checkpoint's own: a model trained on other classes, or on the same ones in another order,
    /// would be scored against the wrong labels without a word.
    ///
    /// - Parameters:
    ///   - source: the checkpoint's path, and `data`: what the names come from, both for the message.
    public func requireClasses(_ names: [String], of data: String, source: String) throws {
        guard names != classNames else { return }
        throw TrainingError.classesDiffer(path: source, checkpoint: classNames, data: data, dataset: names)
    }

    private func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
