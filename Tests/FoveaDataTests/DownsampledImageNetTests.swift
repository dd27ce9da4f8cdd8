import Foundation
import Fovea
import FoveaData
import FoveaTestSupport
import Testing

/// The reader on Tests/Fixtures/imagenet8, written by make_downsampled_imagenet.py with numpy.savez
/// in the official format; pixel (i, c, y, x) = (7i + 50c + 8y + x) mod 256.
@Suite("downsampled ImageNet (.npz)")
struct DownsampledImageNetTests {
    static let folder = Fixtures.directory + "/imagenet8"
    static let trainLabels = [1, 1000, 2, 720, 327, 235, 988, 177, 319, 643, 789, 640, 870, 49, 392, 574, 438, 389, 373, 41]

    static func expectedPixel(_ i: Int, _ c: Int, _ y: Int, _ x: Int) -> Float { Float((7 * i + 50 * c + 8 * y + x) % 256) / 255 }

    @Test("finds the files (training batches in number order, val_data.npz, map_clsloc.txt) in DIR or DIR/imagenet8")
    func location() throws {
        let files = try DownsampledImageNet.files(size: 8, data: Self.folder, environment: [:])
        #expect(files.training.map { ($0 as NSString).lastPathComponent } == ["train_data_batch_1.npz", "train_data_batch_2.npz"])
        #expect(files.validation == Self.folder + "/val_data.npz" && files.classMap == Self.folder + "/map_clsloc.txt")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-ds-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/imagenet8", withDestinationPath: Self.folder)
        #expect(try DownsampledImageNet.files(size: 8, data: root, environment: [:]).training.count == 2)
        #expect(throws: DataError.self) { try DownsampledImageNet.files(size: 32, data: root, environment: [:]) }
        do { _ = try DownsampledImageNet.files(size: 32, data: root, environment: [:]) } catch {
            #expect("\(error)".contains(root + "/imagenet32/train_data_batch_*.npz") && "\(error)".contains("image-net.org"))
        }
    }

    @Test("reads the pixels plane by plane into [N, 3, 8, 8] in [0, 1], and renumbers labels through map_clsloc.txt")
    func pixelsAndLabels() throws {
        let files = try DownsampledImageNet.files(size: 8, data: Self.folder, environment: [:])
        let train = try DownsampledImageNet.load(files.training, size: 8, classMap: files.classMap)
        #expect(train.count == 20 && train.imageShape == [3, 8, 8] && train.classNames.count == 1000)
        let batch = train.images(at: [0, 13, 19])
        #expect(batch.shape == [3, 3, 8, 8])
        let values = batch.scalars
        for (row, i) in [0, 13, 19].enumerated() {
            for (c, y, x) in [(0, 0, 0), (1, 2, 5), (2, 7, 7)] {
                #expect(values[((row * 3 + c) * 8 + y) * 8 + x] == Self.expectedPixel(i, c, y, x), "image \(i) channel \(c) (\(y), \(x))")
            }
        }
        // Label k (1-based, the file's numbering) → the synset index of map_clsloc.txt's wnid k.
        let lines = try String(contentsOfFile: files.classMap!, encoding: .utf8).split(separator: "\n")
        let synsetIndex = Dictionary(uniqueKeysWithValues: ImageFolder.synsets.enumerated().map { ($0.element.wnid, $0.offset) })
        let expected = Self.trainLabels.map { synsetIndex[String(lines[$0 - 1].split(separator: " ")[0])]! }
        #expect(train.labels == expected)
        #expect(train.labels.prefix(3) == [851, 352, 349], "what the generator printed")
        #expect(train.classNames[train.labels[0]] == ImageFolder.synsets[851].name)
        // Without the map, labels keep the files' numbering.
        let plain = try DownsampledImageNet.load(files.training, size: 8, classMap: nil)
        #expect(plain.labels == Self.trainLabels.map { $0 - 1 } && plain.classNames[0].hasPrefix("class 1 "))
        let val = try DownsampledImageNet.load([files.validation!], size: 8, classMap: nil)
        #expect(val.count == 6 && val.images(at: [5]).scalars[64] == Self.expectedPixel(5, 1, 0, 0))
    }

