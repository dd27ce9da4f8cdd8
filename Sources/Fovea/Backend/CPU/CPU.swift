import CBLAS
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The CPU backend: plain Swift loops that the compiler vectorises, OpenBLAS for matrix products,
/// and work split across threads where it pays.
///
/// Thread count: `FOVEA_NUM_THREADS` if set, else the number of cores. Work is always split by
/// output element, never by reduction index, so results do not depend on the thread count.
public struct CPUBackend: Backend {
    /// The process's CPU backend (immutable once made).
    public static let shared = CPUBackend()

    /// Threads used for parallel loops: the process's setting, or inside ``withThreads(_:_:)`` that call's.
    public var threads: Int { ThreadOverride.count ?? configuredThreads }
    /// The process's thread count: `FOVEA_NUM_THREADS`, else the number of cores.
    private var configuredThreads: Int
    /// The OpenBLAS kernel in use (`openblas_get_corename()`), or why OpenBLAS could not open.
    public let blasKernel: String
    /// Whether Fovea chose the OpenBLAS kernel because OpenBLAS fell back to a generic one.
    public let blasKernelForced: Bool
    let blasError: String?

    /// A backend with a fixed thread count (tests compare thread counts with it).
    public init(threads: Int) {
        self.init()
        self.configuredThreads = max(1, threads)
    }

    init() {
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        if let value = getenv("FOVEA_NUM_THREADS").flatMap({ Int(String(cString: $0)) }), value > 0 {
            configuredThreads = value
        } else {
            configuredThreads = max(1, cores)
        }
        // Training allocates and frees the same large buffers every step: keep them in the heap
        // instead of fresh mmaps that page-fault.
        fovea_tune_allocator()
        var message = [CChar](repeating: 0, count: 512)
        if fovea_blas_open(&message, message.count) == 0 {
            blasError = nil
            fovea_blas_set_threads(1)  // Fovea splits each product across its own threads (CPU+MatMul.swift)
            blasKernel = String(cString: fovea_blas_corename())
            blasKernelForced = fovea_blas_kernel_was_forced() != 0
        } else {
            blasError = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            blasKernel = "unavailable"
            blasKernelForced = false
        }
    }

    public var name: String {
        "cpu (OpenBLAS \(blasKernel)\(blasKernelForced ? ", chosen by Fovea" : "")\(Self.avx512KernelsEnabled ? ", AVX-512 kernels" : ""), "
            + "\(threads) thread\(threads == 1 ? "" : "s"))"
    }

    /// Stops with a clear message when OpenBLAS is missing; called before every BLAS call.
    @inline(__always)
    func requireBLAS() {
        if let blasError { fatalError(blasError) }
    }

    /// Runs `body` with the engine's loops split over `count` threads instead of the configured
    /// number, on this task and what it calls (not on threads it starts itself). Results do not
    /// change, only the time: what lesson 10 measures.
    ///
    ///     let oneThread = CPUBackend.withThreads(1) { timedStep() }
    public static func withThreads<Result>(_ count: Int, _ body: () throws -> Result) rethrows -> Result {
        require(count >= 1, "withThreads: the thread count must be at least 1, not \(count)")
        return try ThreadOverride.$count.withValue(count, operation: body)
    }

    /// Runs `body` over `0..<count` split into at most `threads` contiguous ranges, in parallel.
    /// `grain` is the smallest range worth a thread.
    @inline(__always)
    func parallelFor(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = min(threads, max(1, count / max(grain, 1)))
        if chunks <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)  // each chunk writes its own range of the output
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                work.value((count * c / chunks)..<(count * (c + 1) / chunks))
            }
        }
    }
}

/// Elements per thread below which splitting elementwise work costs more than it saves.
let elementwiseGrain = 1 << 15

/// Carries a value into a concurrent closure. Used only where each thread touches disjoint memory.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// The thread count that ``CPUBackend/withThreads(_:_:)`` sets for the task it runs.
enum ThreadOverride {
    @TaskLocal static var count: Int?
}
