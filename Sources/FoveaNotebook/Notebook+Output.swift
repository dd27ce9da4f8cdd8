import Fovea
import Foundation

// What a cell shows: printed text, tensors, tables, timings and figures. Each is written to the
// terminal at once and recorded in the current cell for the page.

extension Notebook {
    /// Prints `items` like `Swift.print`, and records the line in the current cell.
    public func print(_ items: Any..., separator: String = " ") {
        let text = items.map { "\($0)" }.joined(separator: separator)
        record(.text(text), echo: text)
    }

    /// Prints a tensor with its shape and dtype, laid out as nested rows (long axes elided).
    ///
    ///     nb.show(y, "feature map")   // feature map: Tensor(1×1×2×2, float32)
    ///                                 // [[[[ 45.0000   54.0000] …
    ///
    /// - Parameters:
    ///   - label: what the tensor is; printed before it.
    ///   - precision: digits after the decimal point.
    /// `edge` entries are shown at each end of a long axis (the rest elided with "…").
    public func show(_ tensor: Tensor, _ label: String? = nil, precision: Int = 4, edge: Int = 3) {
        let header = tensor.description.prefix { $0 != "\n" }
        let text = (label.map { "\($0): " } ?? "") + header + "\n" + tensor.formatted(precision: precision, edge: edge)
        record(.text(text), echo: text)
    }

    /// Prints a value with a label: `loss: 0.6931`.
    public func show(_ value: some CustomStringConvertible, _ label: String) {
        let text = "\(label): \(value)"
        record(.text(text), echo: text)
    }

    /// Shows a small table: aligned columns in the terminal, a Markdown table on the page.
    /// Columns of numbers are right-aligned; short rows are padded with empty cells.
    ///
    ///     nb.table(headers: ["kernel", "ms"], rows: [["naive", "41.2"], ["im2col", "3.1"]])
    public func table(headers: [String], rows: [[String]]) {
        let table = Table(headers: headers, rows: rows)
        record(.table(table), echo: table.plainText)
    }

    /// Runs `body` once, prints how long it took, and returns the seconds.
    ///
    ///     let seconds = nb.measure("naive loop") { _ = conv2dReference(x, w) }
    @discardableResult
    public func measure(_ label: String, _ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let text = "⏱ \(label): \(formattedDuration(seconds))"
        record(.text(text), echo: text)
        return seconds
    }

    /// Draws a figure into the output folder and shows it in the current cell.
    ///
    ///     nb.figure("feature-maps.png", caption: "The 6 maps of conv1") { path in
    ///         try Plot.featureMaps(maps, to: path)
    ///     }
    ///
    /// A figure that fails to draw (the closure throws, or writes no file) does not stop the
    /// lesson: it is recorded as a failed check, so the page is still written and ``finish()``
    /// exits non-zero.
    ///
    /// - Parameters:
    ///   - file: a path relative to ``outputDirectory``, such as `feature-maps.png`; the page
    ///     links it relative to itself.
    ///   - caption: one sentence saying what the figure shows.
    ///   - draw: writes the figure to the absolute path it is given (missing folders exist).
    /// - Returns: the absolute path of the figure.
    /// - Precondition: `file` is relative and does not leave the output folder (`..`).
    @discardableResult
    public func figure(_ file: String, caption: String, filePath: String = #filePath, line: Int = #line,
                       draw: (_ path: String) throws -> Void) -> String {
        require(!file.isEmpty && !file.hasPrefix("/") && !file.split(separator: "/").contains(".."),
                "figure \"\(file)\": give a path relative to the output folder, without ..")
        let path = outputDirectory + "/" + file
        let manager = FileManager.default
        var failure: String?
        do {
            try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if manager.fileExists(atPath: path) { try manager.removeItem(atPath: path) }  // no stale figure passes
            try draw(path)
            if !manager.fileExists(atPath: path) { failure = "the drawing code wrote no file at \(path)" }
        } catch {
            failure = "\(error)"
        }
        if let failure {
            recordCheck(name: "figure \(file) is drawn", passed: false, detail: failure, filePath: filePath, line: line)
        } else {
            record(.figure(file: file, caption: caption), echo: terminal.styled("figure \(file): \(caption)", .note))
        }
        return path
    }
}
