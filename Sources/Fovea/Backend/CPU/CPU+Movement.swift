// Movement kernels: permute, concatenate, slice and index select. Every tensor is contiguous, so each of these
// is a copy that reads the source in a new order.

extension CPUBackend {
    public func permute(_ x: Tensor, _ dims: [Int]) -> Tensor {
        require(dims.sorted() == Array(0..<x.rank), "permute: \(dims) is not a permutation of the axes of shape \(x.shape)")
        let shape = dims.map { x.shape[$0] }
        let out = Tensor(uninitialized: shape, dtype: x.dtype)
        let own = contiguousStrides(x.shape)
        let strides = dims.map { own[$0] }  // source stride along each output axis
        let size = x.dtype.size
        let src = x.storage.pointer, dst = out.storage.pointer
        let rank = shape.count
        guard rank > 0, out.count > 0 else {
            if out.count > 0 { dst.copyMemory(from: src, byteCount: size) }
            return out
        }
        let inner = shape[rank - 1], step = strides[rank - 1]
        let rows = out.count / inner
        func copyRows<T>(_: T.Type) {
            let s = src.assumingMemoryBound(to: T.self), d = dst.assumingMemoryBound(to: T.self)
            parallelFor(rows, grain: max(1, elementwiseGrain / inner)) { r in
                for row in r {
                    var rest = row, offset = 0
                    for axis in stride(from: rank - 2, through: 0, by: -1) {
                        offset += (rest % shape[axis]) * strides[axis]
                        rest /= shape[axis]
                    }
                    for j in 0..<inner { d[row * inner + j] = s[offset + j * step] }
                }
            }
        }
        if size == 4 { copyRows(Float.self) } else { copyRows(Double.self) }  // int64 moves as 8-byte words
        return out
    }

    public func concat(_ tensors: [Tensor], axis: Int) -> Tensor {
        let first = tensors[0]
        var shape = first.shape
        shape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        let out = Tensor(zeros: shape, dtype: first.dtype)
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let size = first.dtype.size
        var offset = 0  // elements into each output block
        for t in tensors {
            let block = t.shape[axis] * inner
            for o in 0..<outer {
                (out.storage.pointer + (o * shape[axis] * inner + offset) * size)
                    .copyMemory(from: t.storage.pointer + o * block * size, byteCount: block * size)
            }
            offset += block
        }
        return out
    }

    public func slice(_ x: Tensor, axis: Int, range: Range<Int>) -> Tensor {
        var shape = x.shape
        shape[axis] = range.count
        let out = Tensor(uninitialized: shape, dtype: x.dtype)
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let size = x.dtype.size
        for o in 0..<outer {
            (out.storage.pointer + o * range.count * inner * size)
                .copyMemory(from: x.storage.pointer + (o * x.shape[axis] + range.lowerBound) * inner * size,
                            byteCount: range.count * inner * size)
        }
        return out
    }

    public func sliceBackward(_ dOut: Tensor, shape: [Int], axis: Int, range: Range<Int>) -> Tensor {
        let out = Tensor(zeros: shape, dtype: dOut.dtype)
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let size = dOut.dtype.size
        for o in 0..<outer {
            (out.storage.pointer + (o * shape[axis] + range.lowerBound) * inner * size)
                .copyMemory(from: dOut.storage.pointer + o * range.count * inner * size, byteCount: range.count * inner * size)
        }
        return out
    }

