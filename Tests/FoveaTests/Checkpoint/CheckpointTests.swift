import Foundation
import Fovea
import FoveaModels
import FoveaTestSupport
import Testing

@Suite("checkpoints")
struct CheckpointTests {
    func temporaryPath(_ name: String) -> String {
        TemporaryFolders.path("checkpoint") + "/" + name
    }

    @Test("save then load restores every parameter and buffer; the write leaves no temp file")
    func roundTrip() throws {
        var rng = SplitMix64(seed: 1)
        let model = ResNetCIFAR(blocksPerStage: 1, using: &rng)
        model.train()
        _ = model(Tensor.normal([2, 3, 32, 32], using: &rng))  // move the running statistics
        let path = temporaryPath("resnet8.safetensors")
        try model.save(to: path, metadata: ["epoch": "3"])
        var other = SplitMix64(seed: 2)
        let copy = ResNetCIFAR(blocksPerStage: 1, using: &other)
        let metadata = try copy.load(from: path)
        #expect(metadata["epoch"] == "3")
        for ((n1, t1), (n2, t2)) in zip(model.stateDict(), copy.stateDict()) {
            #expect(n1 == n2)
            #expect(t1.doubles == t2.doubles, "\(n1) differs after loading")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["resnet8.safetensors"])
    }

    @Test("loading a checkpoint of another model names the tensor and both shapes")
    func shapeMismatch() throws {
        var rng = SplitMix64(seed: 1)
        let small = Sequential(Linear(4, 3, using: &rng))
        let big = Sequential(Linear(5, 3, using: &rng))
        let path = temporaryPath("small.safetensors")
        try small.save(to: path)
        let before = big.stateDict().map { $0.tensor.doubles }
        #expect(throws: CheckpointError.shapeMismatch(name: "0.weight", model: [3, 5], checkpoint: [3, 4], path: path)) {
            try big.load(from: path)
        }
        #expect(big.stateDict().map { $0.tensor.doubles } == before)  // nothing changed
        let description = CheckpointError.shapeMismatch(name: "0.weight", model: [3, 5], checkpoint: [3, 4], path: path).description
        #expect(description.contains("0.weight") && description.contains("[3, 4]") && description.contains("[3, 5]") && description.contains(path))
    }

    @Test("missing and unexpected tensors are named")
    func missingAndUnexpected() throws {
        var rng = SplitMix64(seed: 1)
        let a = Sequential(Linear(2, 2, using: &rng))
        let b = Sequential(Linear(2, 2, bias: false, using: &rng))
        let pathA = temporaryPath("a.safetensors"), pathB = temporaryPath("b.safetensors")
        try a.save(to: pathA)
        try b.save(to: pathB)
        #expect(throws: CheckpointError.unexpectedTensor(name: "0.bias", path: pathA)) { try b.load(from: pathA) }
        #expect(throws: CheckpointError.missingTensor(name: "0.bias", path: pathB)) { try a.load(from: pathB) }
    }

    @Test("a truncated or missing file is a thrown error naming the file")
    func corruptFiles() throws {
        let path = temporaryPath("broken.safetensors")
        var rng = SplitMix64(seed: 1)
        let model = Sequential(Linear(8, 8, using: &rng))
        try model.save(to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count - 10).write(to: URL(fileURLWithPath: path))
        do {
            try model.load(from: path)
            Issue.record("a truncated file loaded")
        } catch let error as CheckpointError {
            guard case .malformed(let p, _) = error else { Issue.record("unexpected error \(error)"); return }
            #expect(p == path)
        }
        #expect(throws: CheckpointError.unreadable(path: "/nonexistent/x.safetensors", reason: "no such file")) {
            try model.load(from: "/nonexistent/x.safetensors")
        }
    }

    @Test("safetensors encoding: 8-byte size, JSON header padded to 8, data in name order")
    func format() throws {
        let data = try Safetensors.encode(["b": Tensor([1, 2]), "a": Tensor(shape: [1], int64: [7])])
        let size = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(size % 8 == 0)
        #expect(data.count == 8 + size + 8 + 8)
        let header = String(decoding: data[8..<(8 + size)], as: UTF8.self)
        #expect(header.contains("\"a\":{\"data_offsets\":[0,8],\"dtype\":\"I64\",\"shape\":[1]}"))
        let decoded = try Safetensors.decode(data, path: "memory")
        #expect(decoded.tensors["b"]?.scalars == [1, 2])
        #expect(decoded.tensors["a"]?.int64s == [7])
    }

    @Test("an unwritable destination throws an error naming the path")
    func unwritable() throws {
        let file = temporaryPath("plain-file")
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: file).deletingLastPathComponent().path, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file, contents: Data([1]))
        let target = file + "/model.safetensors"  // a folder that is a file
        var rng = SplitMix64(seed: 1)
        do {
            try Sequential(Linear(1, 1, using: &rng)).save(to: target)
            Issue.record("saving under a file succeeded")
        } catch let error as CheckpointError {
            #expect(error.description.contains(target))
        }
    }
}
