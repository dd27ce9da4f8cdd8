// 2-D convolution (cross-correlation, as in every deep-learning framework).
//
// Shapes: x [N, C, H, W], weight [K, C/g, R, S], bias [K], out [N, K, OH, OW], g = groups,
//         OH = ⌊(H + 2·ph − dh·(R − 1) − 1) / sh⌋ + 1 (likewise OW).
//
// forward   out[n, k, i, j] = b[k] + Σ_{c ∈ group(k), r, s} W[k, c, r, s] · x[n, c, i·sh − ph + r·dh, j·sw − pw + s·dw]
// backward  dW[k, c, r, s]  = Σ_{n, i, j} dOut[n, k, i, j] · x[n, c, i·sh − ph + r·dh, j·sw − pw + s·dw]
//                             (the correlation of the input with the upstream gradient)
//           dx[n, c, y, z]  = Σ over every (k, r, s, i, j) that read x[n, c, y, z] of dOut[n, k, i, j] · W[k, c, r, s]
//                             (a "full" convolution of dOut with the flipped filters)
//           db[k]           = Σ_{n, i, j} dOut[n, k, i, j]
//
// The fast path (Backend/CPU/CPU+Convolution.swift) computes the same sums as im2col + gemm;
// conv2dReference and conv2dBackwardReference below are the plain loops, for reading and testing.

/// 2-D convolution of a batch of images with a bank of filters.
///
///     let y = conv2d(x, weight: w, bias: b, stride: 2, padding: 1)   // x [N, C, H, W], w [K, C, 3, 3]
///
/// - Parameters:
///   - x: `[N, C, H, W]`
///   - weight: `[K, C/groups, R, S]`
///   - bias: `[K]`, or `nil`
///   - stride, padding, dilation: one number or a (height, width) pair
///   - groups: channels are split into this many independent groups (C for depthwise)
/// - Precondition: the channel counts agree with `groups` and the output is at least 1×1.
/// - Complexity: 2·N·K·OH·OW·(C/groups)·R·S floating-point operations.
/// - SeeAlso: https://pytorch.org/docs/stable/generated/torch.nn.functional.conv2d.html
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: IntPair = 1, padding: IntPair = 0,
                   dilation: IntPair = 1, groups: Int = 1) -> Tensor {
    let p = Conv2dParameters(stride: stride.pair, padding: padding.pair, dilation: dilation.pair, groups: groups)
    let backend = x.backend
    let out = backend.conv2d(x, weight: weight, bias: bias, p)
    return Tensor.record(out, "conv2d", [x, weight] + (bias.map { [$0] } ?? [])) { dOut in
        let (dx, dw, db) = backend.conv2dBackward(dOut, x: x, weight: weight, p, needInput: x.requiresGrad,
                                                   needWeight: weight.requiresGrad, needBias: bias?.requiresGrad ?? false)
        return bias == nil ? [dx, dw] : [dx, dw, db]
    }
}

/// One integer or a (height, width) pair, written as `3` or `[3, 2]` (PyTorch's `int or tuple`).
public struct IntPair: ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, Sendable, Equatable, CustomStringConvertible {
    public let pair: (Int, Int)

    public init(_ height: Int, _ width: Int) { pair = (height, width) }
    public init(_ both: Int) { pair = (both, both) }
    public init(integerLiteral value: Int) { pair = (value, value) }
    public init(arrayLiteral elements: Int...) {
        require(elements.count == 2, "expected [height, width], got \(elements)")
        pair = (elements[0], elements[1])
    }

    public static func == (a: Self, b: Self) -> Bool { a.pair == b.pair }
    public var description: String { pair.0 == pair.1 ? "\(pair.0)" : "(\(pair.0), \(pair.1))" }
}

/// conv2d as plain loops over Double, exactly the forward formula above. Slow; for reading and tests.
public func conv2dReference(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: IntPair = 1, padding: IntPair = 0,
                            dilation: IntPair = 1, groups: Int = 1) -> Tensor {
    let geo = ConvGeometry(input: x.shape, weight: weight.shape,
                           Conv2dParameters(stride: stride.pair, padding: padding.pair, dilation: dilation.pair, groups: groups))
    let xs = x.doubles, ws = weight.doubles, bs = bias?.doubles
    var out = [Double](repeating: 0, count: geo.outputShape.reduce(1, *))
    let (C, H, W, K, R, S) = (geo.channels, geo.height, geo.width, geo.kernels, geo.kernelHeight, geo.kernelWidth)
    let (Cg, Kg) = (geo.groupChannels, geo.groupKernels)
    for n in 0..<geo.batch {
        for k in 0..<K {
            let g = k / Kg
            for i in 0..<geo.outHeight {
                for j in 0..<geo.outWidth {
                    var sum = bs?[k] ?? 0
                    for c in 0..<Cg {
                        for r in 0..<R {
                            for s in 0..<S {
                                let y = i * stride.pair.0 - padding.pair.0 + r * dilation.pair.0
                                let z = j * stride.pair.1 - padding.pair.1 + s * dilation.pair.1
                                guard y >= 0, y < H, z >= 0, z < W else { continue }  // zero padding
                                sum += ws[((k * Cg + c) * R + r) * S + s] * xs[((n * C + g * Cg + c) * H + y) * W + z]
                            }
                        }
                    }
                    out[((n * K + k) * geo.outHeight + i) * geo.outWidth + j] = sum
                }
            }
        }
    }
    let t = Tensor(zeros: geo.outputShape, dtype: x.dtype)
    t.setElements(out)
    return t
}

