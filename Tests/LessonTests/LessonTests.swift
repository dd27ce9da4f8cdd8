import Foundation
import FoveaTestSupport
import Testing

/// Runs every lesson the way a learner would, in `--quick` mode, with its output in a temporary
/// folder (never over the committed full-run figures), and checks that it passed its own checks
/// (exit status 0), wrote its notebook page, and that the page shows every figure it wrote.
@Suite("lessons", .serialized)
struct LessonTests {
    static let lessons = [("lesson01", "01-convolution"), ("lesson02", "02-pooling"), ("lesson03", "03-backpropagation"),
                          ("lesson04", "04-cross-entropy"), ("lesson05", "05-gradient-descent"),
                          ("lesson06", "06-going-deep"), ("lesson07", "07-lenet-cifar10"), ("lesson08", "08-resnet-cifar10"),
                          ("lesson09", "09-imagenet"), ("lesson10", "10-where-the-time-goes")]
    /// Lessons that need real data (CIFAR-10, ImageNet images): they get ../shared/data, and are skipped without it.
    static let needData: Set<String> = ["lesson07", "lesson08", "lesson09"]
    static let sharedData = Products.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data").path

    /// The folder of built products: the test runner lives there too (.build/release).
    static var products: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    @Test("a lesson runs in --quick mode and writes its page with every figure", arguments: lessons)
    func lesson(_ product: String, _ page: String) throws {
        let binary = Self.products.appendingPathComponent(product)
        try #require(FileManager.default.isExecutableFile(atPath: binary.path),
                     "\(binary.path) is missing: build the lessons first (swift build -c release)")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-\(page)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        var arguments = ["--quick", "--output", output.path, "--seed", "0"]
        if Self.needData.contains(product) {
            guard FileManager.default.fileExists(atPath: Self.sharedData + (product == "lesson09" ? "/imagenet-sample/train" : "/cifar-10-batches-bin/test_batch.bin")) else {
                print("\(product) needs ../shared/data (CIFAR-10, or for lesson09 the ImageNet sample), which is absent: skipped")
                return
            }
            arguments += ["--data", Self.sharedData]
        }

        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let log = Pipe()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let text = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(product) --quick exited with \(process.terminationStatus):\n\(text.suffix(3000))")

        let pagePath = output.appendingPathComponent("notebook.md").path
        let notebook = try #require(try? String(contentsOfFile: pagePath, encoding: .utf8), "\(product) wrote no \(pagePath)")
        let figures = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasSuffix(".png") }
        #expect(!figures.isEmpty, "\(product) drew no figure")
        for figure in figures {
            #expect(notebook.contains("(\(figure))"), "\(product)'s page does not show \(figure)")
        }
        #expect(notebook.contains("```swift"), "\(product)'s page shows no code")
    }

    @Test("a --data folder without CIFAR-10 is one line naming the paths checked and the download, exit 1")
    func missingData() throws {
        try #require(Products.isBuilt("lesson01"), "build the lessons first (make build)")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-nodata-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try Products.run("lesson01", ["--quick", "--data", "/nonexistent-data", "--out", output.path])
        #expect(result.status == 1)
        #expect(!result.crashed)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "stderr:\n\(result.standardError.prefix(2000))")
        #expect(result.standardError.contains("/nonexistent-data/cifar-10-batches-bin/test_batch.bin"))
        #expect(result.standardError.contains("cifar-10-binary.tar.gz"))
        #expect(!result.standardError.contains("Fatal error"))
    }

    @Test("a corrupt CIFAR-10 file is one line naming the file, exit 1, no backtrace")
    func corruptData() throws {
        try #require(Products.isBuilt("lesson01"), "build the lessons first (make build)")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-corrupt-\(UUID().uuidString)")
        let batches = root.appendingPathComponent("cifar-10-batches-bin")
        try FileManager.default.createDirectory(at: batches, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        // A test batch cut short in the middle of a record.
        _ = FileManager.default.createFile(atPath: batches.appendingPathComponent("test_batch.bin").path,
                                           contents: Data(repeating: 1, count: 3073 * 2 + 100))
        let result = try Products.run("lesson01", ["--quick", "--data", root.path, "--out", root.appendingPathComponent("out").path])
        #expect(result.status == 1)
        #expect(!result.crashed)
        #expect(result.standardError.split(separator: "\n").count == 1, "stderr:\n\(result.standardError.prefix(2000))")
        #expect(result.standardError.contains(batches.appendingPathComponent("test_batch.bin").path), "\(result.standardError)")
        #expect(!result.standardError.contains("Fatal error"))
    }

    /// Runs a lesson exactly as the README says (no --out), from the package root, and compares
    /// `git status` before and after: a learner's run must not touch tracked files.
    @Test("running a lesson as the README says leaves the git tree as it was")
    func cleanTree() throws {
        try #require(Products.isBuilt("lesson01"), "build the lessons first (make build)")
        let root = Products.packageRoot
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent(".git").path) else {
            print("cleanTree: \(root.path) is not a git checkout; skipped")
            return
        }
        let before = try gitStatus(in: root)
        let result = try Products.run("lesson01", ["--quick"], environment: ["FOVEA_DATA": nil], in: root)
        #expect(result.status == 0, "\(result.standardError.suffix(2000))")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("runs/lessons/01-convolution/notebook.md").path))
        let after = try gitStatus(in: root)
        #expect(before == after, "git status changed:\nbefore:\n\(before)\nafter:\n\(after)")
    }

    private func gitStatus(in root: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", root.path, "status", "--porcelain", "--untracked-files=all"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "git status failed")
        return String(decoding: data, as: UTF8.self)
    }
}