    public func subsampleZeroPad(_ x: Tensor, stride: Int, before: Int, after: Int) -> Tensor {
        let (N, C, H, W) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (OH, OW) = ((H + stride - 1) / stride, (W + stride - 1) / stride), K = before + C + after
        let out = Tensor(uninitialized: [N, K, OH, OW], dtype: x.dtype)
        func pick<T: FloatElement>(_: T.Type) {
            let src = x.pointer(T.self), dst = out.pointer(T.self)
            parallelFor(N * K, grain: 8) { planes in
                for plane in planes {
                    let o = dst + plane * OH * OW, c = plane % K - before
                    guard c >= 0 && c < C else { o.update(repeating: 0, count: OH * OW); continue }
                    let xp = src + ((plane / K) * C + c) * H * W
                    for i in 0..<OH {
                        for j in 0..<OW { o[i * OW + j] = xp[i * stride * W + j * stride] }
                    }
                }
            }
        }
        switch x.dtype {
        case .float32: pick(Float.self)
        case .float64: pick(Double.self)
        case .int64: requirementFailed("subsampledZeroPadded is not defined for int64 tensors")
        }
        return out
    }

    public func subsampleZeroPadBackward(_ dOut: Tensor, inputShape: [Int], stride: Int, before: Int) -> Tensor {
        let (N, C, H, W) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (K, OH, OW) = (dOut.shape[1], dOut.shape[2], dOut.shape[3])
        let dx = Tensor(zeros: inputShape, dtype: dOut.dtype)
        func scatter<T: FloatElement>(_: T.Type) {
            let src = dOut.pointer(T.self), dst = dx.pointer(T.self)
            parallelFor(N * C, grain: 8) { planes in
                for plane in planes {
                    let g = src + ((plane / C) * K + before + plane % C) * OH * OW, xp = dst + plane * H * W
                    for i in 0..<OH {
                        for j in 0..<OW { xp[i * stride * W + j * stride] = g[i * OW + j] }
                    }
                }
            }
        }
        switch dOut.dtype {
        case .float32: scatter(Float.self)
        case .float64: scatter(Double.self)
        case .int64: requirementFailed("subsampledZeroPadded is not defined for int64 tensors")
        }
        return dx
    }

    /// Must equal `indexSelectReference` (Ops/IndexSelect.swift). Each picked slice is one
    /// contiguous block of `inner` elements, copied whole; output blocks are split across threads.
    public func indexSelect(_ x: Tensor, axis: Int, indices: [Int]) -> Tensor {
        var shape = x.shape
        shape[axis] = indices.count
        let out = Tensor(uninitialized: shape, dtype: x.dtype)
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let bytes = inner * x.dtype.size, sourceAxis = x.shape[axis]
        let src = x.storage.pointer, dst = out.storage.pointer
        let blocks = outer * indices.count
        guard blocks > 0, bytes > 0 else { return out }
        parallelFor(blocks, grain: max(1, elementwiseGrain / max(inner, 1))) { range in
            for block in range {
                let o = block / indices.count, i = block % indices.count
                (dst + block * bytes).copyMemory(from: src + (o * sourceAxis + indices[i]) * bytes, byteCount: bytes)
            }
        }
        return out
    }

    /// Must equal `indexSelectBackwardReference`. Each output block (one `o`) is summed by one
    /// thread, in the order of `indices`, so repeated indices add up the same way on any thread count.
    public func indexSelectBackward(_ dOut: Tensor, shape: [Int], axis: Int, indices: [Int]) -> Tensor {
        let out = Tensor(zeros: shape, dtype: dOut.dtype)
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        func scatter<T: BinaryFloatingPoint>(_: T.Type) {
            let d = out.storage.pointer.assumingMemoryBound(to: T.self)
            let g = dOut.storage.pointer.assumingMemoryBound(to: T.self)
            parallelFor(outer, grain: 1) { range in
                for o in range {
                    for (i, index) in indices.enumerated() {
                        let target = d + (o * shape[axis] + index) * inner
                        let source = g + (o * indices.count + i) * inner
                        for k in 0..<inner { target[k] += source[k] }
                    }
                }
            }
        }
        switch dOut.dtype {
        case .float32: scatter(Float.self)
        case .float64: scatter(Double.self)
        case .int64: requirementFailed("indexSelect backward is not defined for int64 tensors")
        }
        return out
    }
}
