// Saving and loading a module's named tensors (its state dict) as safetensors.

extension Module {
    /// Writes every parameter and buffer, by its PyTorch-style name, to a safetensors file
    /// (atomically: a temporary file renamed over `path`).
    public func save(to path: String, metadata: [String: String] = [:]) throws {
        var tensors: [String: Tensor] = [:]
        for (name, t) in stateDict() { tensors[name] = t }
        try Safetensors.write(tensors, metadata: metadata, to: path)
    }

    /// Loads parameters and buffers saved by ``save(to:metadata:)`` (or by PyTorch's safetensors
    /// tools under the same names).
    ///
    /// - Throws: ``CheckpointError`` naming the file and the first mismatching tensor with both
    ///   shapes; the model is unchanged then.
    @discardableResult
    public func load(from path: String, strict: Bool = true) throws -> [String: String] {
        let (tensors, metadata) = try Safetensors.read(path)
        try loadStateDict(tensors, strict: strict, source: path)
        return metadata
    }
}
