import Foundation
import Fovea
import FoveaData
import Testing

/// ImageNet-style folders and JPEG decoding, on the real sample (../shared/data/imagenet-sample:
/// one real ILSVRC JPEG for each of 500 classes) when present, and on files made here for errors.
@Suite("ImageFolder and JPEG")
struct ImageFolderTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/imagenet-sample/train").path
    static var hasSample: Bool { FileManager.default.fileExists(atPath: sample) }

    @Test("the synset list ships with Fovea: 1000 classes, n01440764 (tench) first, names keyed by wnid")
    func synsets() {
        #expect(ImageFolder.synsets.count == 1000)
        #expect(ImageFolder.synsets[0].wnid == "n01440764" && ImageFolder.synsets[0].name.hasPrefix("tench"))
        #expect(ImageFolder.synsets.filter { $0.name.hasPrefix("crane") }.count == 2, "two classes named crane")
    }

    @Test("the sample: 500 wnid folders, labels follow the synset list, every image decodes",
          .enabled(if: ImageFolderTests.hasSample, "../shared/data/imagenet-sample is absent"))
    func sampleFolder() throws {
        let folder = try ImageFolder(root: Self.sample)
        #expect(folder.classFolders.count == 500 && folder.images.count == 500)
        #expect(folder.classNames.count == 1000)
        #expect(folder.images[0].label == 0 && folder.images[0].path.contains("n01440764"))
        let index = Dictionary(uniqueKeysWithValues: ImageFolder.synsets.enumerated().map { ($0.element.wnid, $0.offset) })
        for (path, label) in folder.images {
            let wnid = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
            #expect(index[wnid] == label)
        }
        var smallest = Int.max
        for (path, _) in folder.images {
            let image = try JPEG.decode(path, shortSide: 256)
            #expect(image.shape[0] == 3)
            smallest = min(smallest, min(image.shape[1], image.shape[2]))
            #expect(image.doubles.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
        #expect(smallest >= 1, "the smallest sample photo is 100×100; nothing upscales or vanishes")
    }

    @Test("DCT scaling decodes a big photo smaller, never below the requested short side",
          .enabled(if: ImageFolderTests.hasSample, "../shared/data/imagenet-sample is absent"))
    func scaling() throws {
        let folder = try ImageFolder(root: Self.sample)
        let sizes = try folder.images.map { (path: $0.path, size: try JPEG.size(of: $0.path)) }
        let big = try #require(sizes.max { $0.size.width * $0.size.height < $1.size.width * $1.size.height })
        let full = try JPEG.decode(big.path), scaled = try JPEG.decode(big.path, shortSide: 224)
        #expect(full.shape == [3, big.size.height, big.size.width])
        #expect(scaled.shape[1] * scaled.shape[2] < full.shape[1] * full.shape[2])
        #expect(min(scaled.shape[1], scaled.shape[2]) >= 224)
    }

    @Test("a truncated JPEG, a file that is not an image, and a missing file are errors naming the file",
          .enabled(if: ImageFolderTests.hasSample, "../shared/data/imagenet-sample is absent"))
    func errors() throws {
        let folder = try ImageFolder(root: Self.sample)
        let original = try Data(contentsOf: URL(fileURLWithPath: folder.images[0].path))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-jpeg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let notImage = dir.appendingPathComponent("text.jpg").path
        _ = FileManager.default.createFile(atPath: notImage, contents: Data("hello".utf8))
        let header = dir.appendingPathComponent("header-only.jpg").path
        _ = FileManager.default.createFile(atPath: header, contents: original.prefix(200))
        let half = dir.appendingPathComponent("half.jpg").path
        _ = FileManager.default.createFile(atPath: half, contents: original.prefix(original.count / 2))
        for path in [notImage, header, half, dir.appendingPathComponent("missing.jpg").path] {
            do {
                _ = try JPEG.decode(path)
                Issue.record("no error for \(path)")
            } catch let error as DataError {
                #expect(error.description.contains(path))
            }
        }
    }

    @Test("folders that are not wnids are numbered in byte order of their names; other files are ignored")
    func plainFolders() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-folder-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for (folder, files) in [("cat", ["b.JPG", "a.png", "notes.txt"]), ("Zebra", ["z.jpeg"]), ("ant", ["x.jpg"])] {
            let dir = root.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for file in files { _ = FileManager.default.createFile(atPath: dir.appendingPathComponent(file).path, contents: Data()) }
        }
        let folder = try ImageFolder(root: root.path)
        #expect(folder.classFolders == ["Zebra", "ant", "cat"], "byte order: upper case first, as Python's sorted")
        #expect(folder.images.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["z.jpeg", "x.jpg", "a.png", "b.JPG"])
        #expect(folder.images.map(\.label) == [0, 1, 2, 2])
    }
}
