import Fovea
import FoveaData
import Testing

@Suite("rotation, affine and colour jitter")
struct ImageAugmentTests {
    /// 3×5×5: channel c, pixel (y, x) holds c + 10y + x, scaled to [0, 1].
    static var grid: Tensor {
        let values: [Float] = (0..<75).map { (i: Int) -> Float in
            let (c, y, x) = (i / 25, i % 25 / 5, i % 5)
            return Float(c + 10 * y + x) / 50
        }
        return Tensor(shape: [3, 5, 5], values)
    }

    @Test("a quarter turn moves the right edge to the top (counter-clockwise on screen); a full turn and a shift are exact")
    func affine() {
        let image = Self.grid, turned = ImageAugment.affine(image, degrees: 90)
        for c in 0..<3 { for i in 0..<5 {
            #expect(abs(turned[c, 0, i] - image[c, i, 4]) < 1e-6, "column 4 becomes row 0")
        } }
        let full = ImageAugment.affine(image, degrees: 360)
        #expect(zip(full.doubles, image.doubles).allSatisfy { abs($0 - $1) < 1e-6 })
        let shifted = ImageAugment.affine(image, degrees: 0, dx: 1)
        #expect(shifted[0, 2, 0] == 0 && abs(shifted[0, 2, 3] - image[0, 2, 2]) < 1e-7)
        let doubled = ImageAugment.affine(image, degrees: 0, scale: 2)
        #expect(abs(doubled[1, 2, 2] - image[1, 2, 2]) < 1e-7, "the centre stays")
    }

    @Test("brightness scales and clips; contrast 0 leaves the mean grey; saturation 0 leaves grey pixels")
    func colour() {
        let image = Self.grid
        #expect(zip(ImageAugment.brightness(image, 0.5).doubles, image.doubles).allSatisfy { abs($0 - $1 / 2) < 1e-6 })
        #expect(ImageAugment.brightness(image, 10).doubles.max() == 1)
        let flat = ImageAugment.contrast(image, 0).doubles
        #expect(Set(flat.map { ($0 * 1e5).rounded() }).count == 1)
        let grey = ImageAugment.saturation(image, 0)
        for i in 0..<25 { #expect(abs(grey.doubles[i] - grey.doubles[25 + i]) < 1e-6 && abs(grey.doubles[i] - grey.doubles[50 + i]) < 1e-6) }
    }

    @Test("ImageNetTransform with extra augmentation: seeded, the right size, off by default")
    func inTransform() {
        var rng = SplitMix64(seed: 1)
        let photo = Tensor.uniform([3, 60, 80], low: 0, high: 1, using: &rng)
        let extra = ExtraAugmentation(degrees: 15, scale: 0.9...1.1, translate: 0.1, brightness: 0.4, contrast: 0.4, saturation: 0.4)
        let transform = ImageNetTransform(size: 32, extra: extra)
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7), c = SplitMix64(seed: 7)
        let x = transform.training(photo, using: &a), y = transform.training(photo, using: &b)
        #expect(x.shape == [3, 32, 32] && x.doubles == y.doubles)
        #expect(ImageNetTransform(size: 32).training(photo, using: &c).doubles != x.doubles)
        #expect(extra.isActive && !ExtraAugmentation().isActive)
    }
}
