// im2col and col2im: the bridge that turns a convolution into one matrix product.
//
// For a chunk of `nb` images and one group of `Cg` input channels, im2col builds the matrix
//
//     col[(c·R + r)·S + s][(n·OH + oh)·OW + ow] = x[n, c, oh·sh − ph + r·dh, ow·sw − pw + s·dw]
//
// (0 where the index falls in the padding). Row (c, r, s) holds what filter tap (c, r, s) sees at
// every output position, so the convolution of the chunk is `W[K, Cg·R·S] · col`. col2im is its
// adjoint: it adds each column entry back to the input pixel it came from.

/// Geometry shared by im2col, col2im and the convolution kernels.
struct ConvGeometry {
    let batch, channels, height, width: Int   // input [N, C, H, W]
    let kernels, kernelHeight, kernelWidth: Int // weight [K, C/groups, R, S]
    let outHeight, outWidth: Int
    let p: Conv2dParameters

    init(input: [Int], weight: [Int], _ p: Conv2dParameters) {
        require(input.count == 4, "conv2d expects input [N, C, H, W], got \(input)")
        require(weight.count == 4, "conv2d expects weight [K, C/groups, R, S], got \(weight)")
        require(p.groups >= 1 && input[1] % p.groups == 0 && weight[0] % p.groups == 0,
                "conv2d: groups \(p.groups) must divide input channels (\(input[1])) and output channels (\(weight[0]))")
        require(weight[1] * p.groups == input[1],
                "conv2d: input \(input) has \(input[1]) channels but weight \(weight) expects \(weight[1] * p.groups) (groups \(p.groups))")
        require(p.stride.0 > 0 && p.stride.1 > 0 && p.dilation.0 > 0 && p.dilation.1 > 0 && p.padding.0 >= 0 && p.padding.1 >= 0,
                "conv2d: invalid \(p)")
        batch = input[0]; channels = input[1]; height = input[2]; width = input[3]
        kernels = weight[0]; kernelHeight = weight[2]; kernelWidth = weight[3]
        self.p = p
        outHeight = Conv2dParameters.outputSize(input: height, kernel: kernelHeight, stride: p.stride.0, padding: p.padding.0, dilation: p.dilation.0)
        outWidth = Conv2dParameters.outputSize(input: width, kernel: kernelWidth, stride: p.stride.1, padding: p.padding.1, dilation: p.dilation.1)
        require(outHeight > 0 && outWidth > 0,
                "conv2d: input \(input) is too small for weight \(weight) with \(p) (output would be \(outHeight)×\(outWidth))")
    }

    var groupChannels: Int { channels / p.groups }
    var groupKernels: Int { kernels / p.groups }
    var positions: Int { outHeight * outWidth }
    /// Rows of the column matrix: Cg·R·S.
    var columnRows: Int { groupChannels * kernelHeight * kernelWidth }
    var outputShape: [Int] { [batch, kernels, outHeight, outWidth] }

    /// Stride 1 and output as wide as the input (e.g. 3×3 "same" convolutions): consecutive output
    /// pixels read consecutive input pixels, so im2col and col2im can move whole images at once.
    var rowsAreContiguous: Bool { p.stride == (1, 1) && outWidth == width }

    /// The output columns `[lo, hi)` whose input column `ow·sw − pw + s·dw` lies inside the image.
    @inline(__always)
    func validColumns(_ s: Int) -> (Int, Int) {
        let shift = s * p.dilation.1 - p.padding.1  // iw = ow·sw + shift must lie in [0, W)
        let lo = shift >= 0 ? 0 : min(outWidth, (-shift + p.stride.1 - 1) / p.stride.1)
        let last = width - 1 - shift                 // ow·sw ≤ last
        let hi = last < 0 ? 0 : min(outWidth, last / p.stride.1 + 1)
        return (lo, max(lo, hi))
    }
}

