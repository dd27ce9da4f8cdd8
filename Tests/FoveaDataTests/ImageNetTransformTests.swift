import Foundation
import Fovea
import FoveaData
import Testing

@Suite("ImageNet transforms")
struct ImageNetTransformTests {
    /// A 3×300×400 image whose red channel is x / 400 and green y / 300.
    static var image: Tensor {
        var v = [Float](repeating: 0, count: 3 * 300 * 400)
        for y in 0..<300 { for x in 0..<400 { v[y * 400 + x] = Float(x) / 400; v[120_000 + y * 400 + x] = Float(y) / 300 } }
        return Tensor(shape: [3, 300, 400], v)
    }

    @Test("RandomResizedCrop: inside the image, 8–100 % of its area, aspect 3/4–4/3, seeded")
    func randomCrops() {
        let transform = ImageNetTransform()
        var rng = SplitMix64(seed: 1)
        for _ in 0..<500 {
            let c = transform.randomCrop(width: 400, height: 300, using: &rng)
            #expect(c.x >= 0 && c.y >= 0 && c.x + c.width <= 400 && c.y + c.height <= 300)
            let share = c.width * c.height / 120_000, aspect = c.width / c.height
            #expect(share >= 0.07 && share <= 1.0 && aspect >= 0.74 && aspect <= 1.34)
        }
        var a = SplitMix64(seed: 9), b = SplitMix64(seed: 9)
        #expect(transform.training(Self.image, using: &a).doubles == transform.training(Self.image, using: &b).doubles)
    }

    @Test("evaluation: shorter side to 256, the central 224 × 224, normalised with ImageNet's mean and std")
    func evaluation() {
        let out = ImageNetTransform().evaluation(Self.image)
        #expect(out.shape == [3, 224, 224])
        // The centre pixel of the red channel is x ≈ 200/400 = 0.5 before normalisation.
        let centre = out[0][112][112].item() * Double(ImageNetTransform.std[0]) + Double(ImageNetTransform.mean[0])
        #expect(abs(centre - 0.5) < 0.01)
        // The crop spans the central 300 · 224/256 = 262.5 pixels: red from about 0.17 to 0.83.
        let left = out[0][112][0].item() * Double(ImageNetTransform.std[0]) + Double(ImageNetTransform.mean[0])
        #expect(abs(left - (200 - 131.25) / 400) < 0.01)
    }

    @Test("a region resampled to its own size is the region itself")
    func identity() {
        let out = ImageResize.region(Self.image, x: 10, y: 20, width: 30, height: 40, outWidth: 30, outHeight: 40)
        #expect(out.shape == [3, 40, 30])
        #expect(abs(out[0][0][0].item() - 10.0 / 400) < 1e-6 && abs(out[1][39][0].item() - 59.0 / 300) < 1e-6)
    }
}
