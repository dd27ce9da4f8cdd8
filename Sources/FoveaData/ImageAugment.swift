import Foundation
import Fovea

/// The photo augmentations many tutorials add to ImageNet's crop and flip, as torchvision defines
/// them: a random affine transform (rotation, scale, shift; `RandomRotation`, `RandomAffine`) and
/// colour jitter (brightness, contrast, saturation; `ColorJitter`, the three in a random order).
/// They work on one image `[3, H, W]` with values in [0, 1], before normalisation.
public enum ImageAugment {
    /// `image` rotated by `degrees` (counter-clockwise) and scaled by `scale` about its centre, then
    /// shifted by `(dx, dy)` pixels; bilinear sampling, zero where the source falls outside.
    public static func affine(_ image: Tensor, degrees: Double, scale: Double = 1, dx: Double = 0, dy: Double = 0) -> Tensor {
        require(image.rank == 3 && scale > 0, "ImageAugment.affine: expected an image [C, H, W] and a positive scale, got \(image.shape), \(scale)")
        let (c, h, w) = (image.shape[0], image.shape[1], image.shape[2])
        let values = image.doubles
        let angle = degrees * .pi / 180, (cosine, sine) = (Foundation.cos(angle), Foundation.sin(angle))
        let (cx, cy) = (Double(w - 1) / 2, Double(h - 1) / 2)
        var out = [Float](repeating: 0, count: values.count)
        for y in 0..<h {
            for x in 0..<w {
                // The inverse map: where output pixel (x, y) comes from (y points down, so a
                // counter-clockwise turn on screen is a clockwise one in these coordinates).
                let (u, v) = ((Double(x) - cx - dx) / scale, (Double(y) - cy - dy) / scale)
                let sx = cosine * u - sine * v + cx, sy = sine * u + cosine * v + cy
                let (x0, y0) = (Int(Foundation.floor(sx)), Int(Foundation.floor(sy)))
                let (fx, fy) = (sx - Double(x0), sy - Double(y0))
                for ch in 0..<c {
                    func at(_ yy: Int, _ xx: Int) -> Double { yy >= 0 && yy < h && xx >= 0 && xx < w ? values[(ch * h + yy) * w + xx] : 0 }
                    let top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx, bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx
                    out[(ch * h + y) * w + x] = Float(top * (1 - fy) + bottom * fy)
                }
            }
        }
        return Tensor(shape: image.shape, out)
    }

    /// Brightness: every value × `factor`, clipped to [0, 1].
    public static func brightness(_ image: Tensor, _ factor: Double) -> Tensor {
        blend(image, factor) { _ in 0 }
    }

    /// Contrast: a blend with the image's mean grey level, `factor · x + (1 − factor) · mean`.
    public static func contrast(_ image: Tensor, _ factor: Double) -> Tensor {
        let grey = greyLevels(image)
        let mean = grey.reduce(0, +) / Double(grey.count)
        return blend(image, factor) { _ in mean }
    }

    /// Saturation: a blend with each pixel's grey level (0.299 R + 0.587 G + 0.114 B).
    public static func saturation(_ image: Tensor, _ factor: Double) -> Tensor {
        let grey = greyLevels(image)
        return blend(image, factor) { grey[$0] }
    }

    /// `factor · x + (1 − factor) · other(pixel)`, clipped to [0, 1].
    static func blend(_ image: Tensor, _ factor: Double, _ other: (Int) -> Double) -> Tensor {
        require(image.rank == 3 && image.shape[0] == 3, "ImageAugment: expected an RGB image [3, H, W], got \(image.shape)")
        let plane = image.shape[1] * image.shape[2], values = image.doubles
        return Tensor(shape: image.shape, values.indices.map { i in
            Float(Swift.min(1, Swift.max(0, factor * values[i] + (1 - factor) * other(i % plane))))
        })
    }

    /// ITU-R 601 luma of each pixel, as torchvision's `rgb_to_grayscale`.
    static func greyLevels(_ image: Tensor) -> [Double] {
        let plane = image.shape[1] * image.shape[2], v = image.doubles
        return (0..<plane).map { 0.299 * v[$0] + 0.587 * v[plane + $0] + 0.114 * v[2 * plane + $0] }
    }
}

/// The optional augmentations of ``ImageNetTransform``'s training path; all off by default.
public struct ExtraAugmentation: Codable, Sendable, Equatable {
    /// A rotation drawn uniformly from ±`degrees`.
    public var degrees = 0.0
    /// A scale drawn uniformly from this range (RandomAffine's `scale`).
    public var scale: ClosedRange<Double> = 1...1
    /// A shift of up to this fraction of the width and height (RandomAffine's `translate`).
    public var translate = 0.0
    /// Colour jitter factors, each drawn from [max(0, 1 − x), 1 + x] (ColorJitter's arguments).
    public var brightness = 0.0, contrast = 0.0, saturation = 0.0

    public init(degrees: Double = 0, scale: ClosedRange<Double> = 1...1, translate: Double = 0,
                brightness: Double = 0, contrast: Double = 0, saturation: Double = 0) {
        require(degrees >= 0 && scale.lowerBound > 0 && translate >= 0 && translate < 1 && brightness >= 0 && contrast >= 0 && saturation >= 0,
                "ExtraAugmentation: degrees, translate (below 1) and the jitter amounts must not be negative, the scale must be positive")
        (self.degrees, self.scale, self.translate) = (degrees, scale, translate)
        (self.brightness, self.contrast, self.saturation) = (brightness, contrast, saturation)
    }

    /// Whether anything is switched on.
    public var isActive: Bool { degrees > 0 || scale != 1...1 || translate > 0 || brightness > 0 || contrast > 0 || saturation > 0 }

    /// The geometric part on the full image (draws: angle, scale, dx, dy), before the crop.
    func geometric(_ image: Tensor, using rng: inout some RandomNumberGenerator) -> Tensor {
        guard degrees > 0 || scale != 1...1 || translate > 0 else { return image }
        let angle = (rng.nextUnitDouble() * 2 - 1) * degrees
        let factor = scale.lowerBound + rng.nextUnitDouble() * (scale.upperBound - scale.lowerBound)
        let dx = ((rng.nextUnitDouble() * 2 - 1) * translate * Double(image.shape[2])).rounded()
        let dy = ((rng.nextUnitDouble() * 2 - 1) * translate * Double(image.shape[1])).rounded()
        return ImageAugment.affine(image, degrees: angle, scale: factor, dx: dx, dy: dy)
    }

    /// The colour part (draws: the order of the three, then each factor as it is applied).
    func colour(_ image: Tensor, using rng: inout some RandomNumberGenerator) -> Tensor {
        guard brightness > 0 || contrast > 0 || saturation > 0 else { return image }
        var result = image
        for step in SeededOrder.permutation(3, seed: rng.next()) {
            let amount = [brightness, contrast, saturation][step]
            guard amount > 0 else { continue }
            let factor = Swift.max(0, 1 - amount) + rng.nextUnitDouble() * (1 + amount - Swift.max(0, 1 - amount))
            result = [ImageAugment.brightness, ImageAugment.contrast, ImageAugment.saturation][step](result, factor)
        }
        return result
    }
}
