import Foundation
import Fovea

/// Resizing an image to what a network takes.
public enum ImageResize {
    /// `image` `[C, H, W]` scaled so that its shorter side is `side` pixels, then the central
    /// `side × side` square: how `fovea predict` fits any photo to a 32×32 CIFAR network.
    /// Each output pixel is the mean of the input pixels its box covers (area averaging; when
    /// enlarging, the nearest pixel), so shrinking a large photo does not alias.
    public static func centerSquare(_ image: Tensor, side: Int) -> Tensor {
        require(image.rank == 3 && side > 0, "centerSquare: expected an image [C, H, W] and a positive side, got \(image.shape) and \(side)")
        let (h, w) = (image.shape[1], image.shape[2])
        if h == side && w == side { return image }
        let scale = Double(min(h, w)) / Double(side)        // input pixels per output pixel
        let extent = scale * Double(side)
        return region(image, x: (Double(w) - extent) / 2, y: (Double(h) - extent) / 2, width: extent, height: extent,
                      outWidth: side, outHeight: side)
    }

    /// The region `(x, y, width, height)` of `image` `[C, H, W]` (in pixels, fractions allowed),
    /// resampled to `outWidth × outHeight`: each output pixel averages the input pixels its box
    /// covers (the nearest pixel when enlarging). What RandomResizedCrop and resize + centre crop
    /// are made of.
    public static func region(_ image: Tensor, x: Double, y: Double, width: Double, height: Double,
                              outWidth: Int, outHeight: Int) -> Tensor {
        require(image.rank == 3 && width > 0 && height > 0 && outWidth > 0 && outHeight > 0,
                "ImageResize.region: expected an image [C, H, W] and a non-empty region and output, got \(image.shape)")
        let (c, h, w) = (image.shape[0], image.shape[1], image.shape[2])
        let float = image.dtype == .float32 ? image : image.converted(to: .float32)
        let source = float.pointer(Float.self)
        let sx = width / Double(outWidth), sy = height / Double(outHeight)
        // The input rows and columns each output row and column averages.
        let rowSpans = (0..<outHeight).map { oy in
            let top = y + Double(oy) * sy
            return Swift.max(0, Int(top))..<Swift.min(h, Swift.max(Int((top + sy).rounded(.up)), Int(top) + 1))
        }
        let columnSpans = (0..<outWidth).map { ox in
            let left = x + Double(ox) * sx
            return Swift.max(0, Int(left))..<Swift.min(w, Swift.max(Int((left + sx).rounded(.up)), Int(left) + 1))
        }
        var out = [Float](repeating: 0, count: c * outWidth * outHeight)
        let used = rowSpans.filter { !$0.isEmpty }
        guard let firstRow = used.map(\.lowerBound).min(), let endRow = used.map(\.upperBound).max() else {
            return Tensor(shape: [c, outHeight, outWidth], out)
        }
        // Separable box sums (in Double, exact for image values): first each needed input row's sum
        // over every output column's span, then each output pixel's sum of those over its rows.
        var rowSums = [Double](repeating: 0, count: (endRow - firstRow) * outWidth)
        for ch in 0..<c {
            for r in firstRow..<endRow {
                let row = source + (ch * h + r) * w
                for (ox, columns) in columnSpans.enumerated() {
                    var sum = 0.0
                    for q in columns { sum += Double(row[q]) }
                    rowSums[(r - firstRow) * outWidth + ox] = sum
                }
            }
            for (oy, rows) in rowSpans.enumerated() where !rows.isEmpty {
                for (ox, columns) in columnSpans.enumerated() where !columns.isEmpty {
                    var sum = 0.0
                    for r in rows { sum += rowSums[(r - firstRow) * outWidth + ox] }
                    out[(ch * outHeight + oy) * outWidth + ox] = Float(sum / Double(rows.count * columns.count))
                }
            }
        }
        return Tensor(shape: [c, outHeight, outWidth], out)
    }
}