/// conv2d's three gradients as plain loops over Double: the backward formulas above.
public func conv2dBackwardReference(_ dOut: Tensor, x: Tensor, weight: Tensor, stride: IntPair = 1, padding: IntPair = 0,
                                    dilation: IntPair = 1, groups: Int = 1) -> (dInput: Tensor, dWeight: Tensor, dBias: Tensor) {
    let geo = ConvGeometry(input: x.shape, weight: weight.shape,
                           Conv2dParameters(stride: stride.pair, padding: padding.pair, dilation: dilation.pair, groups: groups))
    let xs = x.doubles, ws = weight.doubles, d = dOut.doubles
    var dx = [Double](repeating: 0, count: x.count), dw = [Double](repeating: 0, count: weight.count)
    var db = [Double](repeating: 0, count: geo.kernels)
    let (C, H, W, K, R, S) = (geo.channels, geo.height, geo.width, geo.kernels, geo.kernelHeight, geo.kernelWidth)
    let (Cg, Kg) = (geo.groupChannels, geo.groupKernels)
    for n in 0..<geo.batch {
        for k in 0..<K {
            let g = k / Kg
            for i in 0..<geo.outHeight {
                for j in 0..<geo.outWidth {
                    let g0 = d[((n * K + k) * geo.outHeight + i) * geo.outWidth + j]
                    db[k] += g0
                    for c in 0..<Cg {
                        for r in 0..<R {
                            for s in 0..<S {
                                let y = i * stride.pair.0 - padding.pair.0 + r * dilation.pair.0
                                let z = j * stride.pair.1 - padding.pair.1 + s * dilation.pair.1
                                guard y >= 0, y < H, z >= 0, z < W else { continue }
                                let xi = ((n * C + g * Cg + c) * H + y) * W + z, wi = ((k * Cg + c) * R + r) * S + s
                                dw[wi] += g0 * xs[xi]
                                dx[xi] += g0 * ws[wi]
                            }
                        }
                    }
                }
            }
        }
    }
    let tx = Tensor(zeros: x.shape, dtype: x.dtype), tw = Tensor(zeros: weight.shape, dtype: x.dtype)
    let tb = Tensor(zeros: [K], dtype: x.dtype)
    tx.setElements(dx); tw.setElements(dw); tb.setElements(db)
    return (tx, tw, tb)
}

/// The im2col matrix of a convolution, as plain loops: row `(c·R + r)·S + s` holds what filter
/// tap (c, r, s) sees at every output position, column `(n·OH + i)·OW + j`. Multiplying the
/// weights reshaped to `[K, C·R·S]` by this matrix gives the convolution (groups = 1); this is
/// how the fast path turns a convolution into one matrix product (Backend/CPU/Im2col.swift).
///
/// - Parameters:
///   - x: `[N, C, H, W]`
///   - kernel: the filter size (R, S)
/// - Returns: `[C·R·S, N·OH·OW]`
public func im2col(_ x: Tensor, kernel: IntPair, stride: IntPair = 1, padding: IntPair = 0, dilation: IntPair = 1) -> Tensor {
    let geo = ConvGeometry(input: x.shape, weight: [1, x.shape[1], kernel.pair.0, kernel.pair.1],
                           Conv2dParameters(stride: stride.pair, padding: padding.pair, dilation: dilation.pair))
    let xs = x.doubles
    let (C, H, W, R, S) = (geo.channels, geo.height, geo.width, geo.kernelHeight, geo.kernelWidth)
    let columns = geo.batch * geo.positions
    var col = [Double](repeating: 0, count: C * R * S * columns)
    for c in 0..<C {
        for r in 0..<R {
            for s in 0..<S {
                let row = (c * R + r) * S + s
                for n in 0..<geo.batch {
                    for i in 0..<geo.outHeight {
                        for j in 0..<geo.outWidth {
                            let y = i * stride.pair.0 - padding.pair.0 + r * dilation.pair.0
                            let z = j * stride.pair.1 - padding.pair.1 + s * dilation.pair.1
                            guard y >= 0, y < H, z >= 0, z < W else { continue }  // padding stays 0
                            col[row * columns + (n * geo.outHeight + i) * geo.outWidth + j] = xs[((n * C + c) * H + y) * W + z]
                        }
                    }
                }
            }
        }
    }
    let t = Tensor(zeros: [C * R * S, columns], dtype: x.dtype)
    t.setElements(col)
    return t
}
