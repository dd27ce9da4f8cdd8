/// Where `Plot.confusionMatrix` drew its cells.
public struct MatrixLayout: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var rows: Int
    public var columns: Int
    /// The region of all cells; each cell is `cellSize` pixels square, with a 1-pixel white gap
    /// on its right and bottom.
    public var grid: Rect
    public var cellSize: Double
    public var notes: [String]

    /// The coloured square of cell (`row`, `column`), the gap excluded.
    public func cell(row: Int, column: Int) -> Rect {
        Rect(x: grid.minX + Double(column) * cellSize, y: grid.minY + Double(row) * cellSize,
             width: cellSize - 1, height: cellSize - 1)
    }
}

extension Plot {
    /// Draws a confusion matrix: rows are true classes, columns predicted classes, each cell
    /// coloured by its count (`Colormap.blues`, `t = count / max count`, so the darkest cell is the
    /// largest count) with the count written in it. The subtitle gives the accuracy,
    /// `trace / total`.
    ///
    ///     try Plot.confusionMatrix(counts: confusion, classNames: cifar10Classes, to: "confusion.png")
    ///
    /// - Parameters:
    ///   - counts: `counts[t][p]` is how many examples of class `t` were predicted as `p`.
    /// - Throws: `PlotError` for an empty or non-square matrix, a class-name count that differs from
    ///   its size, a negative count, or an unwritable path.
    @discardableResult
    public static func confusionMatrix(
        counts: [[Int]], classNames: [String], title: String? = "Confusion matrix", to path: String
    ) throws -> MatrixLayout {
        let theme = Theme.standard
        let n = counts.count
        guard n > 0 else { throw PlotError.emptyInput(what: "confusion matrix", shape: [0, 0]) }
        for (r, row) in counts.enumerated() where row.count != n {
            throw PlotError.countMismatch(what: "columns in row \(r) of the \(n)×\(n) confusion matrix", expected: n, actual: row.count)
        }
        guard classNames.count == n else {
            throw PlotError.countMismatch(what: "class names (one per row)", expected: n, actual: classNames.count)
        }
        if let negative = counts.joined().first(where: { $0 < 0 }) {
            throw PlotError.invalidValue("confusion matrix: counts must be ≥ 0, found \(negative)")
        }
        let total = counts.joined().reduce(0, +)
        let correct = (0..<n).map { counts[$0][$0] }.reduce(0, +)
        let largest = max(counts.joined().max() ?? 0, 1)
        let subtitle = total > 0
            ? "accuracy \(NumberFormat.percent(Double(correct) / Double(total))) (\(NumberFormat.grouped(correct)) of \(NumberFormat.grouped(total)))"
            : "no examples"
        let header = Header(title: title, subtitle: subtitle, theme: theme)

        // Sizes: cells fit the widest count; column names are turned 45° when they do not fit.
        let m = theme.margin
        let tickFont = theme.tickFont
        let countTexts = counts.map { $0.map(NumberFormat.grouped) }
        let cellSize = max(38, (Canvas.widest(countTexts.flatMap { $0 }, font: tickFont) + 14).rounded(.up))
        let nameWidth = Canvas.widest(classNames, font: tickFont)
        let textHeight = Canvas.measure("Ag", font: tickFont).height
        let labelHeight = Canvas.measure("Ag", font: theme.labelFont).height
        let turned = nameWidth > cellSize - 6
        let diagonal = 0.5.squareRoot()
        let columnLabelsHeight = turned ? (nameWidth + textHeight) * diagonal + 8 : textHeight + 8
        let turnedOverhang = turned ? nameWidth * diagonal - cellSize / 2 : 0   // left of the first column

        let gridX = (m + labelHeight + 8 + max(nameWidth + 8, turnedOverhang)).rounded(.up)
        let gridY = (m + header.height).rounded(.up)
        let grid = Rect(x: gridX, y: gridY, width: Double(n) * cellSize, height: Double(n) * cellSize)
        let width = Int(max(grid.maxX + m, header.width + 2 * m).rounded(.up))
        let height = Int((grid.maxY + columnLabelsHeight + 6 + labelHeight + m).rounded(.up))
        let layout = MatrixLayout(width: width, height: height, rows: n, columns: n, grid: grid, cellSize: cellSize, notes: [])

        let canvas = try Canvas(width: width, height: height, background: theme.background)
        header.draw(on: canvas, at: Point(x: m, y: m))
        for r in 0..<n {
            for c in 0..<n {
                let cell = layout.cell(row: r, column: c)
                let color = Colormap.blues.color(at: Double(counts[r][c]) / Double(largest))
                canvas.fill(cell, color)
                let ink = counts[r][c] == 0 ? theme.mutedText.mixed(with: .white, amount: 0.4)
                    : color.luminance < 0.5 ? Color.white : theme.text
                canvas.text(countTexts[r][c], at: cell.center, font: tickFont, color: ink, align: .center, vertical: .middle)
            }
        }
        for (i, name) in classNames.enumerated() {
            let row = layout.cell(row: i, column: 0)
            canvas.text(name, at: Point(x: grid.minX - 8, y: row.midY), font: tickFont, color: theme.text,
                        align: .right, vertical: .middle)
            let column = layout.cell(row: n - 1, column: i)
            if turned {
                canvas.text(name, at: Point(x: column.midX + 3, y: grid.maxY + 8), font: tickFont, color: theme.text,
                            align: .right, vertical: .middle, angle: -Double.pi / 4)
            } else {
                canvas.text(name, at: Point(x: column.midX, y: grid.maxY + 6), font: tickFont, color: theme.text,
                            align: .center, vertical: .top)
            }
        }
        canvas.text("predicted class", at: Point(x: grid.midX, y: grid.maxY + columnLabelsHeight + 6),
                    font: theme.labelFont, color: theme.text, align: .center, vertical: .top)
        canvas.text("true class", at: Point(x: m, y: grid.midY), font: theme.labelFont, color: theme.text,
                    align: .center, vertical: .top, angle: -Double.pi / 2)
        try canvas.writePNG(to: path)
        return layout
    }
}
