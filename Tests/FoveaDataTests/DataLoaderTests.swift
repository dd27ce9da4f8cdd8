import Foundation
import Fovea
import FoveaData
import Testing

@Suite("data loader and transforms")
struct DataLoaderTests {
    /// 37 images of 3×8×8 whose pixels encode (image, channel, y, x), labels = image % 10.
    static func dataset(count: Int = 37) -> ImageDataset {
        var values: [Float] = []
        for i in 0..<count { for c in 0..<3 { for y in 0..<8 { for x in 0..<8 { values.append(Float(i * 1000 + c * 100 + y * 10 + x + 1) / 100_000) } } } }
        return ImageDataset(images: Tensor(shape: [count, 3, 8, 8], values), labels: (0..<count).map { $0 % 10 },
                            classNames: (0..<10).map { "class \($0)" })
    }

    static let identity = ImageTransform(mean: [0, 0, 0], std: [1, 1, 1])

    @Test("an epoch visits every image once, in a seeded order; another epoch or seed, another order")
    func permutation() {
        let loader = DataLoader(Self.dataset(), batchSize: 8, shuffle: true, transform: Self.identity, seed: 5)
        #expect(loader.batchesPerEpoch == 5)
        let seen = loader.batches(epoch: 0).flatMap { $0.labels.int64s.map(Int.init) }
        #expect(seen.count == 37)
        #expect(loader.order(epoch: 0).sorted() == Array(0..<37))
        #expect(loader.order(epoch: 0) == DataLoader(Self.dataset(), batchSize: 8, shuffle: true, transform: Self.identity, seed: 5).order(epoch: 0))
        #expect(loader.order(epoch: 0) != loader.order(epoch: 1))
        #expect(loader.order(epoch: 0) != DataLoader(Self.dataset(), batchSize: 8, shuffle: true, transform: Self.identity, seed: 6).order(epoch: 0))
        let dropping = DataLoader(Self.dataset(), batchSize: 8, shuffle: true, transform: Self.identity, seed: 5, dropLast: true)
        #expect(dropping.batchesPerEpoch == 4 && dropping.batches(epoch: 0).map(\.count) == [8, 8, 8, 8])
    }

    @Test("a batch holds exactly the images its indices name (gathered, then transformed)")
    func gatherContent() {
        let data = Self.dataset()
        let loader = DataLoader(data, batchSize: 8, shuffle: true, transform: Self.identity, seed: 1)
        let order = loader.order(epoch: 2)
        let batch = loader.batch(1, epoch: 2, order: order)
        #expect(batch.images.doubles == data.images.indexSelect(Array(order[8..<16])).doubles)
        #expect(batch.labels.int64s == order[8..<16].map { Int64($0 % 10) })
    }

    @Test("resuming at batch k gives the same batches as the uninterrupted epoch, with or without prefetching")
    func resumeAndPrefetch() {
        let augmenting = ImageTransform(cropPadding: 2, horizontalFlip: true, cutout: 3, mean: [0.1, 0.2, 0.3], std: [0.5, 0.5, 0.5])
        let ahead = DataLoader(Self.dataset(), batchSize: 6, shuffle: true, transform: augmenting, seed: 9, prefetch: 3)
        let inline = DataLoader(Self.dataset(), batchSize: 6, shuffle: true, transform: augmenting, seed: 9, prefetch: 0)
        let all = ahead.batches(epoch: 3).map(\.images.doubles)
        #expect(all == inline.batches(epoch: 3).map(\.images.doubles))
        #expect(Array(all[4...]) == ahead.batches(epoch: 3, from: 4).map(\.images.doubles))
        #expect(all[0] != ahead.batches(epoch: 4).map(\.images.doubles)[0])
    }

    @Test("a loader abandoned mid-epoch stops its thread (no hang, no crash)")
    func abandon() {
        let loader = DataLoader(Self.dataset(), batchSize: 2, shuffle: true, transform: Self.identity, seed: 0, prefetch: 2)
        for _ in 0..<20 {
            let batches = loader.batches(epoch: 0)
            _ = batches.next()
        }
        #expect(loader.batches(epoch: 0).reduce(0) { $0 + $1.count } == 37)
    }

