import Foundation
import Fovea
import FoveaTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// ../shared/data beside the repository: on the development machine and in CI, not on a user's.
enum SharedData {
    static let path = Products.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data").path
    static var hasCIFAR10: Bool { FileManager.default.fileExists(atPath: path + "/cifar-10-batches-bin/test_batch.bin") }
}

/// `fovea train` and friends on the real CIFAR-10 (skipped, with a message, when ../shared/data is absent).
@Suite("fovea train on CIFAR-10", .serialized,
       .enabled(if: SharedData.hasCIFAR10, "../shared/data/cifar-10-batches-bin is absent"),
       .enabled(if: Products.isBuilt("fovea"), "build fovea first (make build)"))
struct TrainCommandTests {
    static let data = SharedData.path

    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("fovea-\(name)-\(UUID().uuidString)").path
    }

    /// A short LeNet run: 4 epochs of 128 batches of 32 on 4,096 images, one thread.
    static func trainArguments(out: String) -> [String] {
        ["train", "--model", "lenet", "--epochs", "4", "--train-images", "4096", "--test-images", "500", "--batch-size", "32",
         "--lr", "0.02", "--seed", "3", "--threads", "1", "--data", data, "--out", out]
    }

    @Test("SIGKILL mid-run, then --resume: the final checkpoint is bit-identical to an uninterrupted run")
    func killAndResume() throws {
        let straight = Self.temporary("straight"), killed = Self.temporary("killed")
        defer { for folder in [straight, killed] { try? FileManager.default.removeItem(atPath: folder) } }
        let full = try Products.run("fovea", Self.trainArguments(out: straight))
        try #require(full.status == 0, "\(full.standardError)")

        // The same run again, killed with SIGKILL once its first epoch is on disk.
        let process = Process()
        process.executableURL = Products.folder.appendingPathComponent("fovea")
        process.arguments = Self.trainArguments(out: killed)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let metrics = killed + "/metrics.csv"
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let rows = (try? String(contentsOfFile: metrics, encoding: .utf8))?.split(separator: "\n").count ?? 0
            if rows >= 2 && FileManager.default.fileExists(atPath: killed + "/last.safetensors") { break }
            usleep(5_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run finished before it could be killed")
        let rowsAtKill = try String(contentsOfFile: metrics, encoding: .utf8).split(separator: "\n").count - 1
        #expect(rowsAtKill < 4, "the run finished before it could be killed")

        let resumed = try Products.run("fovea", ["train", "--resume", killed, "--threads", "1", "--data", Self.data])
        try #require(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardOutput.contains("Resuming"))

        let (a, metadataA) = try Safetensors.read(straight + "/last.safetensors")
        let (b, metadataB) = try Safetensors.read(killed + "/last.safetensors")
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(a.keys.contains { $0.hasPrefix("optimizer.momentum_buffer.") })
        for name in a.keys.sorted() {
            #expect(a[name]!.doubles == b[name]!.doubles, "\(name) differs after kill and resume")
        }
        #expect(metadataA["fovea.settings"] == metadataB["fovea.settings"])

        // metrics.csv: one row per epoch, no duplicates, the same losses and accuracies.
        func columns(_ folder: String) throws -> [[Substring]] {
            try String(contentsOfFile: folder + "/metrics.csv", encoding: .utf8).split(separator: "\n").dropFirst()
                .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        }
        let rowsA = try columns(straight), rowsB = try columns(killed)
        #expect(rowsB.map { $0[0] } == ["1", "2", "3", "4"])
        #expect(rowsA.map { Array($0[0..<9]) } == rowsB.map { Array($0[0..<9]) })
        let command = try String(contentsOfFile: killed + "/command.txt", encoding: .utf8)
        #expect(command.split(separator: "\n").count == 2 && command.contains("--resume"))
    }

    @Test("a short real run learns: LeNet reaches well above chance on CIFAR-10 test images")
    func learns() throws {
        let out = Self.temporary("learn")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try Products.run("fovea", ["train", "--model", "lenet", "--epochs", "4", "--train-images", "10000",
                                                "--test-images", "2000", "--batch-size", "64", "--lr", "0.05", "--data", Self.data,
                                                "--out", out])
        try #require(result.status == 0, "\(result.standardError)")
        let last = try #require(try String(contentsOfFile: out + "/metrics.csv", encoding: .utf8).split(separator: "\n").last)
        let testAccuracy = try #require(Double(last.split(separator: ",", omittingEmptySubsequences: false)[8]))
        #expect(testAccuracy >= 0.35, "test accuracy \(testAccuracy) after 4 epochs on 10,000 images")

        // fovea eval on the checkpoint reproduces the last epoch's test accuracy, and writes its files.
        let evaluation = try Products.run("fovea", ["eval", out + "/last.safetensors", "--data", Self.data, "--test-images", "2000"])
        try #require(evaluation.status == 0, "\(evaluation.standardError)")
        #expect(evaluation.standardOutput.contains(String(format: "accuracy %.2f %%", 100 * testAccuracy)), "\(evaluation.standardOutput.prefix(300))")
        for file in ["eval-per-class.csv", "eval-confusion.csv", "eval-confusion.png"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file) is missing")
        }
        let confusion = try String(contentsOfFile: out + "/eval-confusion.csv", encoding: .utf8).split(separator: "\n")
        #expect(confusion.count == 11)
        let total = confusion.dropFirst().flatMap { $0.split(separator: ",").dropFirst().compactMap { Int($0) } }.reduce(0, +)
        #expect(total == 2000)
    }

    @Test("errors: a data folder without CIFAR-10, an existing run, a flag beside --resume")
    func errors() throws {
        let noData = try Products.run("fovea", ["train", "--data", "/nonexistent", "--out", Self.temporary("x")])
        #expect(noData.status == 1 && !noData.crashed)
        #expect(noData.standardError.split(separator: "\n").count == 1, "\(noData.standardError)")
        #expect(noData.standardError.contains("/nonexistent/cifar-10-batches-bin/test_batch.bin"))
        let badResume = try Products.run("fovea", ["train", "--resume", "/nonexistent-run", "--epochs", "3"])
        #expect(badResume.status == 64 && badResume.standardError.contains("only --threads and --data"))
        let missingRun = try Products.run("fovea", ["train", "--resume", "/nonexistent-run"])
        #expect(missingRun.status == 1 && missingRun.standardError.contains("/nonexistent-run/last.safetensors"))
    }
}
