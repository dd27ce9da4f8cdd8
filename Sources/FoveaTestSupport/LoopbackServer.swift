import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-file HTTP server on 127.0.0.1, for testing downloads without the internet (Swift's
/// URLSession on Linux does not open `file://` URLs). It answers every GET with `body` (or with
/// `status` and no body), one connection at a time, until stopped.
public final class LoopbackServer: @unchecked Sendable {
    public let port: UInt16
    private let socket: Int32
    private let body: Data
    private let status: Int

    public init(serving body: Data, status: Int = 200) throws {
        self.body = body
        self.status = status
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socket, 8) == 0 else { close(socket); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        self.socket = socket
        let thread = Thread { [socket, body, status] in Self.serve(socket, body: body, status: status) }
        thread.start()
    }

    /// `http://127.0.0.1:PORT/NAME`.
    public func url(_ name: String = "file") -> String { "http://127.0.0.1:\(port)/\(name)" }

    /// Closes the listening socket; the serving thread ends.
    public func stop() { shutdown(socket, Int32(SHUT_RDWR)); close(socket) }

    private static func serve(_ socket: Int32, body: Data, status: Int) {
        while true {
            let client = accept(socket, nil, nil)
            guard client >= 0 else { return }
            var request = [UInt8](repeating: 0, count: 4096)
            _ = recv(client, &request, request.count, 0)
            let payload = status == 200 ? body : Data()
            let header = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Error")\r\nContent-Length: \(payload.count)\r\n"
                + "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
            var response = Data(header.utf8)
            response.append(payload)
            response.withUnsafeBytes { raw in
                var sent = 0
                while sent < raw.count {
                    let n = send(client, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                    if n <= 0 { break }
                    sent += n
                }
            }
            close(client)
        }
    }
}
