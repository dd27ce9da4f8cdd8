// Index select (PyTorch's `index_select`): whole slices of one axis, picked by index, in any order
// and with repeats. A data loader builds each batch with it: `images.indexSelect(batchIndices)`
// copies the chosen images in one pass, with no per-image slicing and concatenating.
//
// Shapes, for `axis` = a:   x: [d₀, …, D, …],  indices: [n] (each in 0..<D),  out: [d₀, …, n, …]
//
//   forward:   out[…, i, …] = x[…, indices[i], …]
//   backward:  dX[…, j, …] = Σ_{i : indices[i] = j} dOut[…, i, …]
//
// The backward is the adjoint of the forward: a scatter-add. An index that appears twice receives
// the sum of both gradients; an index never picked receives zero. Sums run in the order of
// `indices`, so the result does not depend on the thread count.

extension Tensor {
    /// The slices `indices` of `axis`, in that order: `x.indexSelect([3, 0, 3])` is a batch of
    /// images 3, 0 and 3 of `x` (shape `[3, …]`). Works on Float32, Float64 and Int64 tensors;
    /// differentiable for floating-point ones.
    ///
    /// - Precondition: every index is in `0..<shape[axis]`.
    public func indexSelect(_ indices: [Int], axis: Int = 0) -> Tensor {
        let a = normalizedAxis(axis)
        let size = shape[a]
        for index in indices where index < 0 || index >= size {
            requirementFailed("indexSelect: index \(index) is out of range for axis \(a) of shape \(shape)")
        }
        let out = backend.indexSelect(self, axis: a, indices: indices)
        return Tensor.record(out, "indexSelect", [self]) { [shape, backend] dOut in
            [backend.indexSelectBackward(dOut, shape: shape, axis: a, indices: indices)]
        }
    }
}

/// The plain-loop reference that the backend's `indexSelect` must equal (element by element).
public func indexSelectReference(_ x: Tensor, _ indices: [Int], axis: Int) -> Tensor {
    let a = x.normalizedAxis(axis)
    var shape = x.shape
    shape[a] = indices.count
    let outer = x.shape[..<a].reduce(1, *), inner = x.shape[(a + 1)...].reduce(1, *)
    let values = x.doubles
    var out = [Double](repeating: 0, count: outer * indices.count * inner)
    for o in 0..<outer {
        for (i, index) in indices.enumerated() {
            for k in 0..<inner {
                out[(o * indices.count + i) * inner + k] = values[(o * x.shape[a] + index) * inner + k]
            }
        }
    }
    return Tensor(shape: shape, float64: out).converted(to: x.dtype)
}

/// The plain-loop reference for the backward: `dOut` scatter-added into zeros of `shape`.
public func indexSelectBackwardReference(_ dOut: Tensor, shape: [Int], indices: [Int], axis: Int) -> Tensor {
    let a = axis < 0 ? axis + shape.count : axis
    let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
    let values = dOut.doubles
    var out = [Double](repeating: 0, count: shape.reduce(1, *))
    for o in 0..<outer {
        for (i, index) in indices.enumerated() {
            for k in 0..<inner {
                out[(o * shape[a] + index) * inner + k] += values[(o * indices.count + i) * inner + k]
            }
        }
    }
    return Tensor(shape: shape, float64: out).converted(to: dOut.dtype)
}
