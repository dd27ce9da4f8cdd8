// conv2d forward and backward on the CPU: im2col + one gemm per group of images. Float32 shapes the
// direct AVX-512 kernels cover go to CPU+DirectConvolution.swift instead (phase by phase in backward).
// Must equal Ops/Convolution.swift's conv2dReference / conv2dBackwardReference (tested).
//
// Shapes: x [N, C, H, W], weight [K, C/g, R, S], out [N, K, OH, OW]; P = OH·OW, per conv group
// Cg = C/g, Kg = K/g. The batch is cut into fixed image groups of nb images (enough columns for an
// efficient product, few enough to stay in cache); each thread takes whole image groups and builds
// their columns in its own buffer:
//   forward   Y[Kg, nb·P]  = W_g[Kg, Cg·R·S] · col[Cg·R·S, nb·P]     then Y → out[n, k, p]
//   backward  dY[Kg, nb·P] ← dOut[n, k, p]
//             dW_g        += dY · colᵀ          (partial sums over fixed runs of image groups,
//                                                 added in order: independent of the thread count)
//             dCol         = W_gᵀ · dY,  dx[n] += col2im(dCol)   (each image written by one thread)
//             dBias[k]     = Σ_{n,p} dOut[n, k, p]

/// Target columns (nb·P) of one product: wide enough for OpenBLAS to run near its peak.
let convolutionColumns = 512

/// At most this many partial sums of the weight gradient (each covers a fixed run of image groups).
let weightGradientPartials = 16

