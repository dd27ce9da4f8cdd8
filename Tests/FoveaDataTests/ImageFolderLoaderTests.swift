import Foundation
import Fovea
import FoveaData
import Testing

/// The worker-thread loader on real ILSVRC JPEGs (links to 24 images of the shared sample in a
/// temporary folder), plus a damaged file for the error paths.
@Suite("ImageFolderLoader", .enabled(if: ImageFolderTests.hasSample, "../shared/data/imagenet-sample is absent"))
struct ImageFolderLoaderTests {
    /// A temporary image folder: 24 sample images in their wnid folders (links), and `extra` files.
    static func folder(extra: [(folder: String, name: String, contents: Data)] = []) throws -> (root: URL, folder: ImageFolder) {
        let sample = try ImageFolder(root: ImageFolderTests.sample)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-loader-\(UUID().uuidString)")
        for (path, _) in sample.images.prefix(24) {
            let wnid = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
            let dir = root.appendingPathComponent(wnid)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent).path,
                                                       withDestinationPath: path)
        }
        for file in extra {
            _ = FileManager.default.createFile(atPath: root.appendingPathComponent(file.folder).appendingPathComponent(file.name).path,
                                               contents: file.contents)
        }
        return (root, try ImageFolder(root: root.path))
    }

    static func batches(_ loader: ImageFolderLoader, epoch: Int, from start: Int = 0) throws -> [Batch] {
        let sequence = loader.batches(epoch: epoch, from: start)
        var all: [Batch] = []
        while let batch = try sequence.next() { all.append(batch) }
        return all
    }

    @Test("the same batches with 1 or 3 workers, on the calling thread, and when resumed mid-epoch")
    func deterministic() throws {
        let (root, folder) = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let small = ImageNetTransform(size: 32)
        let one = ImageFolderLoader(folder, batchSize: 5, training: true, transform: small, seed: 4, workers: 1)
        let three = ImageFolderLoader(folder, batchSize: 5, training: true, transform: small, seed: 4, workers: 3, prefetch: 4)
        #expect(one.batchesPerEpoch == 4, "24 images: 4 full batches of 5, the last 4 dropped in training")
        let a = try Self.batches(one, epoch: 1), b = try Self.batches(three, epoch: 1)
        #expect(a.count == 4 && a.map(\.images.shape) == Array(repeating: [5, 3, 32, 32], count: 4))
        for (x, y) in zip(a, b) {
            #expect(x.images.doubles == y.images.doubles && x.labels.int64s == y.labels.int64s)
        }
        let direct = try one.batch(2, epoch: 1, order: one.order(epoch: 1))
        #expect(direct.images.doubles == a[2].images.doubles)
        let resumed = try Self.batches(three, epoch: 1, from: 2)
        #expect(resumed.map(\.index) == [2, 3] && resumed[1].images.doubles == a[3].images.doubles)
        // Labels are the wnids' lines in the synset list, whatever the order.
        let byPath = Dictionary(uniqueKeysWithValues: folder.images.map { ($0.path, $0.label) })
        let order = one.order(epoch: 1)
        #expect(a[0].labels.int64s == order.prefix(5).map { Int64(byPath[folder.images[$0].path]!) })
        #expect(try Self.batches(one, epoch: 2).first?.images.doubles != a.first?.images.doubles, "another epoch, other crops")
    }

    @Test("evaluation: every image in order, the last batch smaller, centre crops")
    func evaluation() throws {
        let (root, folder) = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let loader = ImageFolderLoader(folder, batchSize: 10, training: false, transform: ImageNetTransform(size: 32), workers: 2)
        let all = try Self.batches(loader, epoch: 0)
        #expect(all.map(\.count) == [10, 10, 4])
        #expect(all.flatMap(\.labels.int64s) == folder.images.map { Int64($0.label) })
    }

    @Test("a damaged file stops the epoch with its name, or is left out and listed with skipsBadImages")
    func badImages() throws {
        let sample = try ImageFolder(root: ImageFolderTests.sample)
        let wnid = URL(fileURLWithPath: sample.images[0].path).deletingLastPathComponent().lastPathComponent
        let (root, folder) = try Self.folder(extra: [(wnid, "zz-damaged.JPEG", Data("not a jpeg".utf8))])
        defer { try? FileManager.default.removeItem(at: root) }
        let damaged = folder.images.first { $0.path.hasSuffix("zz-damaged.JPEG") }!.path
        let strict = ImageFolderLoader(folder, batchSize: 25, training: false, transform: ImageNetTransform(size: 32), workers: 2)
        do {
            _ = try Self.batches(strict, epoch: 0)
            Issue.record("no error for the damaged file")
        } catch let error as DataError {
            #expect(error.description.contains(damaged))
        }
        let lenient = ImageFolderLoader(folder, batchSize: 25, training: false, transform: ImageNetTransform(size: 32), workers: 2,
                                        skipsBadImages: true)
        let all = try Self.batches(lenient, epoch: 0)
        #expect(all.map(\.count) == [24])
        #expect(lenient.skippedImages == [damaged])
    }
}
