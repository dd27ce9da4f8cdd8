/// The text block at the top of every figure: a bold title, a muted subtitle (what is shown and
/// how it is scaled), and notes in dark magenta about values that could not be drawn as numbers.
package struct Header {
    package var title: String?
    package var subtitle: String?
    package var notes: [String] = []
    package var theme: Theme = .standard

    /// Space between the lines, and below the block.
    package static let lineGap = 4.0
    package static let bottomGap = 10.0

    private var lines: [(text: String, font: Font, color: Color)] {
        var lines: [(String, Font, Color)] = []
        if let title { lines.append((title, theme.titleFont, theme.text)) }
        if let subtitle { lines.append((subtitle, theme.subtitleFont, theme.mutedText)) }
        lines += notes.map { ($0, theme.noteFont, theme.noteText) }
        return lines
    }

    /// The block's height, gap below included; 0 when there is no text.
    package var height: Double {
        let lines = lines
        guard !lines.isEmpty else { return 0 }
        return lines.map { Canvas.measure($0.text, font: $0.font).height + Header.lineGap }.reduce(0, +)
            + Header.bottomGap
    }

    /// The widest line, so that a figure can grow to fit its title.
    package var width: Double {
        lines.map { Canvas.measure($0.text, font: $0.font).width }.max() ?? 0
    }

    /// Draws the lines left-aligned, the first one's top at `origin`.
    package func draw(on canvas: Canvas, at origin: Point) {
        var y = origin.y
        for line in lines {
            canvas.text(line.text, at: Point(x: origin.x, y: y), font: line.font, color: line.color, vertical: .top)
            y += Canvas.measure(line.text, font: line.font).height + Header.lineGap
        }
    }
}