/// ImageNet's standard preprocessing (torchvision's): for training, RandomResizedCrop (a random
/// region of 8–100 % of the area, aspect ratio 3/4–4/3, resized to `size`) and a horizontal flip;
/// for evaluation, the shorter side resized to `size · 256/224` and the central `size × size`. Both
/// then normalise with ImageNet's per-channel mean and std.
public struct ImageNetTransform: Sendable {
    public static let mean: [Float] = [0.485, 0.456, 0.406]
    public static let std: [Float] = [0.229, 0.224, 0.225]
    public var size = 224
    public var scale: ClosedRange<Double> = 0.08...1
    public var ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3)
    /// Rotation, affine and colour jitter for training (off by default): the affine part before
    /// the crop, colour after the flip.
    public var extra = ExtraAugmentation()
    public init(size: Int = 224, extra: ExtraAugmentation = ExtraAugmentation()) { (self.size, self.extra) = (size, extra) }

    /// The crop RandomResizedCrop takes from a `width × height` image: up to 10 tries at a random
    /// area and aspect ratio, then the central crop at the nearest allowed ratio (as torchvision).
    public func randomCrop(width: Int, height: Int, using rng: inout some RandomNumberGenerator)
        -> (x: Double, y: Double, width: Double, height: Double) {
        let area = Double(width * height)
        for _ in 0..<10 {
            let target = area * (scale.lowerBound + rng.nextUnitDouble() * (scale.upperBound - scale.lowerBound))
            let logRatio = log(ratio.lowerBound) + rng.nextUnitDouble() * (log(ratio.upperBound) - log(ratio.lowerBound))
            let aspect = exp(logRatio)
            let w = (target * aspect).squareRoot().rounded(), h = (target / aspect).squareRoot().rounded()
            if w > 0 && h > 0 && w <= Double(width) && h <= Double(height) {
                let x = Double(Int(rng.next() % UInt64(width - Int(w) + 1))), y = Double(Int(rng.next() % UInt64(height - Int(h) + 1)))
                return (x, y, w, h)
            }
        }
        let inRatio = Double(width) / Double(height)
        var (w, h) = (Double(width), Double(height))
        if inRatio < ratio.lowerBound { h = (w / ratio.lowerBound).rounded() } else if inRatio > ratio.upperBound { w = (h * ratio.upperBound).rounded() }
        return ((Double(width) - w) / 2, (Double(height) - h) / 2, w, h)
    }

    /// Training: the extra geometric augmentation if any, a random resized crop, a flip with
    /// probability 1/2, colour jitter if any, normalisation.
    public func training(_ image: Tensor, using rng: inout some RandomNumberGenerator) -> Tensor {
        let image = extra.geometric(image, using: &rng)
        let crop = randomCrop(width: image.shape[2], height: image.shape[1], using: &rng)
        var out = ImageResize.region(image, x: crop.x, y: crop.y, width: crop.width, height: crop.height, outWidth: size, outHeight: size)
        if rng.next() & 1 == 1 { out = Tensor(shape: out.shape, flippedValues(out)) }
        return normalised(extra.colour(out, using: &rng))
    }

    /// Evaluation: shorter side to `size · 256/224`, the central `size × size`, normalisation.
    public func evaluation(_ image: Tensor) -> Tensor { normalised(evaluationCrop(image)) }

    /// The evaluation crop before normalisation (values as in `image`): what `fovea predict` draws.
    public func evaluationCrop(_ image: Tensor) -> Tensor {
        let (h, w) = (Double(image.shape[1]), Double(image.shape[2]))
        let resize = Double(size) * 256 / 224, scale = Swift.min(h, w) / resize   // input pixels per resized pixel
        let side = Double(size) * scale
        return ImageResize.region(image, x: (w - side) / 2, y: (h - side) / 2, width: side, height: side, outWidth: size, outHeight: size)
    }

    /// `t` `[C, H, W]` (Float32, as ``ImageResize/region(_:x:y:width:height:outWidth:outHeight:)`` makes it) mirrored left to right.
    private func flippedValues(_ t: Tensor) -> [Float] {
        let (c, h, w) = (t.shape[0], t.shape[1], t.shape[2]), v = t.pointer(Float.self)
        var out = [Float](repeating: 0, count: c * h * w)
        for row in 0..<(c * h) { for x in 0..<w { out[row * w + x] = v[row * w + (w - 1 - x)] } }
        return out
    }

    private func normalised(_ t: Tensor) -> Tensor {
        let t = t.dtype == .float32 ? t : t.converted(to: .float32)
        let plane = t.shape[1] * t.shape[2], v = t.pointer(Float.self)
        var out = [Float](repeating: 0, count: t.count)
        for ch in 0..<t.shape[0] {
            let (mean, std) = (Self.mean[ch], Self.std[ch])
            for i in ch * plane..<(ch + 1) * plane { out[i] = (v[i] - mean) / std }
        }
        return Tensor(shape: t.shape, out)
    }
}
