/// Everything around a chart's data: header, legend, grid lines, axes, tick labels, axis labels.
///
/// `layout(width:height:)` sizes the margins from the text they must hold (the widest y tick
/// label, whether there are axis labels, how many legend rows), so that nothing overlaps or is
/// cut off; `draw(on:_:)` paints the frame, and the chart then draws its data inside `plotArea`.
struct ChartFrame {
    var header: Header
    var legend: Legend
    var xAxis: Axis
    var yAxis: Axis
    var xLabel: String?
    var yLabel: String?
    /// Extra room on the right, beyond the margin: value labels past the bars, a colour bar.
    var rightInset = 0.0
    var theme: Theme = .standard

    /// Gap between tick labels and the plot area, and between tick labels and axis labels.
    static let tickGap = 8.0
    static let labelGap = 6.0

    private var tickHeight: Double { Canvas.measure("0", font: theme.tickFont).height }
    private var labelHeight: Double { Canvas.measure("Ag", font: theme.labelFont).height }

    func layout(width: Int, height: Int) -> ChartLayout {
        let m = theme.margin
        var top = m + header.height
        let legendHeight = legend.height(maxWidth: Double(width) - 2 * m)
        if legendHeight > 0 { top += legendHeight + 4 }
        top += tickHeight / 2   // the top y tick label is centred on the top edge

        var left = m + Canvas.widest(yAxis.ticks.map(\.label), font: theme.tickFont) + ChartFrame.tickGap
        if yLabel != nil { left += labelHeight + ChartFrame.labelGap }
        let lastLabel = xAxis.ticks.last.map { Canvas.measure($0.label, font: theme.tickFont).width / 2 } ?? 0
        let right = max(m + rightInset, lastLabel + 4)
        var bottom = m + ChartFrame.tickGap + tickHeight
        if xLabel != nil { bottom += labelHeight + ChartFrame.labelGap }

        let area = Rect(
            x: left.rounded(.up), y: top.rounded(.up),
            width: (Double(width) - right - left).rounded(.down),
            height: (Double(height) - bottom - top).rounded(.down)
        )
        return ChartLayout(width: width, height: height, plotArea: area, xAxis: xAxis, yAxis: yAxis, notes: header.notes)
    }

    func draw(on canvas: Canvas, _ layout: ChartLayout) {
        let m = theme.margin
        let area = layout.plotArea
        header.draw(on: canvas, at: Point(x: m, y: m))
        legend.draw(on: canvas, at: Point(x: area.minX, y: m + header.height), maxWidth: Double(canvas.width) - 2 * m)

        drawGrid(on: canvas, layout)

        // Axis lines just outside the plot area: the column left of it and the row below it.
        canvas.horizontalHairline(y: Int(area.maxY), from: area.minX - 1, to: area.maxX, color: theme.axisLine)
        canvas.verticalHairline(x: Int(area.minX) - 1, from: area.minY, to: area.maxY + 1, color: theme.axisLine)

        for tick in xAxis.ticks {
            canvas.text(tick.label, at: Point(x: layout.x(tick.value), y: area.maxY + ChartFrame.tickGap),
                        font: theme.tickFont, color: theme.mutedText, align: .center, vertical: .top)
        }
        for tick in yAxis.ticks {
            canvas.text(tick.label, at: Point(x: area.minX - ChartFrame.tickGap, y: layout.y(tick.value)),
                        font: theme.tickFont, color: yAxis.scale == .categorical ? theme.text : theme.mutedText,
                        align: .right, vertical: .middle)
        }
        if let xLabel {
            let y = area.maxY + ChartFrame.tickGap + tickHeight + ChartFrame.labelGap
            canvas.text(xLabel, at: Point(x: area.midX, y: y), font: theme.labelFont, color: theme.text,
                        align: .center, vertical: .top)
        }
        if let yLabel {
            canvas.text(yLabel, at: Point(x: m, y: area.midY), font: theme.labelFont, color: theme.text,
                        align: .center, vertical: .top, angle: -Double.pi / 2)
        }
    }

    /// Light lines at the ticks (fainter at minor ticks), on whole pixels so that they stay crisp;
    /// categorical axes get none.
    private func drawGrid(on canvas: Canvas, _ layout: ChartLayout) {
        let area = layout.plotArea
        func row(_ y: Double) -> Int { Int((y - 0.5).rounded()) }
        func column(_ x: Double) -> Int { Int((x - 0.5).rounded()) }
        if yAxis.scale != .categorical {
            for (values, color) in [(yAxis.minorTicks, theme.minorGridLine), (yAxis.ticks.map(\.value), theme.gridLine)] {
                for v in values {
                    canvas.horizontalHairline(y: row(layout.y(v)), from: area.minX, to: area.maxX, color: color)
                }
            }
        }
        if xAxis.scale != .categorical {
            for (values, color) in [(xAxis.minorTicks, theme.minorGridLine), (xAxis.ticks.map(\.value), theme.gridLine)] {
                for v in values {
                    canvas.verticalHairline(x: column(layout.x(v)), from: area.minY, to: area.maxY, color: color)
                }
            }
        }
    }
}
