import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the trainer tells the person watching. On a terminal, a live line (epoch, batch, loss,
/// accuracy, images/s, ETA) redrawn a few times a second, and one line per finished epoch; when
/// standard output is not a terminal (a log file, CI), only the per-epoch lines.
public final class ProgressDisplay {
    public enum Style { case live, epochLines, silent }
    public let style: Style
    private var lastDraw = 0.0
    private let write: (String) -> Void

    /// `.live` on a terminal, else `.epochLines`.
    public static func standardOutput() -> ProgressDisplay {
        ProgressDisplay(style: isatty(STDOUT_FILENO) == 1 ? .live : .epochLines)
    }

    public init(style: Style, write: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }) {
        self.style = style
        self.write = write
    }

    /// A line of text (settings, notes), above the live line.
    public func note(_ text: String) {
        guard style != .silent else { return }
        write((style == .live ? "\r\u{1B}[K" : "") + text + "\n")
    }

    /// Called after every step; redraws the live line at most every 0.2 s.
    func batch(epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double, accuracy: Double,
               imagesPerSecond: Double, etaSeconds: Double, now: Double) {
        guard style == .live, now - lastDraw >= 0.2 || batch == batches else { return }
        lastDraw = now
        let width = 20, filled = batches == 0 ? 0 : width * batch / batches
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        write("\r\u{1B}[Kepoch \(epoch)/\(epochs) \(bar) \(batch)/\(batches)  loss \(fixed(loss, 4))  acc \(fixed(100 * accuracy, 1)) %  "
              + "\(Int(imagesPerSecond)) img/s  ETA \(Self.duration(etaSeconds))")
    }

    /// One line for a finished epoch.
    func epoch(_ record: EpochRecord, epochs: Int, dataWaitShare: Double, best: Bool) {
        guard style != .silent else { return }
        var line = "epoch \(record.epoch)/\(epochs)  lr \(String(format: "%.4g", record.learningRate))  "
            + "train loss \(fixed(record.trainLoss, 4)) acc \(fixed(100 * record.trainAccuracy, 2)) %"
        if let loss = record.validationLoss, let accuracy = record.validationAccuracy {
            line += "  val loss \(fixed(loss, 4)) acc \(fixed(100 * accuracy, 2)) %\(best ? " (best)" : "")"
        }
        if let loss = record.testLoss, let accuracy = record.testAccuracy {
            line += "  test loss \(fixed(loss, 4)) acc \(fixed(100 * accuracy, 2)) %"
        }
        if let accuracy = record.testAccuracyTTA { line += " (with test-time augmentation \(fixed(100 * accuracy, 2)) %)" }
        line += "  \(Int(record.imagesPerSecond)) img/s  data wait \(fixed(100 * dataWaitShare, 1)) %  [\(Self.duration(record.wallSeconds))]"
        write((style == .live ? "\r\u{1B}[K" : "") + line + "\n")
    }

    private func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    /// 75 → "1:15", 4000 → "1:06:40".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
