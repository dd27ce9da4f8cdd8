import Fovea

/// What happens to a batch of images between the dataset and the network: the random
/// augmentations of training (crop with zero padding, horizontal flip, Cutout) and the
/// per-channel normalisation that every batch gets, in that order, as torchvision's
/// `RandomCrop(32, padding=4)`, `RandomHorizontalFlip()`, `ToTensor()`, `Normalize(mean, std)`
/// and Cutout (DeVries & Taylor, 2017) after them.
///
/// It is `Codable`: a checkpoint stores the evaluation transform so that `fovea eval` and
/// `fovea predict` prepare images exactly as training did.
public struct ImageTransform: Codable, Equatable, Sendable {
    /// Zero padding on each side before a random crop back to the original size; 0 turns cropping off.
    public var cropPadding: Int
    /// Flip each image left–right with probability 1/2.
    public var horizontalFlip: Bool
    /// Side of the square set to zero (after normalisation) at a random centre; 0 turns Cutout off.
    public var cutout: Int
    /// Per-channel mean and standard deviation: `x ← (x − mean) / std`.
    public var mean: [Float]
    public var std: [Float]

    public init(cropPadding: Int = 0, horizontalFlip: Bool = false, cutout: Int = 0, mean: [Float], std: [Float]) {
        require(mean.count == std.count && std.allSatisfy { $0 > 0 }, "ImageTransform: mean \(mean) and std \(std) must have one positive std per channel")
        require(cropPadding >= 0 && cutout >= 0, "ImageTransform: cropPadding \(cropPadding) and cutout \(cutout) must not be negative")
        (self.cropPadding, self.horizontalFlip, self.cutout, self.mean, self.std) = (cropPadding, horizontalFlip, cutout, mean, std)
    }

    /// CIFAR-10 training: crop with padding 4, flip, normalise; Cutout of `cutout` pixels if > 0.
    public static func cifar10Training(cutout: Int = 0) -> ImageTransform {
        ImageTransform(cropPadding: 4, horizontalFlip: true, cutout: cutout, mean: CIFAR10.mean, std: CIFAR10.std)
    }

    /// CIFAR-10 evaluation: normalisation only.
    public static let cifar10Evaluation = ImageTransform(mean: CIFAR10.mean, std: CIFAR10.std)

    /// Whether the transform draws random numbers.
    public var isRandom: Bool { cropPadding > 0 || horizontalFlip || cutout > 0 }

    /// The transform without its random parts: what evaluation uses.
    public var evaluation: ImageTransform { ImageTransform(mean: mean, std: std) }

    /// Applies the transform to `batch` `[N, C, H, W]` (values in [0, 1]) and returns a new tensor.
    /// Random numbers are drawn image by image, in order: crop offsets (dy, dx), flip, Cutout centre.
    public func apply(to batch: Tensor, using rng: inout some RandomNumberGenerator) -> Tensor {
        require(batch.rank == 4 && batch.shape[1] == mean.count && batch.dtype == .float32,
                "ImageTransform: expected a Float32 batch [N, \(mean.count), H, W], got \(batch.dtype) \(batch.shape)")
        let (n, c, h, w) = (batch.shape[0], batch.shape[1], batch.shape[2], batch.shape[3])
        let out = Tensor(zeros: batch.shape)
        let src = batch.pointer(Float.self), dst = out.pointer(Float.self)
        let plane = h * w
        for i in 0..<n {
            let dy = cropPadding > 0 ? Int(rng.next() % UInt64(2 * cropPadding + 1)) - cropPadding : 0
            let dx = cropPadding > 0 ? Int(rng.next() % UInt64(2 * cropPadding + 1)) - cropPadding : 0
            let flip = horizontalFlip && rng.next() & 1 == 1
            var hole: (y: Int, x: Int)?
            if cutout > 0 { hole = (Int(rng.next() % UInt64(h)), Int(rng.next() % UInt64(w))) }
            for ch in 0..<c {
                let scale = 1 / std[ch], shift = -mean[ch] / std[ch]
                let input = src + (i * c + ch) * plane, output = dst + (i * c + ch) * plane
                for y in 0..<h {
                    let sy = y + dy  // the crop window starts dy pixels below the original's top edge
                    for x in 0..<w {
                        let sx = (flip ? w - 1 - x : x) + dx  // crop, then mirror the cropped image
                        let value: Float = (sy >= 0 && sy < h && sx >= 0 && sx < w) ? input[sy * w + sx] : 0
                        output[y * w + x] = value * scale + shift
                    }
                }
                if let hole {
                    let half = cutout / 2
                    for y in max(0, hole.y - half)..<min(h, hole.y - half + cutout) {
                        for x in max(0, hole.x - half)..<min(w, hole.x - half + cutout) { output[y * w + x] = 0 }
                    }
                }
            }
        }
        return out
    }
}
