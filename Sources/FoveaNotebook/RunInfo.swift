import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How and where a notebook ran: the page's footer says it, so that its numbers can be judged
/// and reproduced.
package struct RunInfo: Equatable, Sendable {
    package var date: Date
    package var quick: Bool
    package var seed: UInt64
    /// `uname -m`: `x86_64`, `arm64`, …
    package var machine: String
    package var cores: Int
    package var operatingSystem: String
    /// Seconds from the notebook's creation to `finish()`.
    package var duration: Double
    /// Whether real data (`--data` / `FOVEA_DATA`) was given.
    package var usesData = false

    package init(date: Date, quick: Bool, seed: UInt64, machine: String, cores: Int, operatingSystem: String,
                 duration: Double, usesData: Bool = false) {
        self.date = date
        self.quick = quick
        self.seed = seed
        self.machine = machine
        self.cores = cores
        self.operatingSystem = operatingSystem
        self.duration = duration
        self.usesData = usesData
    }

    /// This machine, now.
    package static func current(quick: Bool, seed: UInt64, duration: Double, usesData: Bool = false) -> RunInfo {
        var names = utsname()
        uname(&names)
        let machine = withUnsafeBytes(of: &names.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let system = withUnsafeBytes(of: &names.sysname) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return RunInfo(date: Date(), quick: quick, seed: seed, machine: machine,
                       cores: ProcessInfo.processInfo.activeProcessorCount, operatingSystem: system, duration: duration,
                       usesData: usesData)
    }

    /// `2025-06-01 14:03 UTC`.
    package var utcDate: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date) + " UTC"
    }

    /// One sentence for the page's footer: when, with which settings (`--quick` or full, the
    /// seed), on what machine and how long.
    package var footer: String {
        "Produced on \(utcDate) by a \(quick ? "`--quick`" : "full") run with seed \(seed)\(usesData ? " and real data (`--data`)" : ""), "
            + "on \(machine) with \(cores) core\(cores == 1 ? "" : "s") (\(operatingSystem)), in \(formattedDuration(duration))."
    }
}

/// A duration, in the unit that reads best: `850 µs`, `12.3 ms`, `4.56 s`, `3 min 12 s`.
package func formattedDuration(_ seconds: Double) -> String {
    switch seconds {
    case ..<1e-3: String(format: "%.0f µs", seconds * 1e6)
    case ..<1: String(format: "%.1f ms", seconds * 1e3)
    case ..<120: String(format: "%.2f s", seconds)
    default: "\(Int(seconds) / 60) min \(Int(seconds) % 60) s"
    }
}
