import Foundation

/// The memory this process holds, as Linux reports it: for the memory figures of lessons, tests
/// and benchmarks (what a training step keeps, whether a graph leaks, peak RSS against PyTorch's).
/// NaN where `/proc` is not available.
public enum ProcessMemory {
    /// The resident set size now, in bytes (the second field of `/proc/self/statm`, in pages).
    public static var residentBytes: Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return .nan }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The largest resident set size this process image has had, in bytes (`VmHWM` in
    /// `/proc/self/status`; it survives `execve`, so a child started from a bigger parent reports
    /// the parent's peak).
    public static var peakResidentBytes: Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return .nan }
        return kilobytes * 1024
    }
}
