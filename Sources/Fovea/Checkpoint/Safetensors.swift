import Foundation

// The safetensors format (used by PyTorch and the Hugging Face tools):
//
//   [8 bytes: N, little-endian UInt64] [N bytes: JSON header] [tensor data, little-endian]
//
// The header maps each tensor name to {"dtype": "F32" | "F64" | "I64", "shape": [...],
// "data_offsets": [begin, end]} (byte offsets into the data block), plus an optional
// "__metadata__" object of string → string. Fovea writes names sorted and pads the header with
// spaces to a multiple of 8 bytes.

/// A problem with a checkpoint or fixture file. Every case names the file.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case missingTensor(name: String, path: String)
    case unexpectedTensor(name: String, path: String)
    case shapeMismatch(name: String, model: [Int], checkpoint: [Int], path: String)
    case dtypeMismatch(name: String, model: DType, checkpoint: String, path: String)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "cannot read \(path): \(reason)"
        case let .malformed(path, reason): "\(path) is not a valid safetensors file: \(reason)"
        case let .missingTensor(name, path): "\(path) has no tensor named '\(name)', which the model needs"
        case let .unexpectedTensor(name, path): "\(path) has a tensor '\(name)' that the model does not have"
        case let .shapeMismatch(name, model, checkpoint, path):
            "tensor '\(name)' has shape \(checkpoint) in \(path) but \(model) in the model"
        case let .dtypeMismatch(name, model, checkpoint, path):
            "tensor '\(name)' is \(checkpoint) in \(path) but \(model.safetensorsName) in the model"
        case let .unwritable(path, reason): "cannot write \(path): \(reason)"
        }
    }
}

/// Reading and writing named tensors in the safetensors format.
public enum Safetensors {
    /// The tensors of a file, by name, and its `__metadata__`.
    public static func read(_ path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file"
            throw CheckpointError.unreadable(path: path, reason: reason)
        }
        return try decode(data, path: path)
    }

    /// Decodes a safetensors file's bytes; `path` names it in errors.
    public static func decode(_ data: Data, path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard data.count >= 8 else { throw CheckpointError.malformed(path: path, reason: "only \(data.count) bytes, shorter than the 8-byte header size") }
        let headerSize = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerSize <= UInt64(data.count - 8) else {
            throw CheckpointError.malformed(path: path, reason: "header size \(headerSize) exceeds the file size \(data.count)")
        }
        let headerEnd = 8 + Int(headerSize)
        let headerBytes = data.subdata(in: 8..<headerEnd)
        guard let header = try? JSONSerialization.jsonObject(with: headerBytes) as? [String: Any] else {
            throw CheckpointError.malformed(path: path, reason: "the header is not a JSON object")
        }
        let body = data.count - headerEnd
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                metadata = (value as? [String: String]) ?? [:]
                continue
            }
            guard let entry = value as? [String: Any], let dtypeName = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else { throw CheckpointError.malformed(path: path, reason: "entry '\(name)' lacks dtype, shape or data_offsets") }
            guard let dtype = [DType.float32, .float64, .int64].first(where: { $0.safetensorsName == dtypeName }) else {
                throw CheckpointError.malformed(path: path, reason: "tensor '\(name)' has dtype \(dtypeName); Fovea reads F32, F64 and I64")
            }
            let count = shape.reduce(1, *)
            guard offsets[0] >= 0, offsets[1] <= body, offsets[1] - offsets[0] == count * dtype.size else {
                throw CheckpointError.malformed(path: path, reason: "tensor '\(name)' (shape \(shape), \(dtypeName)) has data_offsets \(offsets) that do not fit its size or the file")
            }
            let tensor = Tensor(zeros: shape, dtype: dtype)
            data.withUnsafeBytes { raw in
                tensor.storage.pointer.copyMemory(from: raw.baseAddress! + headerEnd + offsets[0], byteCount: count * dtype.size)
            }
            tensor.label = name
            tensors[name] = tensor
        }
        return (tensors, metadata)
    }

    /// The bytes of a safetensors file holding `tensors` (sorted by name) and `metadata`.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            let bytes = t.count * t.dtype.size
            header[name] = ["dtype": t.dtype.safetensorsName, "shape": t.shape, "data_offsets": [offset, offset + bytes]] as [String: Any]
            offset += bytes
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var data = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for name in names {
            let t = tensors[name]!
            data.append(Data(bytes: t.storage.pointer, count: t.count * t.dtype.size))
        }
        return data
    }

    /// Writes a safetensors file atomically: to a temporary file beside `path`, then renamed over
    /// it, so a crash never leaves a half-written checkpoint. Creates missing folders.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to path: String) throws {
        let data = try encode(tensors, metadata: metadata)
        try writeAtomically(data, to: path)
    }
}

/// Writes `data` to a temporary file in the destination's folder, then renames it over `path`.
public func writeAtomically(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
        throw CheckpointError.unwritable(path: path, reason: "cannot create folder \(folder.path): \(error.localizedDescription)")
    }
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    guard FileManager.default.createFile(atPath: temporary.path, contents: data) else {
        throw CheckpointError.unwritable(path: path, reason: "cannot create \(temporary.path)")
    }
    if rename(temporary.path, path) != 0 {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw CheckpointError.unwritable(path: path, reason: reason)
    }
}
