import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Fetches a file over HTTP(S) into the cache, with a progress line, and checks its MD5.
public enum Download {
    /// Downloads `url` to `path` (through a temporary file, renamed once the MD5 matches).
    ///
    /// - Parameters:
    ///   - progress: called with (bytes so far, total bytes or nil) as data arrives.
    /// - Throws: ``DownloadError`` naming the URL: unreachable, an HTTP error, or a wrong MD5
    ///   (then nothing is left behind).
    public static func fetch(_ url: URL, to path: String, md5 expected: String?,
                             progress: @escaping @Sendable (Int64, Int64?) -> Void = { _, _ in }) throws {
        let temporary = path + ".part"
        try? FileManager.default.removeItem(atPath: temporary)
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw DownloadError.cannotWrite(path: temporary)
        }
        let receiver = Receiver(handle: handle, progress: progress)
        let session = URLSession(configuration: .ephemeral, delegate: receiver, delegateQueue: nil)
        session.dataTask(with: url).resume()
        receiver.done.wait()
        session.finishTasksAndInvalidate()
        try? handle.close()
        let outcome = receiver.outcome
        if let failure = outcome.error {
            try? FileManager.default.removeItem(atPath: temporary)
            throw DownloadError.failed(url: url.absoluteString, reason: failure)
        }
        if let expected {
            let actual = try MD5.file(temporary)
            guard actual == expected.lowercased() else {
                try? FileManager.default.removeItem(atPath: temporary)
                throw DownloadError.checksum(url: url.absoluteString, expected: expected, actual: actual)
            }
        }
        try? FileManager.default.removeItem(atPath: path)
        guard rename(temporary, path) == 0 else { throw DownloadError.cannotWrite(path: path) }
    }

    /// A progress line for a terminal: `  42.1 MB of 170.5 MB (25 %)`.
    public static func describe(_ bytes: Int64, of total: Int64?) -> String {
        let megabytes = { (n: Int64) in String(format: "%.1f MB", Double(n) / 1_000_000) }
        guard let total, total > 0 else { return megabytes(bytes) }
        return "\(megabytes(bytes)) of \(megabytes(total)) (\(Int(100 * Double(bytes) / Double(total))) %)"
    }
}

/// Collects a data task's bytes into a file.
private final class Receiver: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let handle: FileHandle
    let progress: @Sendable (Int64, Int64?) -> Void
    let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var received: Int64 = 0, expected: Int64?, reported: Int64 = 0
    private var failure: String?

    init(handle: FileHandle, progress: @escaping @Sendable (Int64, Int64?) -> Void) {
        (self.handle, self.progress) = (handle, progress)
    }

    var outcome: (received: Int64, error: String?) { lock.lock(); defer { lock.unlock() }; return (received, failure) }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            lock.lock(); failure = "HTTP status \(http.statusCode)"; lock.unlock()
            completionHandler(.cancel)
            return
        }
        lock.lock(); expected = response.expectedContentLength > 0 ? response.expectedContentLength : nil; lock.unlock()
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.lock()
        do { try handle.write(contentsOf: data) } catch { failure = "cannot write the download: \(error)" }
        received += Int64(data.count)
        let (now, total) = (received, expected)
        // Report every 1 % (or every MB when the size is unknown), not every packet.
        let report = now - reported >= max((total ?? 0) / 100, 1 << 20) || now == total
        if report { reported = now }
        lock.unlock()
        if report { progress(now, total) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.lock()
        if failure == nil, let error { failure = error.localizedDescription }
        if failure == nil, let expected, received != expected { failure = "the connection closed after \(received) of \(expected) bytes" }
        lock.unlock()
        done.signal()
    }
}

/// Why a download failed; each names the URL or file.
public enum DownloadError: Error, CustomStringConvertible, Equatable {
    case failed(url: String, reason: String)
    case checksum(url: String, expected: String, actual: String)
    case cannotWrite(path: String)
    case unpack(archive: String, reason: String)

    public var description: String {
        switch self {
        case let .failed(url, reason): "could not download \(url): \(reason)"
        case let .checksum(url, expected, actual): "\(url) arrived damaged: MD5 \(actual), expected \(expected); nothing was kept"
        case .cannotWrite(let path): "cannot write \(path)"
        case let .unpack(archive, reason): "cannot unpack \(archive): \(reason)"
        }
    }
}
