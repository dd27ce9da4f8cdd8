// The direct path for 3×3 'same' convolutions (stride 1, padding 1, one group) in Float32 on CPUs
// with AVX-512: the kernels in Sources/CKernels read the images in place with masked loads, so there is
// no column matrix to build, pack and copy back (im2col + sgemm spends more time on that than on the
// product when the layer has few channels). Same op, same results as conv2dReference (tested); the
// im2col path stays for everything else, on CPUs without AVX-512 and with `FOVEA_AVX512=0`
// (see AVX512Kernels.swift).
//
//   forward        out[n, k, p]  = bias[k] + Σ_c Σ_t w[k, c, t] · x[n, c, p + offset(t)]
//   input grad     dx[n, c, p]   = Σ_k Σ_t w[k, c, 8 − t] · dOut[n, k, p + offset(t)]   (flipped, transposed weight)
//   weight grad    dw[k, c, t]   = Σ_n Σ_p dOut[n, k, p] · x[n, c, p + offset(t)]
// with offset(t) = (ky − 1)·W + (kx − 1) for tap t = 3·ky + kx. The weight gradient is summed over
// fixed runs of images (a function of the shape only) and the partial sums are added in order, so
// the result does not depend on the thread count.
import CKernels

extension CPUBackend {
    /// Whether a Float32 forward convolution of these shapes takes the direct path (for tests).
    package func takesDirectConv3x3Path(input: [Int], weight: [Int], _ p: Conv2dParameters) -> Bool {
        directConv3x3Applies(ConvGeometry(input: input, weight: weight, p))
    }

    /// 3×3, stride 1, padding 1, dilation 1, one group, output channels a multiple of 8.
    func directConv3x3Applies(_ geo: ConvGeometry) -> Bool {
        let p = geo.p
        return Self.avx512KernelsEnabled && geo.kernelHeight == 3 && geo.kernelWidth == 3
            && p.stride == (1, 1) && p.padding == (1, 1) && p.dilation == (1, 1) && p.groups == 1
            && geo.kernels % 8 == 0
    }

    /// Which backward phases take the direct kernels. The input gradient is a forward convolution
    /// with C outputs, so it needs input channels in multiples of 8; the weight gradient's tiles of 4
    /// output channels always fit. Measured phase by phase (`fovea-bench --only conv-paths`), the
    /// direct weight gradient beats or matches im2col + sgemm on every 3×3 shape of ResNet-20 and the
    /// VGG-style net.
    func directConv3x3BackwardPhases(_ geo: ConvGeometry, needInput: Bool, needWeight: Bool) -> (input: Bool, weight: Bool) {
        guard directConv3x3Applies(geo) else { return (false, false) }
        return (needInput && geo.channels % 8 == 0, needWeight)
    }

    /// The masks for an H×W plane (see fovea_conv3x3.h).
    private func conv3x3Masks(_ geo: ConvGeometry) -> [UInt16] {
        let blocks = Int(fovea_conv3x3_blocks(Int32(geo.height), Int32(geo.width)))
        var masks = [UInt16](repeating: 0, count: blocks * 9)
        masks.withUnsafeMutableBufferPointer { fovea_conv3x3_masks(Int32(geo.height), Int32(geo.width), $0.baseAddress!) }
        return masks
    }

    /// out[n] for every image: each thread takes runs of (image, block of 8 output channels).
    private func conv3x3Forward(_ input: UnsafePointer<Float>, inputChannels: Int, packed: UnsafePointer<Float>,
                                outputChannels: Int, bias: UnsafePointer<Float>?, _ geo: ConvGeometry, masks: [UInt16],
                                into out: UnsafeMutablePointer<Float>) {
        let P = geo.positions, blocks = outputChannels / 8
        masks.withUnsafeBufferPointer { maskBuffer in
            let m = maskBuffer.baseAddress!
            parallelFor(geo.batch * blocks) { range in
                var item = range.lowerBound
                while item < range.upperBound {
                    let n = item / blocks, first = item % blocks, last = min(blocks, first + range.upperBound - item)
                    fovea_conv3x3_forward(input + n * inputChannels * P, packed, m, Int32(inputChannels),
                                          Int32(geo.height), Int32(geo.width), Int32(first), Int32(last), bias,
                                          out + n * outputChannels * P)
                    item += last - first
                }
            }
        }
    }