    @Test("flip mirrors the image, normalisation is (x − mean) / std")
    func flipAndNormalise() {
        let data = Self.dataset(count: 1)
        let transform = ImageTransform(horizontalFlip: true, mean: [0.5, 0.25, 0], std: [2, 4, 1])
        var flips = 0
        for seed in 0..<16 {
            var rng = SplitMix64(seed: UInt64(seed))
            let out = transform.apply(to: data.images, using: &rng)
            let x = data.images.doubles
            var mirrored = true, same = true
            for c in 0..<3 { for y in 0..<8 { for col in 0..<8 {
                let o = out.doubles[(c * 8 + y) * 8 + col]
                let mean = [0.5, 0.25, 0.0][c], std = [2.0, 4.0, 1.0][c]
                let plain = (Double(Float(x[(c * 8 + y) * 8 + col])) - mean) / std, flipped = (x[(c * 8 + y) * 8 + 7 - col] - mean) / std
                if abs(o - plain) > 1e-6 { same = false }
                if abs(o - flipped) > 1e-6 { mirrored = false }
            } } }
            #expect(same != mirrored, "seed \(seed): neither the image nor its mirror")
            if mirrored { flips += 1 }
        }
        #expect(flips > 2 && flips < 14)
    }

    @Test("a padded crop is the image shifted by at most the padding, with zeros let in")
    func crop() {
        let data = Self.dataset(count: 1)
        let transform = ImageTransform(cropPadding: 2, mean: [0, 0, 0], std: [1, 1, 1])
        let x = data.images.doubles
        var shifts = Set<[Int]>()
        for seed in 0..<40 {
            var rng = SplitMix64(seed: UInt64(seed))
            let out = transform.apply(to: data.images, using: &rng).doubles
            let match = (-2...2).flatMap { dy in (-2...2).map { dx in [dy, dx] } }.first { s in
                (0..<3).allSatisfy { c in (0..<8).allSatisfy { y in (0..<8).allSatisfy { col in
                    let sy = y + s[0], sx = col + s[1]
                    let expected = (0..<8).contains(sy) && (0..<8).contains(sx) ? x[(c * 8 + sy) * 8 + sx] : 0
                    return out[(c * 8 + y) * 8 + col] == expected
                } } }
            }
            #expect(match != nil, "seed \(seed): not a shifted copy")
            if let match { shifts.insert(match) }
        }
        #expect(shifts.count > 5, "crops should vary: \(shifts)")
    }

    @Test("Cutout zeroes one square of at most side × side pixels, the same in every channel")
    func cutout() {
        let data = Self.dataset(count: 1)
        var rng = SplitMix64(seed: 2)
        let out = ImageTransform(cutout: 4, mean: [0, 0, 0], std: [1, 1, 1]).apply(to: data.images, using: &rng).doubles
        let zeros = (0..<3).map { c in (0..<64).filter { out[c * 64 + $0] == 0 } }
        #expect(zeros[0] == zeros[1] && zeros[1] == zeros[2])
        #expect(zeros[0].count >= 4 && zeros[0].count <= 16)
    }

    @Test("the validation split is seeded, disjoint and complete")
    func validationSplit() {
        let data = Self.dataset()
        let (training, validation) = data.splittingValidation(7, seed: 3)
        #expect(training.count == 30 && validation.count == 7)
        let again = data.splittingValidation(7, seed: 3).validation
        #expect(again.images.doubles == validation.images.doubles)
        let other = data.splittingValidation(7, seed: 4).validation
        #expect(other.images.doubles != validation.images.doubles)
        // Pixel 0 of image i is (i·1000 + 1) / 100000: recover the indices.
        let index = { (d: ImageDataset) in (0..<d.count).map { Int((d.images[$0].doubles[0] * 100_000).rounded()) / 1000 } }
        #expect(Set(index(training)).union(index(validation)) == Set(0..<37))
        #expect(Set(index(training)).isDisjoint(with: index(validation)))
    }
}
