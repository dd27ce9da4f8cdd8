// The switch for Fovea's hand-written AVX-512 kernels (Sources/CKernels): the direct convolution
// (CPU+DirectConvolution.swift) and the 2×2 max-pool. They run on CPUs with AVX-512; elsewhere, with
// `FOVEA_AVX512=0`, or inside `withAVX512Kernels(false)`, the portable paths (im2col + sgemm, Swift
// loops) do the same work with the same results up to rounding. Tests compare the two.
import CBLAS
#if canImport(Glibc)
import Glibc
#endif

extension CPUBackend {
    /// Whether the CPU and the operating system support AVX-512 (checked once).
    static let hasAVX512 = fovea_cpu_has_avx512() != 0

    /// Whether the AVX-512 kernels run: on by default on CPUs with AVX-512; `FOVEA_AVX512=0`
    /// switches them off for the process, ``withAVX512Kernels(_:_:)`` for a task.
    public static var avx512KernelsEnabled: Bool {
        AVX512Override.enabled ?? avx512KernelsConfigured
    }

    /// The process's setting: AVX-512 present and `FOVEA_AVX512` not `0`.
    static let avx512KernelsConfigured: Bool = {
        if let value = getenv("FOVEA_AVX512"), String(cString: value) == "0" { return false }
        return hasAVX512
    }()

    /// Runs `body` with the AVX-512 kernels switched on or off (on has no effect on a CPU without
    /// AVX-512). Results agree to rounding; only the time changes. Tests compare the two paths with
    /// it, and lesson 10 measures what the direct convolution is worth.
    public static func withAVX512Kernels<Result>(_ enabled: Bool, _ body: () throws -> Result) rethrows -> Result {
        try AVX512Override.$enabled.withValue(enabled && hasAVX512, operation: body)
    }
}

/// The switch that ``CPUBackend/withAVX512Kernels(_:_:)`` sets for the task it runs.
enum AVX512Override {
    @TaskLocal static var enabled: Bool?
}
