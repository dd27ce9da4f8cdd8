// The direct convolution path in Float32 on CPUs with AVX-512: the kernels in Sources/CKernels read
// the images in place (masked loads) or rearrange a cache-sized run of them, so there is no column
// matrix to build, pack and copy back (im2col + sgemm spends more time on that than on the product
// when the layer has few channels).
// Forward: any stride-1 convolution with one group whose output is no wider than its input (3×3
// with padding 1, LeNet's 5×5 without padding, airbench's 2×2 whitening), and 3×3 with stride 2 and
// padding 1 (ResNet's downsampling layers, the input pixel of output (oy, ox) and tap (ky, kx) at
// (2·oy + ky − 1, 2·ox + kx − 1)). Input gradient: 3×3 with stride 1 and padding 1. Weight gradient:
// 3×3 and 5×5 with stride 1 or 2 and any padding (fovea_conv_weight_gradient.c). Same op, same
// results as conv2dReference (tested); the im2col path stays for everything else, on CPUs without
// AVX-512 and with `FOVEA_AVX512=0` (see AVX512Kernels.swift).
//
//   forward        out[n, k, q]  = bias[k] + Σ_c Σ_t w[k, c, t] · x[n, c, q + offset(t)]
//   input grad     dx[n, c, p]   = Σ_k Σ_t w[k, c, 8 − t] · dOut[n, k, p + offset(t)]   (3×3: rotated, transposed weight)
//   weight grad    dw[k, c, ky, kx] = Σ_n Σ_(oy,ox) dOut[n, k, oy, ox] · x[n, c, s·oy + ky − pt, s·ox + kx − pl]
// with q a position on the input's grid (out_height rows of W columns) and offset(t) = (ky − pad)·W +
// (kx − pad) for tap t = S·ky + kx. The weight gradient is summed over fixed runs of images (a
// function of the shape only) and the partial sums are added in order, so the result does not
// depend on the thread count.
import CKernels

extension CPUBackend {
    /// Whether a Float32 forward convolution of these shapes takes the direct path (for tests).
    package func takesDirectConvolutionPath(input: [Int], weight: [Int], _ p: Conv2dParameters) -> Bool {
        let geo = ConvGeometry(input: input, weight: weight, p)
        return directForwardApplies(geo) || directStride2ForwardApplies(geo)
    }

    /// Whether a Float32 convolution's weight gradient of these shapes takes the direct kernel (for tests).
    package func takesDirectWeightGradientPath(input: [Int], weight: [Int], _ p: Conv2dParameters) -> Bool {
        directWeightGradientApplies(ConvGeometry(input: input, weight: weight, p))
    }

    /// Stride 1, dilation 1, one group, output rows no wider than the input's, 2 to 64 taps (a 1×1
    /// convolution is a plain product already), and at least 48 grid positions per image: the kernel
    /// works on tiles of 3 blocks of 16 positions, and on smaller planes (airbench's 4×4 layers) a tile
    /// of one block is load-bound, slower than im2col + sgemm over groups of images.
    func directForwardApplies(_ geo: ConvGeometry) -> Bool {
        let p = geo.p, taps = geo.kernelHeight * geo.kernelWidth
        return Self.avx512KernelsEnabled && p.stride == (1, 1) && p.dilation == (1, 1) && p.groups == 1
            && geo.outWidth <= geo.width && taps >= 2 && taps <= 64 && geo.outHeight * geo.width >= 48
    }

    /// 3×3, stride 2, padding 1 (ResNet's downsampling convolutions) on even planes whose outputs come
    /// in whole blocks of 16 (rows 16k wide, or 8 wide with an even number of rows), output channels in
    /// multiples of 8: the forward pass and (see directBackwardPhases) the weight gradient.
    func directStride2ForwardApplies(_ geo: ConvGeometry) -> Bool {
        let p = geo.p
        return Self.avx512KernelsEnabled && p.stride == (2, 2) && p.padding == (1, 1) && p.dilation == (1, 1) && p.groups == 1
            && geo.kernelHeight == 3 && geo.kernelWidth == 3 && geo.kernels % 8 == 0
            && geo.height % 2 == 0 && geo.width % 2 == 0
            && (geo.outWidth % 16 == 0 || (geo.outWidth == 8 && geo.outHeight % 2 == 0))
    }

