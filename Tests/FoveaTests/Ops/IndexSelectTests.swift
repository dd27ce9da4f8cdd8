import Fovea
import Testing

@Suite("indexSelect")
struct IndexSelectTests {
    @Test("picks whole images in the given order, with repeats, for float and int64 tensors")
    func picks() {
        let images = Tensor(shape: [3, 1, 2, 2], (0..<12).map(Float.init))
        let batch = images.indexSelect([2, 0, 2])
        #expect(batch.shape == [3, 1, 2, 2])
        #expect(batch.doubles == [8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11])
        let labels = Tensor(shape: [3], int64: [7, 8, 9])
        #expect(labels.indexSelect([1, 1, 0]).int64s == [8, 8, 7])
        #expect(images.indexSelect([]).shape == [0, 1, 2, 2])
    }

    @Test("the gradient of a repeated index is the sum; an index never picked gets zero")
    func scatterAdd() {
        let x = Tensor(shape: [3, 2], [1, 2, 3, 4, 5, 6], requiresGrad: true)
        let out = x.indexSelect([2, 2, 0])
        (out * Tensor(shape: [3, 2], [1, 10, 100, 1000, 5, 7])).sum().backward()
        #expect(x.grad!.doubles == [5, 7, 0, 0, 101, 1010])
    }

    @Test("the fast copy equals the plain-loop reference on a large batch with repeats")
    func largeBatch() {
        var rng = SplitMix64(seed: 3)
        let x = Tensor.normal([64, 3, 8, 8], using: &rng)
        let indices = (0..<200).map { _ in Int(rng.next() % 64) }
        let reference = indexSelectReference(x, indices, axis: 0)
        #expect(x.indexSelect(indices).doubles == reference.doubles)
    }

    @Test("an index out of range stops with a message naming it and the shape")
    func outOfRange() async throws {
        let result = try #require(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor(zeros: [4, 3]).indexSelect([0, 4])
        })
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(stderr.contains("indexSelect: index 4 is out of range for axis 0 of shape [4, 3]"), "\(stderr.prefix(400))")
    }
}
