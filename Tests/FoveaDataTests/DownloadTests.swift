import Foundation
import FoveaData
import FoveaTestSupport
import Testing

/// Downloading CIFAR-10 into the cache, against archives served on loopback HTTP.
@Suite("CIFAR-10 download", .serialized)
struct DownloadTests {
    /// A tar.gz laid out like the official one (cifar-10-batches-bin/ with six small batch files), made with the system tar.
    static func archive() throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-archive-\(UUID().uuidString)")
        let batches = folder.appendingPathComponent("cifar-10-batches-bin")
        try FileManager.default.createDirectory(at: batches, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in CIFAR10.trainingFiles + [CIFAR10.testFile] {
            var bytes = Data(repeating: 7, count: 2 * CIFAR10.recordSize)
            bytes[0] = 3
            bytes[CIFAR10.recordSize] = 9
            try bytes.write(to: batches.appendingPathComponent(file))
        }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-czf", folder.appendingPathComponent("a.tar.gz").path, "-C", folder.path, "cifar-10-batches-bin"]
        try tar.run()
        tar.waitUntilExit()
        return try Data(contentsOf: folder.appendingPathComponent("a.tar.gz"))
    }

    static func emptyCache() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("fovea-cache-\(UUID().uuidString)").path
    }

    @Test("downloads, checks the MD5, unpacks into the cache folder, removes the archive")
    func download() throws {
        let archive = try Self.archive()
        var md5 = MD5()
        md5.update(archive)
        let server = try LoopbackServer(serving: archive)
        defer { server.stop() }
        let cache = Self.emptyCache()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let reports = Locked<[Int64]>([])
        let folder = try CIFAR10.folderOrDownload(data: nil, environment: ["XDG_CACHE_HOME": cache], url: server.url(), md5: md5.finalize()) { _ in
            reports.mutate { $0.append(1) }
        }
        #expect(folder == cache + "/fovea/cifar-10-batches-bin")
        let (images, labels) = try CIFAR10.load(file: folder + "/" + CIFAR10.testFile)
        #expect(images.shape == [2, 3, 32, 32] && labels == [3, 9])
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache + "/fovea") == ["cifar-10-batches-bin"])
        #expect(!reports.value.isEmpty, "no progress was reported")
        // The next call finds it without downloading.
        server.stop()
        #expect(try CIFAR10.folderOrDownload(data: nil, environment: ["XDG_CACHE_HOME": cache], url: server.url(), md5: nil) { _ in } == folder)
    }

    @Test("a damaged download (wrong MD5) keeps nothing and says why")
    func wrongChecksum() throws {
        let server = try LoopbackServer(serving: try Self.archive())
        defer { server.stop() }
        let cache = Self.emptyCache()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        do {
            _ = try CIFAR10.folderOrDownload(data: nil, environment: ["XDG_CACHE_HOME": cache], url: server.url(), md5: String(repeating: "0", count: 32)) { _ in }
            Issue.record("no error for a wrong MD5")
        } catch let error as DataError {
            #expect(error.description.contains("arrived damaged"))
            #expect(error.description.contains(server.url()))
        }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: cache + "/fovea")) ?? [] == [])
    }

    @Test("offline (nothing listening, or an HTTP error): the error lists the paths checked, the URL and the folder")
    func offline() throws {
        let cache = Self.emptyCache()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let server = try LoopbackServer(serving: Data(), status: 404)
        defer { server.stop() }
        for url in ["http://127.0.0.1:9/cifar-10-binary.tar.gz", server.url()] {
            do {
                _ = try CIFAR10.folderOrDownload(data: nil, environment: ["XDG_CACHE_HOME": cache], url: url, md5: nil) { _ in }
                Issue.record("no error for \(url)")
            } catch let error as DataError {
                let text = error.description
                #expect(text.contains(cache + "/fovea/cifar-10-batches-bin/test_batch.bin"))
                #expect(text.contains(CIFAR10.downloadURL) && text.contains(url))
                #expect(!text.contains("\n"))
            }
        }
    }

    @Test("a named --data folder without the data is an error, never a download elsewhere")
    func namedFolder() {
        #expect(throws: DataError.self) {
            try CIFAR10.folderOrDownload(data: "/nonexistent", environment: [:], url: "http://127.0.0.1:9/x", md5: nil) { _ in
                Issue.record("tried to download")
            }
        }
    }
}

/// A value shared with a `@Sendable` closure.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.lock(); defer { lock.unlock() }; return stored }
    func mutate(_ body: (inout Value) -> Void) { lock.lock(); body(&stored); lock.unlock() }
}
