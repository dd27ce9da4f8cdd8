// Movement ops: same elements, new shape or order. Their backward moves the gradient back.
//
//   reshaped       forward: same storage, new shape     backward: dOut reshaped to the input shape
//   permuted(d)    forward: out axis i = input axis d[i] backward: permute by the inverse of d
//   concatenated   forward: join along an axis           backward: slice dOut back into pieces
//   sliced         forward: indices lo..<hi of an axis   backward: dOut written into zeros

extension Tensor {
    /// The same elements with a new shape (a view: no copy). One dimension may be -1 (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var target = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != unknown }.reduce(1) { $0 * $1.element }
            require(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            target[unknown] = count / known
        }
        require(target.reduce(1, *) == count,
                "cannot reshape \(shape) (\(count) elements) to \(newShape) (\(target.reduce(1, *)) elements)")
        let out = Tensor(shape: target, storage: storage)
        return Tensor.record(out, "reshape", [self]) { [shape] dOut in [Tensor(shape: shape, storage: dOut.storage)] }
    }

    /// Collapses axes `startAxis...` into one: `[N, C, H, W] → [N, C·H·W]` by default.
    public func flattened(startAxis: Int = 1) -> Tensor {
        let a = normalizedAxis(startAxis)
        return reshaped(Array(shape[..<a]) + [shape[a...].reduce(1, *)])
    }

    /// The axes reordered: `out.shape[i] == shape[dims[i]]`.
    public func permuted(_ dims: [Int]) -> Tensor {
        let dims = dims.map { normalizedAxis($0) }
        let out = backend.permute(self, dims)
        var inverse = [Int](repeating: 0, count: dims.count)
        for (i, d) in dims.enumerated() { inverse[d] = i }
        return Tensor.record(out, "permute", [self]) { [backend] dOut in [backend.permute(dOut, inverse)] }
    }

    /// A matrix's transpose (the last two axes swapped for higher ranks).
    public func transposed() -> Tensor {
        require(rank >= 2, "transposed() needs at least 2 dimensions, got \(shape)")
        var dims = Array(0..<rank)
        dims.swapAt(rank - 1, rank - 2)
        return permuted(dims)
    }

    /// Indices `range` along `axis` (a copy). `x.sliced(0..<32)` takes the first 32 images of a batch.
    public func sliced(_ range: Range<Int>, axis: Int = 0) -> Tensor {
        let a = normalizedAxis(axis)
        require(range.lowerBound >= 0 && range.upperBound <= shape[a],
                "slice \(range) is out of bounds for axis \(a) of shape \(shape)")
        let out = backend.slice(self, axis: a, range: range)
        return Tensor.record(out, "slice", [self]) { [backend, shape] dOut in
            [backend.sliceBackward(dOut, shape: shape, axis: a, range: range)]
        }
    }

    /// Entry `index` along the first axis, with that axis removed: `images[0]` is the first
    /// image of a batch (`[C, H, W]`). Negative indices count from the end. Differentiable.
    /// (Several indices, `t[i, j]`, read one element as a `Double` instead.)
    public subscript(_ index: Int) -> Tensor {
        require(rank >= 1, "cannot index a 0-dimensional tensor")
        let i = index < 0 ? index + shape[0] : index
        require(i >= 0 && i < shape[0], "index \(index) is out of range for the first axis of shape \(shape)")
        return sliced(i..<(i + 1)).reshaped(Array(shape.dropFirst()))
    }

    /// Joins tensors along `axis`; their other dimensions must agree.
    public static func concatenated(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        require(!tensors.isEmpty, "concatenated needs at least one tensor")
        let a = tensors[0].normalizedAxis(axis)
        for t in tensors {
            var s = t.shape, f = tensors[0].shape
            require(s.count == f.count, "concatenated: shapes \(f) and \(t.shape) have different ranks")
            s[a] = 0; f[a] = 0
            require(s == f && t.dtype == tensors[0].dtype,
                    "concatenated: shapes \(tensors[0].shape) and \(t.shape) differ outside axis \(a)")
        }
        let out = tensors[0].backend.concat(tensors, axis: a)
        return Tensor.record(out, "concat", tensors) { dOut in
            var start = 0
            return tensors.map { t in
                defer { start += t.shape[a] }
                return t.backend.slice(dOut, axis: a, range: start..<(start + t.shape[a]))
            }
        }
    }
}