    /// Which backward phases take the direct kernels. The input gradient: 3×3 with padding 1,
    /// channels in and out in multiples of 8, and image rows a multiple of 8 wide (it is a forward
    /// convolution of dOut with C outputs). Measured phase by phase (`fovea-bench --only conv-paths`,
    /// Benchmarks.md run 5): on ResNet-20's and the VGG-style net's layers (rows 8, 16 and 32 wide) it
    /// wins 1.0–2.5×; on airbench94's odd widths (31, 15, 7) it lost up to 0.7×, where rows straddle
    /// the 16-lane blocks and most loads split across cache lines. Stride 2 keeps im2col + col2im for
    /// it (each output scatters over the input's even and odd pixels). The weight gradient: see
    /// `directWeightGradientApplies`.
    func directBackwardPhases(_ geo: ConvGeometry, needInput: Bool, needWeight: Bool) -> (input: Bool, weight: Bool) {
        let weight = needWeight && directWeightGradientApplies(geo)
        guard directForwardApplies(geo) && geo.kernelHeight == 3 && geo.kernelWidth == 3 && geo.p.padding == (1, 1)
              && geo.kernels % 8 == 0 && geo.width % 8 == 0 else { return (false, weight) }
        return (needInput && geo.channels % 8 == 0, weight)
    }

    /// The weight-gradient kernel (Sources/CKernels/fovea_conv_weight_gradient.c) takes 3×3 and 5×5
    /// filters with stride 1 or 2, any padding, one group, no dilation, whatever the plane size and
    /// channel counts, up to K·C = 256·256. Measured at batch 128 (Benchmarks.md run 10, two threads):
    /// 310–420 GFLOP/s, 1.3–2× the 3×3 kernels it replaced on ResNet-20's shapes and 1.7–2.7× im2col +
    /// sgemm on the 128-channel layers and airbench94's odd widths, level with im2col on 256 × 256
    /// channels over 7 × 7 planes; with 512 × 512 (ResNet-18's last stage; C harness) it fell to 0.8×
    /// im2col, as its sums (9.4 MB) no longer stay in cache.
    func directWeightGradientApplies(_ geo: ConvGeometry) -> Bool {
        let p = geo.p
        return Self.avx512KernelsEnabled && geo.kernelHeight == geo.kernelWidth && (geo.kernelWidth == 3 || geo.kernelWidth == 5)
            && (p.stride == (1, 1) || p.stride == (2, 2)) && p.dilation == (1, 1) && p.groups == 1
            && geo.kernels * geo.channels <= 256 * 256
    }

    private func kernelShape(_ geo: ConvGeometry) -> fovea_conv_shape {
        fovea_conv_shape(channels: Int32(geo.channels), height: Int32(geo.height), width: Int32(geo.width),
                         kernel_height: Int32(geo.kernelHeight), kernel_width: Int32(geo.kernelWidth),
                         pad_top: Int32(geo.p.padding.0), pad_left: Int32(geo.p.padding.1),
                         out_height: Int32(geo.outHeight), out_width: Int32(geo.outWidth))
    }

    /// The masks for this shape's grid (see fovea_conv.h).
    private func directMasks(_ shape: fovea_conv_shape) -> [UInt16] {
        var shape = shape
        let blocks = Int(fovea_conv_blocks(&shape)), taps = Int(shape.kernel_height * shape.kernel_width)
        var masks = [UInt16](repeating: 0, count: blocks * taps)
        masks.withUnsafeMutableBufferPointer { fovea_conv_masks(&shape, $0.baseAddress!) }
        return masks
    }

    /// out[n] for every image of a shape whose grid is its output (output as wide as the input)
    /// with output channels in multiples of 8: each thread takes runs of (image, block of 8 output
    /// channels) and writes straight into `out`.
    private func directForwardInPlace(_ input: UnsafePointer<Float>, _ shape: fovea_conv_shape, packed: UnsafePointer<Float>,
                                      outputChannels: Int, bias: UnsafePointer<Float>?, relu: Bool = false, batch: Int,
                                      masks: [UInt16], into out: UnsafeMutablePointer<Float>) {
        let plane = Int(shape.height * shape.width), grid = Int(shape.out_height * shape.width), blocks = outputChannels / 8
        let inputChannels = Int(shape.channels)
        masks.withUnsafeBufferPointer { maskBuffer in
            let m = maskBuffer.baseAddress!
            parallelImageBlocks(batch: batch, blocks: blocks) { n, range in
                var shape = shape  // each call passes its own copy to C
                fovea_conv_forward(input + n * inputChannels * plane, packed, m, &shape, Int32(range.lowerBound),
                                   Int32(range.upperBound), bias, relu ? 1 : 0, out + n * outputChannels * grid)
            }
        }
    }

