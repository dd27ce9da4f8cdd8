import Foundation
import Fovea
import FoveaData
import Testing

@Suite("reflect-padded shifts and alternating flips (airbench's augmentation)")
struct ReflectShiftTests {
    /// One 1×4×4 image whose pixel (y, x) holds 10y + x.
    static var ramp: Tensor { Tensor(shape: [1, 1, 4, 4], (0..<16).map { Float($0 / 4 * 10 + $0 % 4) }) }

    @Test("shifted reads (y + dy, x + dx) and mirrors the edge without repeating it, as PyTorch's reflect padding")
    func shifted() {
        let down = ImageTransform.shifted(Self.ramp, dy: 1, dx: 1)
        #expect(down.doubles.prefix(4) == [11, 12, 13, 12])   // row 0 reads row 1; column 4 reflects to 2
        let up = ImageTransform.shifted(Self.ramp, dy: -1, dx: -1)
        #expect(up.doubles.prefix(4) == [11, 10, 11, 12])     // row −1 reflects to 1; column −1 to 1
        #expect(ImageTransform.mirrored(Self.ramp).doubles.prefix(4) == [3, 2, 1, 0])
    }

    @Test("translate: every output pixel is an input pixel of its reflect-padded neighbourhood; zero padding never appears")
    func translate() {
        let transform = ImageTransform(translate: 2, mean: [0], std: [1])
        var rng = SplitMix64(seed: 4)
        let many = Tensor.concatenated(Array(repeating: Self.ramp, count: 50))
        let out = transform.apply(to: many, using: &rng).doubles
        let inputs = Set(Self.ramp.doubles)
        #expect(out.allSatisfy { inputs.contains($0) })
        #expect(Set(stride(from: 0, to: out.count, by: 16).map { out[$0] }).count > 4, "the top-left pixel varies with the shift")
    }

    @Test("alternating flips: a fixed coin per image, inverted in every odd epoch, the same for any batch size")
    func alternating() {
        let data = ImageDataset(images: Tensor.concatenated(Array(repeating: Self.ramp, count: 8)), labels: Array(0..<8), classNames: (0..<8).map(String.init))
        let transform = ImageTransform(alternatingFlip: true, mean: [0], std: [1])
        let loader = DataLoader(data, batchSize: 3, shuffle: true, transform: transform, seed: 9)
        let flips = (0..<8).map { loader.alternatingFlip(image: $0, epoch: 0) }
        #expect(Set(flips).count == 2, "both ways among 8 images")
        for epoch in 0..<3 {
            for batch in loader.batches(epoch: epoch) {
                for (row, label) in batch.labels.int64s.enumerated() {
                    let firstPixel = batch.images.doubles[row * 16]
                    let flipped = flips[Int(label)] != (epoch % 2 == 1)
                    #expect(firstPixel == (flipped ? 3 : 0), "image \(label), epoch \(epoch)")
                }
            }
        }
    }

    @Test("a transform saved before translate and alternating flips existed reads back with both off")
    func olderJSON() throws {
        let json = #"{"cropPadding":4,"horizontalFlip":true,"cutout":0,"mean":[0.5],"std":[0.25]}"#
        let transform = try JSONDecoder().decode(ImageTransform.self, from: Data(json.utf8))
        #expect(transform == ImageTransform(cropPadding: 4, horizontalFlip: true, mean: [0.5], std: [0.25]))
        let again = try JSONDecoder().decode(ImageTransform.self, from: JSONEncoder().encode(ImageTransform.airbench94Training))
        #expect(again == .airbench94Training)
    }
}
