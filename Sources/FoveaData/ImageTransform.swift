import Fovea

/// What happens to a batch of images between the dataset and the network: the random
/// augmentations of training (crop with zero padding, horizontal flip, Cutout) and the
/// per-channel normalisation that every batch gets, in that order, as torchvision's
/// `RandomCrop(32, padding=4)`, `RandomHorizontalFlip()`, `ToTensor()`, `Normalize(mean, std)`
/// and Cutout (DeVries & Taylor, 2017) after them.
///
/// airbench's augmentation is the other way to shift: `translate` pixels with *reflect* padding
/// (the edge is mirrored, not filled with zeros), and alternating flips: each image gets a random
/// flip once, then every odd epoch flips all images (the loader decides, from the image index, the
/// epoch and the seed, see ``DataLoader``), so that every image is seen both ways in any two epochs.
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
    /// A random shift of up to this many pixels in each direction, with reflect padding (0: off).
    public var translate: Int
    /// Flips decided by the loader (random per image, inverted every odd epoch) instead of a coin per draw.
    public var alternatingFlip: Bool

    public init(cropPadding: Int = 0, horizontalFlip: Bool = false, cutout: Int = 0, translate: Int = 0,
                alternatingFlip: Bool = false, mean: [Float], std: [Float]) {
        require(mean.count == std.count && std.allSatisfy { $0 > 0 }, "ImageTransform: mean \(mean) and std \(std) must have one positive std per channel")
        require(cropPadding >= 0 && cutout >= 0 && translate >= 0,
                "ImageTransform: cropPadding \(cropPadding), cutout \(cutout) and translate \(translate) must not be negative")
        require(cropPadding == 0 || translate == 0, "ImageTransform: choose zero-padded crops (cropPadding) or reflect-padded shifts (translate), not both")
        require(!(horizontalFlip && alternatingFlip), "ImageTransform: horizontalFlip and alternatingFlip exclude each other")
        (self.cropPadding, self.horizontalFlip, self.cutout, self.mean, self.std) = (cropPadding, horizontalFlip, cutout, mean, std)
        (self.translate, self.alternatingFlip) = (translate, alternatingFlip)
    }

    private enum CodingKeys: String, CodingKey { case cropPadding, horizontalFlip, cutout, mean, std, translate, alternatingFlip }

    /// Reads transforms saved before `translate` and `alternatingFlip` existed as having them off.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(cropPadding: try c.decode(Int.self, forKey: .cropPadding), horizontalFlip: try c.decode(Bool.self, forKey: .horizontalFlip),
                  cutout: try c.decode(Int.self, forKey: .cutout), translate: try c.decodeIfPresent(Int.self, forKey: .translate) ?? 0,
                  alternatingFlip: try c.decodeIfPresent(Bool.self, forKey: .alternatingFlip) ?? false,
                  mean: try c.decode([Float].self, forKey: .mean), std: try c.decode([Float].self, forKey: .std))
    }

    /// CIFAR-10 training: crop with padding 4, flip, normalise; Cutout of `cutout` pixels if > 0.
    public static func cifar10Training(cutout: Int = 0) -> ImageTransform {
        ImageTransform(cropPadding: 4, horizontalFlip: true, cutout: cutout, mean: CIFAR10.mean, std: CIFAR10.std)
    }

    /// CIFAR-10 evaluation: normalisation only.
    public static let cifar10Evaluation = ImageTransform(mean: CIFAR10.mean, std: CIFAR10.std)

    /// airbench94's training transform: shifts of up to 2 pixels with reflect padding, alternating flips.
    public static let airbench94Training = ImageTransform(translate: 2, alternatingFlip: true, mean: CIFAR10.mean, std: CIFAR10.std)

    /// Whether the transform draws random numbers (or, with alternating flips, takes them from the loader).
    public var isRandom: Bool { cropPadding > 0 || horizontalFlip || cutout > 0 || translate > 0 || alternatingFlip }

    /// The transform without its random parts: what evaluation uses.
    public var evaluation: ImageTransform { ImageTransform(mean: mean, std: std) }

    /// Applies the transform to `batch` `[N, C, H, W]` (values in [0, 1]) and returns a new tensor.
    /// Random numbers are drawn image by image, in order: crop or shift offsets (dy, dx), flip,
    /// Cutout centre. `flips` (one per image) decides the flips when ``alternatingFlip`` is on.
    public func apply(to batch: Tensor, flips: [Bool]? = nil, using rng: inout some RandomNumberGenerator) -> Tensor {
        require(batch.rank == 4 && batch.shape[1] == mean.count && batch.dtype == .float32,
                "ImageTransform: expected a Float32 batch [N, \(mean.count), H, W], got \(batch.dtype) \(batch.shape)")
        let (n, c, h, w) = (batch.shape[0], batch.shape[1], batch.shape[2], batch.shape[3])
        let out = Tensor(zeros: batch.shape)
        let src = batch.pointer(Float.self), dst = out.pointer(Float.self)
        let plane = h * w
        require(!alternatingFlip || flips?.count == n, "ImageTransform: alternating flips need one flip per image from the loader")
        let shift = max(cropPadding, translate)
        for i in 0..<n {
            let dy = shift > 0 ? Int(rng.next() % UInt64(2 * shift + 1)) - shift : 0
            let dx = shift > 0 ? Int(rng.next() % UInt64(2 * shift + 1)) - shift : 0
            let flip = alternatingFlip ? flips![i] : (horizontalFlip && rng.next() & 1 == 1)
            var hole: (y: Int, x: Int)?
            if cutout > 0 { hole = (Int(rng.next() % UInt64(h)), Int(rng.next() % UInt64(w))) }
            for ch in 0..<c {
                let scale = 1 / std[ch], offset = -mean[ch] / std[ch]
                let input = src + (i * c + ch) * plane, output = dst + (i * c + ch) * plane
                for y in 0..<h {
                    var sy = y + dy  // the crop window starts dy pixels below the original's top edge
                    if translate > 0 { sy = reflected(sy, h) }
                    for x in 0..<w {
                        var sx = (flip ? w - 1 - x : x) + dx  // crop, then mirror the cropped image
                        if translate > 0 { sx = reflected(sx, w) }
                        let value: Float = (sy >= 0 && sy < h && sx >= 0 && sx < w) ? input[sy * w + sx] : 0
                        output[y * w + x] = value * scale + offset
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

/// The index that reflect padding reads for position `i` of a line of `n` pixels: −1 reads 1,
/// n reads n − 2 (the edge pixel is not repeated, as PyTorch's `reflect` mode).
@inline(__always)
func reflected(_ i: Int, _ n: Int) -> Int {
    i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i)
}

extension ImageTransform {
    /// Every image of a `[N, C, H, W]` batch mirrored left–right.
    public static func mirrored(_ batch: Tensor) -> Tensor {
        shifted(batch, dy: 0, dx: 0, mirror: true)
    }

    /// Every image of a batch shifted so that output pixel (y, x) reads input (y + dy, x + dx),
    /// with reflect padding at the edges; mirrored first when `mirror`. Test-time augmentation
    /// uses it on normalised images.
    public static func shifted(_ batch: Tensor, dy: Int, dx: Int, mirror: Bool = false) -> Tensor {
        require(batch.rank == 4 && batch.dtype == .float32, "ImageTransform.shifted expects a Float32 batch [N, C, H, W], got \(batch.dtype) \(batch.shape)")
        let (planes, h, w) = (batch.shape[0] * batch.shape[1], batch.shape[2], batch.shape[3])
        require(abs(dy) < h && abs(dx) < w, "ImageTransform.shifted: shift (\(dy), \(dx)) is too large for \(h)×\(w) images")
        let out = Tensor(zeros: batch.shape)
        let src = batch.pointer(Float.self), dst = out.pointer(Float.self)
        for p in 0..<planes {
            let input = src + p * h * w, output = dst + p * h * w
            for y in 0..<h {
                let sy = reflected(y + dy, h)
                for x in 0..<w { output[y * w + x] = input[sy * w + reflected((mirror ? w - 1 - x : x) + dx, w)] }
            }
        }
        return out
    }
}
