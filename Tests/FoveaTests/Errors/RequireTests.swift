import Foundation
import Fovea
import Testing

/// The engine's checks print their message in the optimised build that users run (Swift's own
/// `precondition` would drop it under -O). These run in a child process of the release test binary.
@Suite("Readable errors in release builds")
struct RequireTests {
    @Test("a shape mismatch in linear names both shapes on stderr")
    func linearShapes() async throws {
        let result = try #require(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SplitMix64(seed: 0)
            let layer = Linear(7, 10, using: &rng)
            _ = layer(Tensor(zeros: [2, 8]))
        })
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(stderr.contains("Fatal error: linear: input [2, 8] does not fit weight [10, 7]"), "stderr was:\n\(stderr.prefix(600))")
    }

    @Test("a conv2d channel mismatch says what was expected")
    func convChannels() async throws {
        let result = try #require(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SplitMix64(seed: 0)
            let conv = Conv2d(3, 8, kernelSize: 3, using: &rng)
            _ = conv(Tensor(zeros: [1, 4, 8, 8]))
        })
        let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(stderr.contains("Fatal error: conv2d"), "stderr was:\n\(stderr.prefix(600))")
        #expect(stderr.contains("[1, 4, 8, 8]"), "stderr was:\n\(stderr.prefix(600))")
    }
}
