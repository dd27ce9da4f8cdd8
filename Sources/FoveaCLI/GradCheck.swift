import ArgumentParser
import Fovea
import Foundation

/// `fovea gradcheck`: every op's backward against central finite differences (Float64), and the
/// fast path against the reference path, as one table.
struct GradCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradcheck",
        abstract: "Check every op's gradient against finite differences and its fast path against the reference.",
        discussion: """
        Finite differences run in Float64: pass when the worst relative error is at most \
        \(GradientCheckTolerance.finiteDifference). The fast path runs in Float32 and passes when every \
        element satisfies |fast − reference| ≤ \(GradientCheckTolerance.absolute) + \(GradientCheckTolerance.relative)·|reference|. \
        Exit status 1 if any case fails.
        """
    )

    @Option(name: .long, help: "Only run ops whose name contains this text (case-insensitive).")
    var op: String?

    @Option(name: .long, help: "Seed for inputs and upstream gradients.")
    var seed: UInt64 = 0

    func run() throws {
        let cases = GradientCheckCase.all.filter { c in op.map { c.op.lowercased().contains($0.lowercased()) } ?? true }
        guard !cases.isEmpty else { throw ValidationError("no op matches '\(op ?? "")'") }
        let header = ["op", "case", "vs finite diff (rel)", "vs reference (abs)", "result"]
        var rows: [[String]] = []
        var failures = 0
        for c in cases {
            let r = c.run(seed: seed)
            if !r.passed { failures += 1 }
            rows.append([r.op, r.name, r.finiteDifferenceError.map(scientific) ?? "– (ties)",
                         r.referenceError.map(scientific) ?? "–", r.passed ? "pass" : "FAIL"])
        }
        let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max()! }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        print(line(header))
        print(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        rows.forEach { print(line($0)) }
        print("\n\(cases.count - failures) passed, \(failures) failed")
        if failures > 0 { throw ExitCode.failure }
    }

    private func scientific(_ v: Double) -> String { String(format: "%.2e", v) }
}