    /// The (image, block of 8 output channels) items of a direct forward pass, split over the threads:
    /// `body(n, blocks)` for each image n and run of its channel blocks that one thread takes, so that
    /// a kernel call covers all of an image's blocks it can.
    private func parallelImageBlocks(batch: Int, blocks: Int, _ body: (Int, Range<Int>) -> Void) {
        parallelFor(batch * blocks) { range in
            var item = range.lowerBound
            while item < range.upperBound {
                let n = item / blocks, first = item % blocks, last = min(blocks, first + range.upperBound - item)
                body(n, first..<last)
                item += last - first
            }
        }
    }

    func directForward(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ geo: ConvGeometry, relu: Bool) -> Tensor {
        let out = Tensor(uninitialized: geo.outputShape, dtype: .float32)
        directForward(UnsafePointer(x.pointer(Float.self)), kernelShape(geo), batch: geo.batch, weight: UnsafePointer(weight.pointer(Float.self)),
                      kernels: geo.kernels, bias: bias.map { UnsafePointer($0.pointer(Float.self)) }, relu: relu, into: out.pointer(Float.self))
        return out
    }

    /// out[n] of a 3×3 stride-2 convolution (directStride2ForwardApplies): each thread takes runs of
    /// (image, block of 8 output channels) and writes straight into `out`.
    func directStride2Forward(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, _ geo: ConvGeometry, relu: Bool) -> Tensor {
        let out = Tensor(uninitialized: geo.outputShape, dtype: .float32)
        let K = geo.kernels, C = geo.channels, blocks = K / 8, plane = geo.height * geo.width, outputs = geo.positions
        let packed = UnsafeMutablePointer<Float>.allocate(capacity: K * C * 9)
        defer { packed.deallocate() }
        fovea_conv_pack(weight.pointer(Float.self), Int32(K), Int32(C), 9, 0, packed)
        let xs = UnsafePointer(x.pointer(Float.self)), o = out.pointer(Float.self)
        let b = bias.map { UnsafePointer($0.pointer(Float.self)) }
        let (H, W) = (Int32(geo.height), Int32(geo.width))
        parallelImageBlocks(batch: geo.batch, blocks: blocks) { n, range in
            fovea_conv3x3s2_forward(xs + n * C * plane, packed, Int32(C), H, W, Int32(range.lowerBound), Int32(range.upperBound),
                                    b, relu ? 1 : 0, o + n * K * outputs)
        }
        return out
    }

