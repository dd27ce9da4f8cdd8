// What a run recorded: the cells in the order they ran, each with its output in order.

/// One item of a cell's output.
package enum Output: Equatable, Sendable {
    /// Printed text (one or more lines); consecutive texts share one fence on the page.
    case text(String)
    case table(Table)
    /// A figure written to `file`, relative to the output folder.
    case figure(file: String, caption: String)
    case check(CheckResult)
}

/// A cell as it ran.
package struct CellRecord: Equatable, Sendable {
    package var title: String
    /// Where its `cell(…)` call is; the header's record points at the `Notebook(…)` call.
    package var file: String
    package var line: Int
    package var outputs: [Output] = []
}