extension CPUBackend {
    /// Fills `col` ([Cg·R·S, nb·OH·OW]) from images `n0 ..< n0+nb`, channels of group `g`; rows are
    /// split across threads unless `parallel` is false (when the caller already runs one per thread).
    func im2col<T: FloatElement>(_ x: UnsafePointer<T>, _ col: UnsafeMutablePointer<T>, _ geo: ConvGeometry,
                                 n0: Int, nb: Int, group g: Int, parallel: Bool = true) {
        let R = geo.kernelHeight, S = geo.kernelWidth, H = geo.height, W = geo.width
        let OH = geo.outHeight, OW = geo.outWidth, P = geo.positions, Cg = geo.groupChannels
        let (sh, sw) = geo.p.stride, (ph, _) = geo.p.padding, (dh, dw) = geo.p.dilation
        let pw = geo.p.padding.1
        let width = nb * P
        let grain = parallel ? max(1, 4096 / max(width, 1)) : Int.max
        parallelFor(geo.columnRows, grain: grain) { rows in
            for row in rows {
                let c = row / (R * S), r = (row / S) % R, s = row % S
                let (lo, hi) = geo.validColumns(s)
                let dst = col + row * width
                for n in 0..<nb {
                    let plane = x + ((n0 + n) * geo.channels + g * Cg + c) * H * W
                    if geo.rowsAreContiguous {
                        // Output row oh reads input row oh + shiftRows, shifted by `shift` columns:
                        // the valid part of the whole image is one contiguous copy. Entries that
                        // wrapped around from a neighbouring row land on border columns, zeroed after.
                        let d = dst + n * P
                        let shiftRows = r * dh - ph, shift = s * dw - pw
                        let ohLo = Swift.min(OH, Swift.max(0, -shiftRows)), ohHi = Swift.max(ohLo, Swift.min(OH, H - shiftRows))
                        if ohLo > 0 { d.update(repeating: 0, count: ohLo * OW) }
                        if ohHi < OH { (d + ohHi * OW).update(repeating: 0, count: (OH - ohHi) * OW) }
                        guard ohHi > ohLo else { continue }
                        guard hi > lo else { (d + ohLo * OW).update(repeating: 0, count: (ohHi - ohLo) * OW); continue }
                        let start = ohLo * OW + lo, end = (ohHi - 1) * OW + hi
                        (d + start).update(from: plane + (ohLo + shiftRows) * W + shift + lo, count: end - start)
                        if lo > 0 || hi < OW {
                            for oh in ohLo..<ohHi {
                                if lo > 0 { (d + oh * OW).update(repeating: 0, count: lo) }
                                if hi < OW { (d + oh * OW + hi).update(repeating: 0, count: OW - hi) }
                            }
                        }
                        continue
                    }
                    for oh in 0..<OH {
                        let ih = oh * sh - ph + r * dh
                        let d = dst + n * P + oh * OW
                        if ih < 0 || ih >= H {
                            d.update(repeating: 0, count: OW)
                            continue
                        }
                        let src = plane + ih * W + s * dw - pw
                        if lo > 0 { d.update(repeating: 0, count: lo) }
                        if sw == 1 {
                            if hi > lo { (d + lo).update(from: src + lo, count: hi - lo) }  // a contiguous run: memcpy
                        } else {
                            for ow in lo..<hi { d[ow] = src[ow * sw] }
                        }
                        if hi < OW { (d + hi).update(repeating: 0, count: OW - hi) }
                    }
                }
            }
        }
    }

    /// Adds `col` ([Cg·R·S, nb·OH·OW]) back into `dx` for images `n0 ..< n0+nb`, group `g`.
    /// Threads split by input channel, so no two threads write the same pixel.
    /// `col` is scratch: the fast path zeroes its padding entries before adding. Channels are split
    /// across threads unless `parallel` is false.
    func col2im<T: FloatElement>(_ col: UnsafeMutablePointer<T>, _ dx: UnsafeMutablePointer<T>, _ geo: ConvGeometry,
                                 n0: Int, nb: Int, group g: Int, parallel: Bool = true) {
        let R = geo.kernelHeight, S = geo.kernelWidth, H = geo.height, W = geo.width
        let OH = geo.outHeight, OW = geo.outWidth, P = geo.positions, Cg = geo.groupChannels
        let (sh, sw) = geo.p.stride, (ph, pw) = geo.p.padding, (dh, dw) = geo.p.dilation
        let width = nb * P
        parallelFor(Cg, grain: parallel ? 1 : Int.max) { channels in
            for c in channels {
                for r in 0..<R {
                    for s in 0..<S {
                        let row = (c * R + r) * S + s
                        let (lo, hi) = geo.validColumns(s)
                        let src = col + row * width
                        for n in 0..<nb {
                            let plane = dx + ((n0 + n) * geo.channels + g * Cg + c) * H * W
                            if geo.rowsAreContiguous {  // the adjoint of im2col's whole-image copy
                                let v = src + n * P
                                let shiftRows = r * dh - ph, shift = s * dw - pw
                                let ohLo = Swift.min(OH, Swift.max(0, -shiftRows)), ohHi = Swift.max(ohLo, Swift.min(OH, H - shiftRows))
                                guard ohHi > ohLo, hi > lo else { continue }
                                if lo > 0 || hi < OW {  // padding entries must add nothing
                                    for oh in ohLo..<ohHi {
                                        if lo > 0 { (v + oh * OW).update(repeating: 0, count: lo) }
                                        if hi < OW { (v + oh * OW + hi).update(repeating: 0, count: OW - hi) }
                                    }
                                }
                                let start = ohLo * OW + lo, count = (ohHi - 1) * OW + hi - start
                                let d = plane + (ohLo + shiftRows) * W + shift + lo, u = v + start
                                for j in 0..<count { d[j] += u[j] }
                                continue
                            }
                            for oh in 0..<OH {
                                let ih = oh * sh - ph + r * dh
                                if ih < 0 || ih >= H { continue }
                                let d = plane + ih * W + s * dw - pw
                                let v = src + n * P + oh * OW
                                if sw == 1 {
                                    for ow in lo..<hi { d[ow] += v[ow] }
                                } else {
                                    for ow in lo..<hi { d[ow * sw] += v[ow] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
