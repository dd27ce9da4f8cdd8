import Foundation
import FoveaData
import Testing

/// `prepare-imagenet`'s logic on a small flat folder (empty files stand in for JPEGs: only links are made).
@Suite("ImageNet validation folder")
struct ImageNetValidationTests {
    static let files = ["ILSVRC2012_val_00000001.JPEG", "ILSVRC2012_val_00000002.JPEG", "ILSVRC2012_val_00000003.JPEG"]

    static func flatFolder() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-val-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("val"), withIntermediateDirectories: true)
        for file in files { _ = FileManager.default.createFile(atPath: root.appendingPathComponent("val/" + file).path, contents: Data()) }
        return root
    }

    static func write(_ text: String, _ url: URL) throws { try Data(text.utf8).write(to: url) }

    @Test("the devkit's class numbers with map_clsloc.txt: links in wnid folders; running again changes nothing")
    func devkit() throws {
        let root = try Self.flatFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.write("65\n970\n65\n", root.appendingPathComponent("truth.txt"))
        try Self.write("n02119789 1 kit_fox\nn01751748 65 sea_snake\nn09193705 970 alp\n", root.appendingPathComponent("map_clsloc.txt"))
        let out = root.appendingPathComponent("sorted").path
        for _ in 0..<2 {
            let summary = try ImageNetValidation.prepare(validation: root.appendingPathComponent("val").path, labels: root.appendingPathComponent("truth.txt").path,
                                                         classes: root.appendingPathComponent("map_clsloc.txt").path, into: out)
            #expect(summary.images == 3 && summary.classes == 2 && summary.unevenClasses == ["n01751748": 2, "n09193705": 1])
        }
        let snakes = try FileManager.default.contentsOfDirectory(atPath: out + "/n01751748").sorted()
        #expect(snakes == [Self.files[0], Self.files[2]])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/n09193705/" + Self.files[1]).hasSuffix("val/" + Self.files[1]))
        let folder = try ImageFolder(root: out)
        #expect(folder.images.map(\.label) == [ImageFolder.synsets.firstIndex { $0.wnid == "n01751748" }!, ImageFolder.synsets.firstIndex { $0.wnid == "n01751748" }!,
                                               ImageFolder.synsets.firstIndex { $0.wnid == "n09193705" }!])
    }

    @Test("Kaggle's LOC_val_solution.csv and 'FILE WNID' lines")
    func lists() throws {
        let root = try Self.flatFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.write("ImageId,PredictionString\nILSVRC2012_val_00000002,n01751748 1 2 3 4\nILSVRC2012_val_00000001,n02119789 5 6 7 8 n02119789 1 1 1 1\nILSVRC2012_val_00000003,n02119789 0 0 9 9\n",
                       root.appendingPathComponent("solution.csv"))
        let summary = try ImageNetValidation.prepare(validation: root.appendingPathComponent("val").path, labels: root.appendingPathComponent("solution.csv").path,
                                                     classes: nil, into: root.appendingPathComponent("a").path)
        #expect(summary.classes == 2 && summary.images == 3)
        try Self.write(Self.files.map { $0 + " n09193705" }.joined(separator: "\n"), root.appendingPathComponent("plain.txt"))
        let plain = try ImageNetValidation.prepare(validation: root.appendingPathComponent("val").path, labels: root.appendingPathComponent("plain.txt").path,
                                                   classes: nil, into: root.appendingPathComponent("b").path)
        #expect(plain.classes == 1 && plain.unevenClasses == ["n09193705": 3])
    }

    @Test("errors name the list or the file: too few numbers, no --classes, an image without a class, a number without a wnid")
    func errors() throws {
        let root = try Self.flatFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let val = root.appendingPathComponent("val").path, out = root.appendingPathComponent("out").path
        let truth = root.appendingPathComponent("truth.txt"), map = root.appendingPathComponent("map.txt")
        try Self.write("n02119789 1 kit_fox\n", map)
        try Self.write("1\n1\n", truth)
        #expect(throws: DataError.wrongSize(file: truth.path, expected: "3 lines, one per image", actual: 2)) {
            try ImageNetValidation.prepare(validation: val, labels: truth.path, classes: map.path, into: out)
        }
        try Self.write("1\n1\n7\n", truth)
        #expect(throws: DataError.badLabel(file: truth.path, record: 2, label: 7)) {
            try ImageNetValidation.prepare(validation: val, labels: truth.path, classes: map.path, into: out)
        }
        #expect(throws: DataError.self) { try ImageNetValidation.prepare(validation: val, labels: truth.path, classes: nil, into: out) }
        let plain = root.appendingPathComponent("plain.txt")
        try Self.write(Self.files[0] + " n02119789\n", plain)
        do {
            _ = try ImageNetValidation.prepare(validation: val, labels: plain.path, classes: nil, into: out)
            Issue.record("no error for images without a class")
        } catch let error as DataError {
            #expect(error.description.contains(Self.files[1]) && error.description.contains("plain.txt"))
        }
    }
}
