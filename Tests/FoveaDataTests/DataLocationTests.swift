import Foundation
import FoveaData
import Testing

@Suite("Data location")
struct DataLocationTests {
    @Test("--data wins over FOVEA_DATA, which wins over the cache folder")
    func order() {
        let environment = ["FOVEA_DATA": "/env", "HOME": "/home/u"]
        #expect(DataLocation.roots(explicit: "/given", environment: environment) == ["/given"])
        #expect(DataLocation.roots(explicit: nil, environment: environment) == ["/env"])
        #expect(DataLocation.roots(explicit: nil, environment: ["HOME": "/home/u"]) == ["/home/u/.cache/fovea"])
        #expect(DataLocation.roots(explicit: nil, environment: ["HOME": "/home/u", "XDG_CACHE_HOME": "/cache"]) == ["/cache/fovea"])
        #expect(DataLocation.roots(explicit: "~/d", environment: ["HOME": "/home/u"]) == ["/home/u/d"])
    }

    @Test("a named folder without CIFAR-10 is an error listing every path checked, the URL and where to unpack")
    func notFound() throws {
        let environment = ["HOME": "/home/u"]
        do {
            _ = try CIFAR10.find(data: "/nowhere", environment: environment)
            Issue.record("no error for a folder without the data")
        } catch let error as DataError {
            let text = error.description
            #expect(text.contains("/nowhere/test_batch.bin"))
            #expect(text.contains("/nowhere/cifar-10-batches-bin/test_batch.bin"))
            #expect(text.contains(CIFAR10.downloadURL))
            #expect(text.contains("/home/u/.cache/fovea"))
            #expect(!text.contains("\n"))
        }
    }

    @Test("no folder named and an empty cache: find gives nil (lessons fall back to built-in images), folder throws")
    func nothingNamed() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-cache-\(UUID().uuidString)").path
        let environment = ["XDG_CACHE_HOME": empty]
        #expect(try CIFAR10.find(data: nil, environment: environment) == nil)
        #expect(throws: DataError.self) { try CIFAR10.folder(data: nil, environment: environment) }
    }

    @Test("the data is found in the dataset folder itself, or in the cifar-10-batches-bin folder under a root")
    func found() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-root-\(UUID().uuidString)")
        let batches = root.appendingPathComponent(CIFAR10.folderName)
        try FileManager.default.createDirectory(at: batches, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        _ = FileManager.default.createFile(atPath: batches.appendingPathComponent(CIFAR10.testFile).path, contents: Data())
        #expect(try CIFAR10.find(data: root.path, environment: [:]) == batches.path)
        #expect(try CIFAR10.find(data: batches.path, environment: [:]) == batches.path)
        #expect(try CIFAR10.folder(data: nil, environment: ["FOVEA_DATA": root.path]) == batches.path)
    }
}