    /// The forward pass of `batch` images of `shape` with weight [K][C][taps] into out [N][K][OH][OW].
    private func directForward(_ xs: UnsafePointer<Float>, _ shape: fovea_conv_shape, batch: Int, weight: UnsafePointer<Float>,
                               kernels K: Int, bias: UnsafePointer<Float>?, relu: Bool, into o: UnsafeMutablePointer<Float>) {
        let C = Int(shape.channels), H = Int(shape.height), W = Int(shape.width)
        let OH = Int(shape.out_height), OW = Int(shape.out_width), taps = Int(shape.kernel_height * shape.kernel_width)
        let blocks = (K + 7) / 8
        let packed = UnsafeMutablePointer<Float>.allocate(capacity: blocks * 8 * C * taps)
        defer { packed.deallocate() }
        fovea_conv_pack(weight, Int32(K), Int32(C), Int32(taps), 0, packed)
        var paddedBias = [Float](repeating: 0, count: blocks * 8)   // 8 per block, zeros past K
        if let bias { for k in 0..<K { paddedBias[k] = bias[k] } }
        let masks = directMasks(shape)
        paddedBias.withUnsafeBufferPointer { biasBuffer in
            let b = bias == nil ? nil : biasBuffer.baseAddress
            if K % 8 == 0 && OW == W {
                directForwardInPlace(xs, shape, packed: packed, outputChannels: K, bias: b, relu: relu, batch: batch, masks: masks, into: o)
                return
            }
            // Otherwise each thread computes whole images on the grid in its own buffer and copies the
            // real output channels and columns out.
            let plane = H * W, grid = OH * W
            masks.withUnsafeBufferPointer { maskBuffer in
                let m = maskBuffer.baseAddress!
                parallelFor(batch) { images in
                    var shape = shape  // each thread passes its own copy to C
                    let buffer = UnsafeMutablePointer<Float>.allocate(capacity: blocks * 8 * grid)
                    defer { buffer.deallocate() }
                    for n in images {
                        fovea_conv_forward(xs + n * C * plane, packed, m, &shape, 0, Int32(blocks), b, relu ? 1 : 0, buffer)
                        for k in 0..<K {
                            for row in 0..<OH {
                                (o + ((n * K + k) * OH + row) * OW).update(from: buffer + k * grid + row * W, count: OW)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Images per partial weight gradient: about 64 K floats of images and output gradients per run
    /// (the kernel rearranges them in sub-runs of that size, which stay in cache), unless the partial
    /// sums (one K·C·R·S buffer each) would then take more than 256 K floats (at airbench's batch of
    /// 1,024, 2 M floats of fresh buffers cost more than the cache saved); at least
    /// `weightGradientPartials` partials are always allowed. A function of the shape only.
    func weightGradientImagesPerPartial(_ geo: ConvGeometry) -> Int {
        let size = geo.kernels * geo.columnRows
        let mostPartials = max(weightGradientPartials, (1 << 18) / size)
        let inCache = 65_536 / max(1, geo.height * geo.width * geo.channels + geo.positions * geo.kernels)
        return max(1, min(geo.batch, max(inCache, (geo.batch + mostPartials - 1) / mostPartials)))
    }

    func directBackward(_ dOut: Tensor, _ x: Tensor, _ weight: Tensor, _ geo: ConvGeometry,
                        needInput: Bool, needWeight: Bool) -> (dInput: Tensor?, dWeight: Tensor?) {
        let K = geo.kernels, C = geo.channels, P = geo.positions, N = geo.batch
        var shape = kernelShape(geo)
        let masks = needInput ? directMasks(shape) : []  // 3×3 with padding 1: the same for dOut's planes as for x's
        let d = UnsafePointer(dOut.pointer(Float.self))
        var dInput: Tensor?
        if needInput {
            let dx = Tensor(uninitialized: x.shape, dtype: .float32)
            let packed = UnsafeMutablePointer<Float>.allocate(capacity: K * C * 9)
            defer { packed.deallocate() }
            fovea_conv_pack(weight.pointer(Float.self), Int32(K), Int32(C), 9, 1, packed)
            shape.channels = Int32(K)  // the input gradient convolves dOut (K channels) into C channels
            directForwardInPlace(d, shape, packed: packed, outputChannels: C, bias: nil, batch: N, masks: masks,
                                 into: dx.pointer(Float.self))
            dInput = dx
        }
        guard needWeight else { return (dInput, nil) }
        // Partial sums over fixed runs of images (a function of the shape only), each computed by one
        // thread, which asks the next run of its range into the cache while it computes this one.
        let run = weightGradientImagesPerPartial(geo), partials = (N + run - 1) / run, size = K * geo.columnRows
        var wshape = fovea_weight_gradient_shape(channels: Int32(C), kernels: Int32(K), height: Int32(geo.height),
                                                 width: Int32(geo.width), kernel_height: Int32(geo.kernelHeight),
                                                 kernel_width: Int32(geo.kernelWidth), stride: Int32(geo.p.stride.0),
                                                 pad_top: Int32(geo.p.padding.0), pad_left: Int32(geo.p.padding.1),
                                                 out_height: Int32(geo.outHeight), out_width: Int32(geo.outWidth))
        let scratchCount = fovea_weight_gradient_scratch(&wshape), xImage = C * geo.height * geo.width
        // The scratch comes from the pool (HostMemory: a fresh buffer would fault its pages in on every
        // call); the partial sums do not, as the pool would keep one such buffer per layer shape
        // resident (VGG-style training: 17 MB more at its peak).
        let scratchBytes = scratchCount * MemoryLayout<Float>.stride
        let partial = UnsafeMutablePointer<Float>.allocate(capacity: partials * size)
        defer { partial.deallocate() }
        let xs = UnsafePointer(x.pointer(Float.self))
        parallelFor(partials) { range in
            var shape = wshape  // each thread passes its own copy to C
            let scratch = HostMemory.allocate(scratchBytes).bindMemory(to: Float.self, capacity: scratchCount)
            defer { HostMemory.release(UnsafeMutableRawPointer(scratch), scratchBytes) }
            for j in range {
                let n0 = j * run, images = min(run, N - n0), next = n0 + images
                let nextImages = j + 1 < range.upperBound ? min(run, N - next) : 0
                fovea_weight_gradient(xs + n0 * xImage, d + n0 * K * P, Int32(images), &shape, xs + next * xImage,
                                      d + next * K * P, Int32(nextImages), scratch, partial + j * size)
            }
        }
        let dWeight = Tensor(uninitialized: weight.shape, dtype: .float32)
        sumPartials(partial, count: partials, size: size, into: dWeight.pointer(Float.self))
        return (dInput, dWeight)
    }
}
