import Foundation
import Testing

/// Runs every lesson the way a learner would, in `--quick` mode, with its output in a temporary
/// folder (never over the committed full-run figures), and checks that it passed its own checks
/// (exit status 0), wrote its notebook page, and that the page shows every figure it wrote.
@Suite("lessons", .serialized)
struct LessonTests {
    static let lessons = [("lesson01", "01-convolution"), ("lesson02", "02-pooling"), ("lesson03", "03-backpropagation"),
                          ("lesson04", "04-cross-entropy"), ("lesson05", "05-gradient-descent")]

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

        let process = Process()
        process.executableURL = binary
        process.arguments = ["--quick", "--output", output.path, "--seed", "0"]
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
}
