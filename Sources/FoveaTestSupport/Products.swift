import Foundation

/// Runs the programs this package builds (`fovea`, `lesson01`, …) from the folder of built
/// products, as a user would run them: the release binaries, not a nested `swift run` (which
/// would wait on the build lock).
public enum Products {
    /// `.build/release`: the folder that also holds the running test binary.
    public static var folder: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// The package root: the folder holding `Package.swift` above this file.
    public static var packageRoot: URL {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            folder.deleteLastPathComponent()
        }
        return folder
    }

    /// What a finished program left behind.
    public struct Result: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
        /// Whether the program ended by a signal (a trap) rather than by `exit`.
        public var crashed: Bool
    }

    /// Whether `product` has been built.
    public static func isBuilt(_ product: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent(product).path)
    }

    /// Runs `product` with `arguments` and waits for it. `environment` entries are added to (or,
    /// with a `nil` value, removed from) this process's environment.
    public static func run(_ product: String, _ arguments: [String], environment: [String: String?] = [:],
                           in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = folder.appendingPathComponent(product)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        if let directory { process.currentDirectoryURL = directory }
        // Standard error goes to a file, so that neither stream can fill a pipe and block the child.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = (try? Data(contentsOf: errorFile)) ?? Data()
        return Result(status: process.terminationStatus,
                      standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: String(decoding: errorData, as: UTF8.self),
                      crashed: process.terminationReason == .uncaughtSignal)
    }
}
