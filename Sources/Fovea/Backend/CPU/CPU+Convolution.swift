// conv2d forward and backward on the CPU: im2col + one gemm per chunk of images and group.
// Must equal Ops/Convolution.swift's conv2dReference / conv2dBackwardReference (tested).
//
// Shapes: x [N, C, H, W], weight [K, C/g, R, S], out [N, K, OH, OW]; P = OH·OW, per group Cg = C/g,
// Kg = K/g. For a chunk of nb images:
//   forward   Y[Kg, nb·P]  = W_g[Kg, Cg·R·S] · col[Cg·R·S, nb·P]          then Y → out[n, k, p]
//   backward  dW_g        += dY[Kg, nb·P] · colᵀ                             (chunks in a fixed order)
//             dCol        = W_gᵀ · dY,  dx += col2im(dCol)
//             dBias[k]    = Σ_{n,p} dOut[n, k, p]

/// Elements of the column buffer per chunk: big enough for an efficient gemm, small enough to stay
/// near the caches.
let im2colChunkElements = 1 << 20

/// Output positions per image from which the forward pass runs one product per image (written in
/// place) rather than one per chunk (followed by a copy).
let perImageGemmPositions = 64

/// Images per partial sum of the weight gradient on the per-image path (fixed, so that the sum
/// does not depend on the thread count).
let weightGradientGroup = 8

