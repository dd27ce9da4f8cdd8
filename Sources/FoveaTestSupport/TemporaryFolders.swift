import Foundation

/// Where tests put their files: one folder per test process under the system's temporary
/// directory (`fovea-tests-PID-…`), removed with everything in it when the process exits, so that
/// `make test` leaves nothing behind in /tmp even where a test cannot clean up itself (a child
/// process that exits, a failed expectation before its `defer`).
public enum TemporaryFolders {
    /// A new path under this process's folder, `LABEL-UUID`, not yet created.
    public static func path(_ label: String) -> String {
        root + "/\(label)-\(UUID().uuidString)"
    }

    /// The same as a URL.
    public static func url(_ label: String) -> URL { URL(fileURLWithPath: path(label)) }

    /// This process's folder: created on first use, removed at exit.
    nonisolated(unsafe) private static var created: String?
    private static let lock = NSLock()
    private static var root: String {
        lock.lock()
        defer { lock.unlock() }
        if let created { return created }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fovea-tests-\(getpid())-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        created = folder
        atexit { TemporaryFolders.removeRoot() }
        return folder
    }

    private static func removeRoot() {
        if let created { try? FileManager.default.removeItem(atPath: created) }
    }
}
