// Max pooling 2×2 with stride 2 on Float32, eight output pixels at a time: the hot pooling of
// airbench94 and VGG-style nets. The reference is the plain loop in CPU+Pooling.swift, with the
// same rules: the first maximum in row-major order wins (strictly greater replaces), and a NaN
// wins over any number (the first NaN, as PyTorch propagates it).
//
// For eight outputs of one row, 16 inputs of each of the two input rows are loaded and split
// into even and odd columns: the four candidates of each window are (top even, top odd, bottom
// even, bottom odd), compared in that order with masks instead of branches.

/// One plane: `out[oh][ow] = max` of the 2×2 window at (2·oh, 2·ow) of the input, and `argmax` its
/// offset in the input plane. A row's last eight outputs overlap the previous eight when `outWidth`
/// is not a multiple of 8 (recomputing a few is cheaper than a scalar tail); rows shorter than 8
/// outputs are gathered lane by lane.
@inline(__always)
func maxPool2x2Plane(_ x: UnsafeRawPointer, width w: Int, outHeight oh: Int, outWidth ow: Int,
                     out: UnsafeMutableRawPointer, argmax: UnsafeMutablePointer<Int32>) {
    let lanes = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14)
    for row in 0..<oh {
        let top = x + 4 * (2 * row * w), bottom = top + 4 * w
        var column = 0
        while column < ow {
            let start = max(0, min(column, ow - 8))
            let a: SIMD16<Float>, b: SIMD16<Float>
            if ow >= 8 {
                a = top.loadUnaligned(fromByteOffset: 4 * 2 * start, as: SIMD16<Float>.self)
                b = bottom.loadUnaligned(fromByteOffset: 4 * 2 * start, as: SIMD16<Float>.self)
            } else {   // a short row: gather its 2·ow columns, the unused lanes stay 0 and are not stored
                var (ta, tb) = (SIMD16<Float>(repeating: 0), SIMD16<Float>(repeating: 0))
                for i in 0..<(2 * ow) {
                    ta[i] = top.load(fromByteOffset: 4 * i, as: Float.self)
                    tb[i] = bottom.load(fromByteOffset: 4 * i, as: Float.self)
                }
                (a, b) = (ta, tb)
            }
            let base = SIMD8<Int32>(repeating: Int32(2 * row * w + 2 * start)) &+ lanes
            var best = a.evenHalf, at = base
            @inline(__always) func consider(_ candidate: SIMD8<Float>, _ offset: Int32) {
                // Replace where strictly greater, or where the candidate is NaN and the best so far is not.
                let wins = (candidate .> best) .| ((candidate .!= candidate) .& (best .== best))
                best.replace(with: candidate, where: wins)
                at.replace(with: base &+ offset, where: wins)
            }
            consider(a.oddHalf, 1)
            consider(b.evenHalf, Int32(w))
            consider(b.oddHalf, Int32(w + 1))
            if ow >= 8 {
                out.storeBytes(of: best, toByteOffset: 4 * (row * ow + start), as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(argmax + row * ow + start).storeBytes(of: at, as: SIMD8<Int32>.self)
            } else {
                for lane in 0..<ow {
                    out.storeBytes(of: best[lane], toByteOffset: 4 * (row * ow + lane), as: Float.self)
                    argmax[row * ow + lane] = at[lane]
                }
            }
            column = start + 8
        }
    }
}
