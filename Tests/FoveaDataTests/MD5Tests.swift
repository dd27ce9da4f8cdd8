import FoveaData
import Testing

@Suite("MD5")
struct MD5Tests {
    @Test("the test suite of RFC 1321", arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func vectors(_ text: String, _ digest: String) {
        var md5 = MD5()
        md5.update(Array(text.utf8))
        #expect(md5.finalize() == digest)
    }

    @Test("feeding in pieces gives the same digest as all at once")
    func pieces() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var whole = MD5(), parts = MD5()
        whole.update(bytes)
        for start in stride(from: 0, to: 1000, by: 37) { parts.update(bytes[start..<min(start + 37, 1000)]) }
        #expect(whole.finalize() == parts.finalize())
    }
}
