import Foundation
import Fovea
import FoveaData
import FoveaTestSupport
import Testing

@Suite("CIFAR-10")
struct CIFAR10Tests {
    /// ../shared/data beside the repository (present on the development machine and in CI).
    static let sharedData = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/cifar-10-batches-bin").path

    @Test("reads the first records of the real test batch", .enabled(if: FileManager.default.fileExists(atPath: sharedData),
                                                                    "../shared/data/cifar-10-batches-bin is absent"))
    func realBatch() throws {
        let (images, labels) = try CIFAR10.load(file: Self.sharedData + "/test_batch.bin", limit: 10)
        #expect(images.shape == [10, 3, 32, 32])
        #expect(labels == [3, 8, 8, 0, 6, 6, 1, 6, 3, 1])  // the official first test labels
        #expect(images.doubles.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(CIFAR10.locate(Self.sharedData) == Self.sharedData)
    }

    @Test("a file that is not a whole number of records is a thrown error naming the file")
    func wrongSize() throws {
        let path = TemporaryFolders.path("short") + ".bin"
        _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: 1, count: CIFAR10.recordSize + 5))
        #expect(throws: DataError.truncatedRecord(file: path, record: 1, offset: 3073, fileSize: 3078)) {
            try CIFAR10.load(file: path)
        }
        #expect(DataError.truncatedRecord(file: path, record: 1, offset: 3073, fileSize: 3078).description
                    == "\(path) is truncated: record 1 starts at byte offset 3073 but the file ends at byte 3078 (records are 3073 bytes)")
        #expect(throws: DataError.self) { try CIFAR10.load(file: "/nonexistent/test_batch.bin") }
    }

    @Test("a label outside 0…9 is reported with its record")
    func badLabel() throws {
        var record = Data(repeating: 0, count: 2 * CIFAR10.recordSize)
        record[CIFAR10.recordSize] = 12
        let path = TemporaryFolders.path("labels") + ".bin"
        _ = FileManager.default.createFile(atPath: path, contents: record)
        #expect(throws: DataError.badLabel(file: path, record: 1, label: 12)) { try CIFAR10.load(file: path) }
    }
}
