import Foundation
import Fovea
import FoveaPlot
import FoveaTestSupport
import Testing

@Suite("fovea check-data", .enabled(if: Products.isBuilt("fovea"), "build fovea first (make build)"))
struct CheckDataTests {
    @Test("an image folder: counts, every image decoded, each failure named, exit 1 when any fails")
    func imageFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var rng = SplitMix64(seed: 1)
        for name in ["apples", "pears"] {
            try ImageFile.write(Tensor.uniform([3, 20, 30], using: &rng), to: root.appendingPathComponent("\(name)/one.png").path)
        }
        let good = try Products.run("fovea", ["check-data", "--data", root.path])
        #expect(good.status == 0 && good.standardOutput.contains("2 class folders, 2 images") && good.standardOutput.contains("every image decodes"))
        let bad = root.appendingPathComponent("pears/broken.jpg").path
        _ = FileManager.default.createFile(atPath: bad, contents: Data("not a jpeg".utf8))
        let result = try Products.run("fovea", ["check-data", "--data", root.path])
        #expect(result.status == 1 && !result.crashed)
        #expect(result.standardError.contains(bad), "\(result.standardError)")
        #expect(result.standardOutput.contains("1 of 3 images failed"))
    }
}
