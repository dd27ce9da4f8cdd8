import Fovea

/// Where a grid figure (`featureMaps`, `filters`, `samples`) drew its tiles.
///
/// Cells sit side by side with one separator pixel between neighbours and around the outside, so
/// a row of `columns` cells crosses `columns + 1` separator lines.
public struct TileGridLayout: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var columns: Int
    public var rows: Int
    /// Per tile, row by row: its cell (tile, padding and caption), without the separators around it.
    public var cells: [Rect]
    /// Per tile: where its image is drawn.
    public var tiles: [Rect]
    public var nonFinite: NonFiniteCount
    /// The header's notes, such as "3 NaN values shown in magenta".
    public var notes: [String]
}

/// A grid of equally sized images with 1-pixel separators and optional captions: the shared
/// engine of the grid figures.
package struct TileGrid {
    package struct CaptionLine {
        package var text: String
        package var color: Color
        package var bold = false
    }

    package struct Tile {
        package var image: PixelImage
        package var caption: [CaptionLine] = []
        /// A 2-pixel frame around the image (a wrong prediction), or `nil`.
        package var frame: Color?
        /// Numbers to print in the image's cells (row-major, one per pixel of `image`), for small
        /// grids drawn large; `nil` for none.
        package var values: [Float]?
    }

    package var tiles: [Tile]
    package var columns: Int
    package var zoom: Int
    package var header: Header
    package var nonFinite: NonFiniteCount
    /// Labels left of each row and above each column (empty for none), such as filter and channel numbers.
    package var rowLabels: [String] = []
    package var columnLabels: [String] = []
    package var theme: Theme = .standard
    /// Background around each tile even without captions or frames, so that neighbouring tiles
    /// (filters, say) do not run into each other.
    package var minimumPadding = 0.0
    /// A colour bar right of the grid, for tiles that share one scale (or one per-tile rule).
    package var colorBar: ColorBar?
    package static let colorBarGap = 16.0

    /// Lines between caption lines, padding around a tile when it has a caption or frame.
    package static let captionGap = 3.0
    package static let padding = 5.0
    package static let labelGap = 6.0

    /// A default column count: all in one row up to `maxInRow`, otherwise about square.
    package static func defaultColumns(_ count: Int, maxInRow: Int = 8) -> Int {
        count <= maxInRow ? count : Int(Double(count).squareRoot().rounded(.up))
    }

    package func layout() -> TileGridLayout {
        require(!tiles.isEmpty && columns >= 1, "TileGrid: needs tiles and at least one column")
        let m = theme.margin
        let tileWidth = Double(tiles[0].image.width * zoom)
        let tileHeight = Double(tiles[0].image.height * zoom)
        let captionLines = tiles.map(\.caption.count).max() ?? 0
        let lineHeight = Canvas.measure("Ag", font: theme.captionFont).height + 1
        let captionWidth = tiles.flatMap { $0.caption.map { line in
            Canvas.measure(line.text, font: line.bold ? Font(size: theme.captionFont.size, bold: true) : theme.captionFont).width
        } }.max() ?? 0
        let padding = max(captionLines > 0 || tiles.contains { $0.frame != nil } ? TileGrid.padding : 0, minimumPadding)
        let cellWidth = (max(tileWidth, captionWidth) + 2 * padding).rounded(.up)
        let captionHeight = captionLines > 0 ? TileGrid.captionGap + Double(captionLines) * lineHeight : 0
        let cellHeight = (tileHeight + 2 * padding + captionHeight).rounded(.up)

        let rows = (tiles.count + columns - 1) / columns
        let gridWidth = Double(columns) * (cellWidth + 1) + 1
        let gridHeight = Double(rows) * (cellHeight + 1) + 1
        let labelHeight = Canvas.measure("Ag", font: theme.captionFont).height
        let rowLabelWidth = rowLabels.isEmpty ? 0 : Canvas.widest(rowLabels, font: theme.captionFont) + TileGrid.labelGap
        let columnLabelHeight = columnLabels.isEmpty ? 0 : labelHeight + TileGrid.labelGap
        let gridOrigin = Point(x: (m + rowLabelWidth).rounded(.up), y: (m + header.height + columnLabelHeight).rounded(.up))

        var cells: [Rect] = []
        var tileRects: [Rect] = []
        for index in tiles.indices {
            let (r, c) = (index / columns, index % columns)
            let cell = Rect(x: gridOrigin.x + 1 + Double(c) * (cellWidth + 1),
                            y: gridOrigin.y + 1 + Double(r) * (cellHeight + 1),
                            width: cellWidth, height: cellHeight)
            cells.append(cell)
            tileRects.append(Rect(x: cell.minX + ((cellWidth - tileWidth) / 2).rounded(.down), y: cell.minY + padding,
                                  width: tileWidth, height: tileHeight))
        }
        let barWidth = colorBar.map { TileGrid.colorBarGap + $0.width } ?? 0
        return TileGridLayout(
            width: Int((max(gridOrigin.x + gridWidth + barWidth, m + header.width) + m).rounded(.up)),
            height: Int((gridOrigin.y + gridHeight + m).rounded(.up)),
            columns: columns, rows: rows, cells: cells, tiles: tileRects,
            nonFinite: nonFinite, notes: header.notes
        )
    }

    /// Each cell's number (2 significant digits), centred, dark on light colours and light on dark
    /// ones, in a font small enough to fit the cell; cells too small for a legible number get none.
    private func drawValues(_ values: [Float], of image: PixelImage, in rect: Rect, on canvas: Canvas) {
        let cell = Double(zoom)
        for y in 0..<image.height {
            for x in 0..<image.width where y * image.width + x < values.count {
                let text = NumberFormat.short(Double(values[y * image.width + x]), significant: 2)
                var font = Font(size: min(12, cell * 0.34))
                let width = Canvas.measure(text, font: font).width
                if width > cell - 4 { font = Font(size: font.size * (cell - 4) / width) }
                guard font.size >= 7 else { continue }
                let color = image[x, y]
                let luminance = 0.2126 * color.red + 0.7152 * color.green + 0.0722 * color.blue
                canvas.text(text, at: Point(x: rect.minX + (Double(x) + 0.5) * cell, y: rect.minY + (Double(y) + 0.5) * cell),
                            font: font, color: luminance > 0.5 ? theme.text : .white, align: .center, vertical: .middle)
            }
        }
    }

    package func render(to path: String) throws -> TileGridLayout {
        let layout = layout()
        let canvas = try Canvas(width: layout.width, height: layout.height, background: theme.background)
        header.draw(on: canvas, at: Point(x: theme.margin, y: theme.margin))
        let lineHeight = Canvas.measure("Ag", font: theme.captionFont).height + 1
        for (index, tile) in tiles.enumerated() {
            let (cell, rect) = (layout.cells[index], layout.tiles[index])
            canvas.stroke(cell.insetBy(-1), theme.separator)   // shared with the neighbours' rings
            canvas.draw(tile.image, at: Point(x: rect.minX, y: rect.minY), zoom: zoom)
            if let frame = tile.frame { canvas.stroke(rect.insetBy(-3), frame, lineWidth: 2) }
            if let values = tile.values { drawValues(values, of: tile.image, in: rect, on: canvas) }
            for (i, line) in tile.caption.enumerated() {
                let font = line.bold ? Font(size: theme.captionFont.size, bold: true) : theme.captionFont
                canvas.text(line.text, at: Point(x: cell.midX, y: rect.maxY + TileGrid.captionGap + 2 + Double(i) * lineHeight),
                            font: font, color: line.color, align: .center, vertical: .top)
            }
        }
        if let colorBar, let first = layout.cells.first, let last = layout.cells.last {
            let right = layout.cells.map(\.maxX).max()! + 1
            let height = max(60, min(last.maxY - first.minY, 160)).rounded()
            colorBar.draw(on: canvas, strip: Rect(x: (right + TileGrid.colorBarGap).rounded(), y: first.minY,
                                                  width: ColorBar.stripWidth, height: height))
        }
        for (r, label) in rowLabels.enumerated() where r * columns < layout.cells.count {
            let cell = layout.cells[r * columns]
            canvas.text(label, at: Point(x: cell.minX - 1 - TileGrid.labelGap, y: cell.midY), font: theme.captionFont,
                        color: theme.mutedText, align: .right, vertical: .middle)
        }
        for (c, label) in columnLabels.enumerated() where c < layout.cells.count {
            let cell = layout.cells[c]
            canvas.text(label, at: Point(x: cell.midX, y: cell.minY - 1 - TileGrid.labelGap), font: theme.captionFont,
                        color: theme.mutedText, align: .center, vertical: .bottom)
        }
        try canvas.writePNG(to: path)
        return layout
    }
}