    @Test("a limit reads only the first images; a subset shares the bytes and keeps the rows")
    func limitAndSubset() throws {
        let files = try DownsampledImageNet.files(size: 8, data: Self.folder, environment: [:])
        let first = try DownsampledImageNet.load(files.training, size: 8, classMap: nil, limit: 14)
        #expect(first.count == 14 && first.labels == Self.trainLabels.prefix(14).map { $0 - 1 })
        #expect(first.images(at: [13]).scalars[0] == Self.expectedPixel(13, 0, 0, 0))
        let subset = first.subset([13, 2])
        #expect(subset.labels == [Self.trainLabels[13] - 1, 1] && subset.images.scalars[0] == Self.expectedPixel(13, 0, 0, 0))
        #expect(subset.subset([1]).images.scalars[1] == Self.expectedPixel(2, 0, 0, 1))
    }

    @Test("bad files: the wrong size, not a zip, cut short, a label outside 1…1000, a missing array; each error names the file")
    func badFiles() throws {
        let files = try DownsampledImageNet.files(size: 8, data: Self.folder, environment: [:])
        // 8×8 files read as 16×16.
        #expect { try DownsampledImageNet.load(files.training, size: 16, classMap: nil) } throws: { error in
            "\(error)".contains("train_data_batch_1.npz") && "\(error)".contains("[12, 192]") && "\(error)".contains("these are 8×8")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-npz-\(getpid())").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let garbage = scratch + "/garbage.npz"
        try Data("not a zip at all".utf8).write(to: URL(fileURLWithPath: garbage))
        #expect { try DownsampledImageNet.load([garbage], size: 8, classMap: nil) } throws: { "\($0)".hasPrefix(garbage + ": not a readable") }
        let original = try Data(contentsOf: URL(fileURLWithPath: files.training[0]))
        let cut = scratch + "/cut.npz"
        try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: cut))
        #expect { try DownsampledImageNet.load([cut], size: 8, classMap: nil) } throws: { "\($0)".hasPrefix(cut) }
        let empty = scratch + "/empty.npz"
        try Data().write(to: URL(fileURLWithPath: empty))
        #expect { try DownsampledImageNet.load([empty], size: 8, classMap: nil) } throws: { "\($0)".hasPrefix(empty) }
        #expect { try NumPyArchive(path: files.validation!).integers("mean") } throws: {
            "\($0)".contains("val_data.npz") && "\($0)".contains("no array 'mean'") && "\($0)".contains("'labels'")
        }
        #expect { try NumPyArchive(path: files.training[0]).integers("mean") } throws: { "\($0)".contains("<f8") }
        let label0 = Fixtures.directory + "/npz-bad/label0.npz", fortran = Fixtures.directory + "/npz-bad/fortran.npz"
        #expect(throws: DataError.badArchive(file: label0, reason: "labels[1] is 0, outside 1…1000")) {
            try DownsampledImageNet.load([label0], size: 8, classMap: nil)
        }
        #expect { try DownsampledImageNet.load([fortran], size: 8, classMap: nil) } throws: { "\($0)".hasPrefix(fortran) && "\($0)".contains("Fortran order") }
    }

    @Test("the .npy header parser: shapes with and without a trailing comma, Fortran order, nonsense")
    func headers() {
        #expect(NumPyArchive.parseHeader("{'descr': '|u1', 'fortran_order': False, 'shape': (12, 192), }   \n")
                == NumPyHeader(descr: "|u1", fortranOrder: false, shape: [12, 192]))
        #expect(NumPyArchive.parseHeader("{'descr': '<i8', 'fortran_order': False, 'shape': (20,), }")?.shape == [20])
        #expect(NumPyArchive.parseHeader("{'descr': '<f8', 'fortran_order': True, 'shape': (), }")?.fortranOrder == true)
        #expect(NumPyArchive.parseHeader("{'descr': '<i8', 'shape': (3,), }") == nil)
        #expect(NumPyArchive.parseHeader("{'descr': '<i8', 'fortran_order': False, 'shape': (3, x), }") == nil)
    }
}
