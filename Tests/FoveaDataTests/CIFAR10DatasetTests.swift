import Foundation
import Fovea
import FoveaData
import Testing

/// The whole-dataset readers, on the real files when ../shared/data is present, and on folders of
/// the right shape built here (sparse files of the official size) for every error case.
@Suite("CIFAR-10 datasets")
struct CIFAR10DatasetTests {
    static let shared = CIFAR10Tests.sharedData

    @Test("the real training set: 50,000 images, 5,000 per class, first record's pixels as in the file",
          .enabled(if: FileManager.default.fileExists(atPath: shared), "../shared/data/cifar-10-batches-bin is absent"))
    func realTrainingSet() throws {
        let training = try CIFAR10.trainingSet(in: Self.shared)
        #expect(training.images.shape == [50_000, 3, 32, 32])
        #expect(training.classCounts == [Int](repeating: 5_000, count: 10))
        let handle = try #require(FileHandle(forReadingAtPath: Self.shared + "/data_batch_1.bin"))
        let raw = try #require(try handle.read(upToCount: 3073))
        #expect(training.labels[0] == Int(raw[0]))
        let firstImage = training.images[0].doubles
        #expect(firstImage.count == 3072)
        for j in [0, 1, 1023, 1024, 2048, 3071] {
            #expect(firstImage[j] == Double(Float(raw[1 + j]) / 255), "pixel \(j)")
        }
        let test = try CIFAR10.testSet(in: Self.shared)
        #expect(test.classCounts == [Int](repeating: 1_000, count: 10))
    }

    /// A CIFAR-10 folder whose six files have the official size (sparse: all zero bytes, label 0).
    static func fakeFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-cifar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in CIFAR10.trainingFiles + [CIFAR10.testFile] {
            let path = folder.appendingPathComponent(file).path
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.truncate(atOffset: UInt64(CIFAR10.recordsPerFile * CIFAR10.recordSize))
            try handle.close()
        }
        return folder
    }

    @Test("a missing batch file is an error naming it")
    func missingFile() throws {
        let folder = try Self.fakeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("data_batch_3.bin"))
        do {
            _ = try CIFAR10.trainingSet(in: folder.path)
            Issue.record("no error for a missing batch")
        } catch let error as DataError {
            #expect(error.description.contains(folder.appendingPathComponent("data_batch_3.bin").path))
        }
    }

    @Test("a batch cut short names the file and the byte offset of the cut record")
    func truncatedFile() throws {
        let folder = try Self.fakeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("data_batch_2.bin").path
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(CIFAR10.recordsPerFile * CIFAR10.recordSize - 100))
        try handle.close()
        #expect(throws: DataError.truncatedRecord(file: path, record: 9_999, offset: 9_999 * 3073, fileSize: 30_730_000 - 100)) {
            try CIFAR10.trainingSet(in: folder.path)
        }
    }

    @Test("a batch of whole records but the wrong count is a wrong-size error naming the file")
    func wrongCount() throws {
        let folder = try Self.fakeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(CIFAR10.testFile).path
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(5 * CIFAR10.recordSize))
        try handle.close()
        #expect(throws: DataError.wrongSize(file: path, expected: "30,730,000 (10,000 records of 3073)", actual: 5 * 3073)) {
            try CIFAR10.testSet(in: folder.path)
        }
    }

    @Test("a well-formed folder of the right size loads (zeros, label 0)")
    func fakeLoads() throws {
        let folder = try Self.fakeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let test = try CIFAR10.testSet(in: folder.path)
        #expect(test.count == 10_000 && test.classCounts[0] == 10_000)
    }
}