extension CPUBackend {
    public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, _ p: Conv2dParameters) -> Tensor {
        conv2d(x, weight: weight, bias: bias, p, relu: false)
    }

    /// max(0, conv2d(x)): the direct kernels apply the ReLU as they store each output; im2col
    /// applies it in place afterwards.
    public func conv2dReLU(_ x: Tensor, weight: Tensor, bias: Tensor?, _ p: Conv2dParameters) -> Tensor {
        conv2d(x, weight: weight, bias: bias, p, relu: true)
    }

    func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, _ p: Conv2dParameters, relu: Bool) -> Tensor {
        switch x.dtype {
        case .float32: conv2dKernel(x, weight, bias, p, relu: relu, Float.self)
        case .float64: conv2dKernel(x, weight, bias, p, relu: relu, Double.self)
        case .int64: requirementFailed("conv2d is not defined for int64 tensors")
        }
    }

    public func conv2dBackward(_ dOut: Tensor, x: Tensor, weight: Tensor, _ p: Conv2dParameters,
                               needInput: Bool, needWeight: Bool, needBias: Bool) -> (dInput: Tensor?, dWeight: Tensor?, dBias: Tensor?) {
        switch x.dtype {
        case .float32: conv2dBackwardKernel(dOut, x, weight, p, needInput, needWeight, needBias, Float.self)
        case .float64: conv2dBackwardKernel(dOut, x, weight, p, needInput, needWeight, needBias, Double.self)
        case .int64: requirementFailed("conv2d is not defined for int64 tensors")
        }
    }

    /// Images per product: about `convolutionColumns` columns, at least one image. Fixed by the
    /// shape alone, so every thread count makes the same products.
    func imagesPerGroup(_ geo: ConvGeometry) -> Int {
        max(1, min(geo.batch, convolutionColumns / max(1, geo.positions)))
    }

    func conv2dKernel<T: FloatElement>(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ p: Conv2dParameters, relu: Bool,
                                       _: T.Type) -> Tensor {
        let geo = ConvGeometry(input: x.shape, weight: weight.shape, p)
        if let bias { require(bias.shape == [geo.kernels], "conv2d: bias \(bias.shape) does not match \(geo.kernels) output channels") }
        if T.self == Float.self && directForwardApplies(geo) { return directForward(x, weight, bias, geo, relu: relu) }
        if T.self == Float.self && directStride2ForwardApplies(geo) { return directStride2Forward(x, weight, bias, geo, relu: relu) }
        let out = Tensor(uninitialized: geo.outputShape, dtype: x.dtype)
        let P = geo.positions, Kg = geo.groupKernels, CRS = geo.columnRows, K = geo.kernels
        let xs = x.pointer(T.self), w = weight.pointer(T.self), o = out.pointer(T.self)
        let b = bias?.pointer(T.self)
        let group = imagesPerGroup(geo), groups = (geo.batch + group - 1) / group
        parallelFor(groups) { range in
            let col = UnsafeMutablePointer<T>.allocate(capacity: CRS * group * P)
            let y = UnsafeMutablePointer<T>.allocate(capacity: group > 1 ? Kg * group * P : 1)
            defer { col.deallocate(); y.deallocate() }
            for index in range {
                let n0 = index * group, nb = min(group, geo.batch - n0)
                for g in 0..<geo.p.groups {
                    im2col(xs, col, geo, n0: n0, nb: nb, group: g, parallel: false)
                    if nb == 1 {  // one image: multiply straight into out[n0, g·Kg ..< (g+1)·Kg, :]
                        gemmCall(false, false, Kg, P, CRS, 1, w + g * Kg * CRS, CRS, col, P, 0, o + (n0 * K + g * Kg) * P, P, dtype: x.dtype)
                        continue
                    }
                    gemmCall(false, false, Kg, nb * P, CRS, 1, w + g * Kg * CRS, CRS, col, nb * P, 0, y, nb * P, dtype: x.dtype)
                    for k in 0..<Kg {  // Y[k, n·P + p] → out[n0 + n, g·Kg + k, p]
                        for n in 0..<nb { (o + ((n0 + n) * K + g * Kg + k) * P).update(from: y + (k * nb + n) * P, count: P) }
                    }
                }
                if let b {
                    for plane in (n0 * K)..<((n0 + nb) * K) {
                        let bk = b[plane % K], dst = o + plane * P
                        for i in 0..<P { dst[i] += bk }
                    }
                }
                if relu {  // the same rule as the relu op: anything not above 0 (NaN too) becomes 0
                    let dst = o + n0 * K * P
                    for i in 0..<(nb * K * P) where !(dst[i] > 0) { dst[i] = 0 }
                }
            }
        }
        return out
    }

    func conv2dBackwardKernel<T: FloatElement>(_ dOut: Tensor, _ x: Tensor, _ weight: Tensor, _ p: Conv2dParameters,
                                               _ needInput: Bool, _ needWeight: Bool, _ needBias: Bool, _: T.Type)
        -> (dInput: Tensor?, dWeight: Tensor?, dBias: Tensor?) {
        let geo = ConvGeometry(input: x.shape, weight: weight.shape, p)
        require(dOut.shape == geo.outputShape, "conv2d backward: dOut \(dOut.shape) does not match output \(geo.outputShape)")
        let P = geo.positions, Kg = geo.groupKernels, CRS = geo.columnRows, K = geo.kernels
        var dBias: Tensor?
        let d = dOut.pointer(T.self)
        if needBias {
            let db = Tensor(zeros: [K], dtype: x.dtype)
            let dbp = db.pointer(T.self)
            parallelFor(K) { r in
                for k in r {  // each plane in 16 lanes (laneSum, CPU+BatchNorm.swift), planes added in order
                    var s: T = 0
                    for n in 0..<geo.batch { s += laneSum(d + (n * K + k) * P, P) }
                    dbp[k] = s
                }
            }
            dBias = db
        }
        guard needInput || needWeight else { return (nil, nil, dBias) }
        // The direct kernels take the phases where they apply and pay; im2col + sgemm the rest.
        let direct = T.self == Float.self ? directBackwardPhases(geo, needInput: needInput, needWeight: needWeight)
                                          : (input: false, weight: false)
        let fromDirect = direct.input || direct.weight
            ? directBackward(dOut, x, weight, geo, needInput: direct.input, needWeight: direct.weight) : (dInput: nil, dWeight: nil)
        let im2colInput = needInput && !direct.input, im2colWeight = needWeight && !direct.weight
        guard im2colInput || im2colWeight else { return (fromDirect.dInput, fromDirect.dWeight, dBias) }
        let dInput = im2colInput ? Tensor(zeros: x.shape, dtype: x.dtype) : nil
        let dWeight = im2colWeight ? Tensor(uninitialized: weight.shape, dtype: x.dtype) : nil
        let xs = x.pointer(T.self), w = weight.pointer(T.self)
        let group = imagesPerGroup(geo), groups = (geo.batch + group - 1) / group
        // Partial weight gradients: partial j sums image groups [j·run, (j+1)·run) in order.
        let run = (groups + weightGradientPartials - 1) / weightGradientPartials, partials = (groups + run - 1) / run
        let size = K * CRS
        let partial = UnsafeMutablePointer<T>.allocate(capacity: im2colWeight ? partials * size : 1)
        defer { partial.deallocate() }
        parallelFor(partials) { range in
            let col = UnsafeMutablePointer<T>.allocate(capacity: CRS * group * P)
            let dy = UnsafeMutablePointer<T>.allocate(capacity: Kg * group * P)
            defer { col.deallocate(); dy.deallocate() }
            for j in range {
                for index in (j * run)..<min(groups, (j + 1) * run) {
                    let n0 = index * group, nb = min(group, geo.batch - n0)
                    for g in 0..<geo.p.groups {
                        // dOut[n0 + n, g·Kg + k, p] → dY[k, n·P + p] (no copy for one image)
                        var dY = UnsafePointer(d + (n0 * K + g * Kg) * P)
                        if nb > 1 {
                            for k in 0..<Kg {
                                for n in 0..<nb { (dy + (k * nb + n) * P).update(from: d + ((n0 + n) * K + g * Kg + k) * P, count: P) }
                            }
                            dY = UnsafePointer(dy)
                        }
                        if im2colWeight {
                            im2col(xs, col, geo, n0: n0, nb: nb, group: g, parallel: false)
                            gemmCall(false, true, Kg, CRS, nb * P, 1, dY, nb * P, col, nb * P, index == j * run ? 0 : 1,
                                     partial + j * size + g * Kg * CRS, CRS, dtype: x.dtype)
                        }
                        if let dInput {
                            gemmCall(true, false, CRS, nb * P, Kg, 1, w + g * Kg * CRS, CRS, dY, nb * P, 0, col, nb * P, dtype: x.dtype)
                            col2im(col, dInput.pointer(T.self), geo, n0: n0, nb: nb, group: g, parallel: false)
                        }
                    }
                }
            }
        }
        if let dWeight { sumPartials(partial, count: partials, size: size, into: dWeight.pointer(T.self)) }
        return (dInput ?? fromDirect.dInput, dWeight ?? fromDirect.dWeight, dBias)
    }

    /// out[i] = ((0 + p₀[i]) + p₁[i]) + … for the `count` partial weight gradients of `size` elements
    /// laid one after another: always in that order, whatever the thread count, and row by row so
    /// that the additions vectorise.
    func sumPartials<T: FloatElement>(_ partial: UnsafeMutablePointer<T>, count: Int, size: Int, into out: UnsafeMutablePointer<T>) {
        parallelFor(size, grain: 4096) { elements in
            let dst = out + elements.lowerBound
            dst.update(repeating: 0, count: elements.count)
            for j in 0..<count {
                let src = partial + j * size + elements.lowerBound
                for i in 0..<elements.count { dst[i] += src[i] }
            }
        }
    }
}