    func directConv3x3Forward(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ geo: ConvGeometry) -> Tensor {
        let out = Tensor(uninitialized: geo.outputShape, dtype: .float32)
        let K = geo.kernels, C = geo.channels
        let packed = UnsafeMutablePointer<Float>.allocate(capacity: K * C * 9)
        defer { packed.deallocate() }
        fovea_conv3x3_pack(weight.pointer(Float.self), Int32(K), Int32(C), 0, packed)
        conv3x3Forward(x.pointer(Float.self), inputChannels: C, packed: packed, outputChannels: K,
                       bias: bias.map { UnsafePointer($0.pointer(Float.self)) }, geo, masks: conv3x3Masks(geo),
                       into: out.pointer(Float.self))
        return out
    }

    /// Images per partial weight gradient: about 64 K floats of images and output gradients per run,
    /// so that a run stays in cache while the 4-channel tiles of dOut pass over it, unless the partial
    /// sums (one K·C·9 buffer each) would then take more than 2 M floats; at least
    /// `weightGradientPartials` partials are always allowed. A function of the shape only.
    func conv3x3ImagesPerPartial(_ geo: ConvGeometry) -> Int {
        let size = geo.kernels * geo.channels * 9
        let mostPartials = max(weightGradientPartials, (1 << 21) / size)
        let inCache = 65_536 / max(1, geo.positions * (geo.channels + geo.kernels))
        return max(1, min(geo.batch, max(inCache, (geo.batch + mostPartials - 1) / mostPartials)))
    }

    func directConv3x3Backward(_ dOut: Tensor, _ x: Tensor, _ weight: Tensor, _ geo: ConvGeometry,
                               needInput: Bool, needWeight: Bool) -> (dInput: Tensor?, dWeight: Tensor?) {
        let K = geo.kernels, C = geo.channels, P = geo.positions, N = geo.batch
        let masks = conv3x3Masks(geo)
        let d = UnsafePointer(dOut.pointer(Float.self))
        var dInput: Tensor?
        if needInput {
            let dx = Tensor(uninitialized: x.shape, dtype: .float32)
            let packed = UnsafeMutablePointer<Float>.allocate(capacity: K * C * 9)
            defer { packed.deallocate() }
            fovea_conv3x3_pack(weight.pointer(Float.self), Int32(K), Int32(C), 1, packed)
            conv3x3Forward(d, inputChannels: K, packed: packed, outputChannels: C, bias: nil, geo, masks: masks,
                           into: dx.pointer(Float.self))
            dInput = dx
        }
        guard needWeight else { return (dInput, nil) }
        let run = conv3x3ImagesPerPartial(geo), partials = (N + run - 1) / run, size = K * C * 9
        // Tasks run partial by partial; inside one, over chunks of input channels small enough
        // (about 32 K floats of images) to stay in cache while every 4-channel block of dOut passes.
        let kTiles = K / 4, cTiles = C, tiles = kTiles * cTiles
        let chunk = max(1, min(cTiles, 32_768 / max(1, run * P)))
        let partial = UnsafeMutablePointer<Float>.allocate(capacity: partials * size)
        defer { partial.deallocate() }
        let xs = UnsafePointer(x.pointer(Float.self))
        masks.withUnsafeBufferPointer { maskBuffer in
            let m = maskBuffer.baseAddress!
            parallelFor(partials * tiles) { range in
                for item in range {
                    let j = item / tiles, t = item % tiles
                    let chunkStart = (t / (kTiles * chunk)) * chunk, width = min(chunk, cTiles - chunkStart)
                    let within = t - chunkStart * kTiles, kb = within / width, cb = chunkStart + within % width
                    let n0 = j * run, images = min(run, N - n0)
                    fovea_conv3x3_weight_gradient(xs + n0 * C * P, d + n0 * K * P, m, Int32(images), Int32(C), Int32(K),
                                                  Int32(geo.height), Int32(geo.width), Int32(kb), Int32(cb), partial + j * size)
                }
            }
        }
        let dWeight = Tensor(uninitialized: weight.shape, dtype: .float32)
        let dw = dWeight.pointer(Float.self)
        parallelFor(size, grain: 4096) { elements in  // dw[i] = ((p₀[i] + p₁[i]) + p₂[i]) + …, in rows that vectorise
            let base = elements.lowerBound, count = elements.count
            (dw + base).update(from: partial + base, count: count)
            for j in 1..<max(1, partials) {
                let src = partial + j * size + base, dst = dw + base
                for i in 0..<count { dst[i] += src[i] }
            }
        }
        return (dInput, dWeight)
    }
}
