/// One entry of a legend: a short line (solid or dashed, with or without a dot) and a name.
public struct LegendEntry: Sendable, Equatable {
    public var name: String
    public var color: Color
    public var dashed: Bool
    public var marker: Bool

    public init(name: String, color: Color, dashed: Bool = false, marker: Bool = false) {
        self.name = name
        self.color = color
        self.dashed = dashed
        self.marker = marker
    }
}

/// A legend laid out in rows above the plot, wrapping when the entries do not fit in one.
struct Legend {
    var entries: [LegendEntry]
    var theme: Theme = .standard

    static let swatchWidth = 24.0
    static let swatchGap = 6.0
    static let entryGap = 20.0
    static let rowHeight = 20.0

    private func entryWidth(_ entry: LegendEntry) -> Double {
        Legend.swatchWidth + Legend.swatchGap + Canvas.measure(entry.name, font: theme.tickFont).width
    }

    /// The entries split into rows no wider than `maxWidth`.
    private func rows(maxWidth: Double) -> [[LegendEntry]] {
        var rows: [[LegendEntry]] = []
        var current: [LegendEntry] = []
        var width = 0.0
        for entry in entries {
            let w = entryWidth(entry)
            if !current.isEmpty && width + Legend.entryGap + w > maxWidth {
                rows.append(current)
                current = []
                width = 0
            }
            width += (current.isEmpty ? 0 : Legend.entryGap) + w
            current.append(entry)
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }

    /// The legend's height when it may be `maxWidth` wide; 0 without entries.
    func height(maxWidth: Double) -> Double {
        Double(rows(maxWidth: maxWidth).count) * Legend.rowHeight
    }

    func draw(on canvas: Canvas, at origin: Point, maxWidth: Double) {
        for (r, row) in rows(maxWidth: maxWidth).enumerated() {
            var x = origin.x
            let y = origin.y + (Double(r) + 0.5) * Legend.rowHeight
            for entry in row {
                canvas.line(
                    from: Point(x: x, y: y), to: Point(x: x + Legend.swatchWidth, y: y),
                    color: entry.color, width: 2.5, dash: entry.dashed ? [6, 3] : []
                )
                if entry.marker {
                    canvas.circle(center: Point(x: x + Legend.swatchWidth / 2, y: y), radius: 3.5,
                                  fill: entry.color, stroke: .white, lineWidth: 1)
                }
                let textX = x + Legend.swatchWidth + Legend.swatchGap
                canvas.text(entry.name, at: Point(x: textX, y: y), font: theme.tickFont,
                            color: theme.text, vertical: .middle)
                x += entryWidth(entry) + Legend.entryGap
            }
        }
    }
}