extension CPUBackend {
    public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, _ p: Conv2dParameters) -> Tensor {
        switch x.dtype {
        case .float32: conv2dKernel(x, weight, bias, p, Float.self)
        case .float64: conv2dKernel(x, weight, bias, p, Double.self)
        case .int64: preconditionFailure("conv2d is not defined for int64 tensors")
        }
    }

    public func conv2dBackward(_ dOut: Tensor, x: Tensor, weight: Tensor, _ p: Conv2dParameters,
                               needInput: Bool, needWeight: Bool, needBias: Bool) -> (dInput: Tensor?, dWeight: Tensor?, dBias: Tensor?) {
        switch x.dtype {
        case .float32: conv2dBackwardKernel(dOut, x, weight, p, needInput, needWeight, needBias, Float.self)
        case .float64: conv2dBackwardKernel(dOut, x, weight, p, needInput, needWeight, needBias, Double.self)
        case .int64: preconditionFailure("conv2d is not defined for int64 tensors")
        }
    }

    /// Images per chunk so that the column buffer holds about `im2colChunkElements`.
    func imagesPerChunk(_ geo: ConvGeometry) -> Int {
        max(1, min(geo.batch, im2colChunkElements / max(1, geo.columnRows * geo.positions)))
    }

    func conv2dKernel<T: FloatElement>(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ p: Conv2dParameters, _: T.Type) -> Tensor {
        let geo = ConvGeometry(input: x.shape, weight: weight.shape, p)
        if let bias { precondition(bias.shape == [geo.kernels], "conv2d: bias \(bias.shape) does not match \(geo.kernels) output channels") }
        let out = Tensor(uninitialized: geo.outputShape, dtype: x.dtype)
        let P = geo.positions, Kg = geo.groupKernels, CRS = geo.columnRows
        let xs = x.pointer(T.self), w = weight.pointer(T.self), o = out.pointer(T.self)
        let b = bias?.pointer(T.self)
        if P >= perImageGemmPositions {
            // Images are independent: each thread takes whole images, builds one image's columns
            // in its own buffer (small enough to stay in cache) and multiplies them straight into
            // out[n, g·Kg ..< (g+1)·Kg, :].
            parallelFor(geo.batch) { images in
                let col = UnsafeMutablePointer<T>.allocate(capacity: CRS * P)
                defer { col.deallocate() }
                for n in images {
                    for g in 0..<geo.p.groups {
                        im2col(xs, col, geo, n0: n, nb: 1, group: g, parallel: false)
                        gemmCall(false, false, Kg, P, CRS, 1, w + g * Kg * CRS, CRS, col, P, 0,
                                 o + (n * geo.kernels + g * Kg) * P, P, dtype: x.dtype)
                    }
                }
            }
        } else {
            // Small images: one product per chunk of images, then Y[k, n·P + p] → out[n0 + n, g·Kg + k, p].
            let chunk = imagesPerChunk(geo)
            let col = UnsafeMutablePointer<T>.allocate(capacity: CRS * chunk * P)
            let y = UnsafeMutablePointer<T>.allocate(capacity: Kg * chunk * P)
            defer { col.deallocate(); y.deallocate() }
            for n0 in stride(from: 0, to: geo.batch, by: chunk) {
                let nb = min(chunk, geo.batch - n0)
                for g in 0..<geo.p.groups {
                    im2col(xs, col, geo, n0: n0, nb: nb, group: g)
                    gemm(false, false, Kg, nb * P, CRS, 1, w + g * Kg * CRS, CRS, col, nb * P, 0, y, nb * P, dtype: x.dtype)
                    parallelFor(Kg * nb) { r in
                        for item in r {
                            let k = item / nb, n = item % nb
                            (o + ((n0 + n) * geo.kernels + g * Kg + k) * P).update(from: y + k * nb * P + n * P, count: P)
                        }
                    }
                }
            }
        }
        if let b {
            parallelFor(geo.batch * geo.kernels) { planes in
                for plane in planes {
                    let bk = b[plane % geo.kernels], dst = o + plane * P
                    for i in 0..<P { dst[i] += bk }
                }
            }
        }
        return out
    }

    func conv2dBackwardKernel<T: FloatElement>(_ dOut: Tensor, _ x: Tensor, _ weight: Tensor, _ p: Conv2dParameters,
                                               _ needInput: Bool, _ needWeight: Bool, _ needBias: Bool, _: T.Type)
        -> (dInput: Tensor?, dWeight: Tensor?, dBias: Tensor?) {
        let geo = ConvGeometry(input: x.shape, weight: weight.shape, p)
        precondition(dOut.shape == geo.outputShape, "conv2d backward: dOut \(dOut.shape) does not match output \(geo.outputShape)")
        let P = geo.positions, Kg = geo.groupKernels, CRS = geo.columnRows
        let dInput = needInput ? Tensor(zeros: x.shape, dtype: x.dtype) : nil
        let dWeight = needWeight ? Tensor(zeros: weight.shape, dtype: x.dtype) : nil
        var dBias: Tensor?
        let d = dOut.pointer(T.self)
        if needBias {
            let db = Tensor(zeros: [geo.kernels], dtype: x.dtype)
            let dbp = db.pointer(T.self)
            parallelFor(geo.kernels) { r in
                for k in r {
                    var s: T = 0
                    for n in 0..<geo.batch {
                        let src = d + (n * geo.kernels + k) * P
                        for i in 0..<P { s += src[i] }
                    }
                    dbp[k] = s
                }
            }
            dBias = db
        }
        guard needInput || needWeight else { return (nil, nil, dBias) }
        let xs = x.pointer(T.self), w = weight.pointer(T.self)
        let inputPerImage = P >= perImageGemmPositions
        if let dInput, inputPerImage {
            // Each thread takes whole images: dCol = W_gᵀ · dOut[n, group g] in its own buffer,
            // then col2im into dx[n], which no other thread touches.
            parallelFor(geo.batch) { images in
                let col = UnsafeMutablePointer<T>.allocate(capacity: CRS * P)
                defer { col.deallocate() }
                for n in images {
                    for g in 0..<geo.p.groups {
                        gemmCall(true, false, CRS, P, Kg, 1, w + g * Kg * CRS, CRS, d + (n * geo.kernels + g * Kg) * P, P, 0,
                                 col, P, dtype: x.dtype)
                        col2im(col, dInput.pointer(T.self), geo, n0: n, nb: 1, group: g, parallel: false)
                    }
                }
            }
        }
        if let dWeight, inputPerImage {
            // dW = Σ_n dOut[n] · col_nᵀ. Images are summed in fixed groups of `weightGradientGroup`
            // (one thread per group, each image's columns built in that thread's buffer), then the
            // group sums are added in order: the same sums whatever the thread count.
            let groups = (geo.batch + weightGradientGroup - 1) / weightGradientGroup
            let size = geo.kernels * CRS
            let partial = UnsafeMutablePointer<T>.allocate(capacity: groups * size)
            defer { partial.deallocate() }
            parallelFor(groups) { range in
                let col = UnsafeMutablePointer<T>.allocate(capacity: CRS * P)
                defer { col.deallocate() }
                for group in range {
                    let sum = partial + group * size
                    for n in (group * weightGradientGroup)..<min(geo.batch, (group + 1) * weightGradientGroup) {
                        for g in 0..<geo.p.groups {
                            im2col(xs, col, geo, n0: n, nb: 1, group: g, parallel: false)
                            gemmCall(false, true, Kg, CRS, P, 1, d + (n * geo.kernels + g * Kg) * P, P, col, P,
                                     n == group * weightGradientGroup ? 0 : 1, sum + g * Kg * CRS, CRS, dtype: x.dtype)
                        }
                    }
                }
            }
            let dw = dWeight.pointer(T.self)
            parallelFor(size, grain: 4096) { elements in
                for i in elements {
                    var total: T = 0
                    for group in 0..<groups { total += partial[group * size + i] }
                    dw[i] = total
                }
            }
        }
        guard (needWeight && !inputPerImage) || (needInput && !inputPerImage) else { return (dInput, dWeight, dBias) }
        let chunk = imagesPerChunk(geo)
        let col = UnsafeMutablePointer<T>.allocate(capacity: CRS * chunk * P)
        let dy = UnsafeMutablePointer<T>.allocate(capacity: Kg * chunk * P)
        defer { col.deallocate(); dy.deallocate() }
        for n0 in stride(from: 0, to: geo.batch, by: chunk) {
            let nb = min(chunk, geo.batch - n0)
            for g in 0..<geo.p.groups {
                // dOut[n0 + n, g·Kg + k, p] → dY[k, n·P + p]
                parallelFor(Kg * nb) { r in
                    for item in r {
                        let k = item / nb, n = item % nb
                        (dy + k * nb * P + n * P).update(from: d + ((n0 + n) * geo.kernels + g * Kg + k) * P, count: P)
                    }
                }
                if let dWeight, !inputPerImage {
                    im2col(xs, col, geo, n0: n0, nb: nb, group: g)
                    gemm(false, true, Kg, CRS, nb * P, 1, dy, nb * P, col, nb * P, n0 == 0 ? 0 : 1,
                         dWeight.pointer(T.self) + g * Kg * CRS, CRS, dtype: x.dtype)
                }
                if let dInput, !inputPerImage {
                    gemm(true, false, CRS, nb * P, Kg, 1, w + g * Kg * CRS, CRS, dy, nb * P, 0, col, nb * P, dtype: x.dtype)
                    col2im(col, dInput.pointer(T.self), geo, n0: n0, nb: nb, group: g)
                }
            }
        }
        return (dInput, dWeight, dBias)
    }
}
