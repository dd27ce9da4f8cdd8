extension Plot {
    /// Draws one value per named category as horizontal bars, such as the class probabilities of
    /// one prediction; names on the left, values at the bar ends.
    ///
    ///     try Plot.barChart(values: probabilities, labels: cifar10Classes, title: "Prediction", to: "p.png")
    ///
    /// - Parameters:
    ///   - highlight: the bar drawn in the full accent colour (the others lighter); `nil` picks
    ///     the largest value, the predicted class.
    ///   - height: `nil` gives each bar about 30 pixels.
    /// The value axis always includes 0. NaN values get no bar but a magenta "NaN" label.
    ///
    /// - Throws: `PlotError` for no values, a label count that differs from the value count, or an
    ///   unwritable path.
    @discardableResult
    public static func barChart(
        values: [Double], labels: [String], title: String? = nil, valueLabel: String? = nil,
        highlight: Int? = nil, width: Int = 640, height: Int? = nil, to path: String
    ) throws -> ChartLayout {
        let theme = Theme.standard
        guard !values.isEmpty else { throw PlotError.emptyInput(what: "bar chart", shape: [0]) }
        guard labels.count == values.count else {
            throw PlotError.countMismatch(what: "bar labels (one per value)", expected: values.count, actual: labels.count)
        }
        let finite = values.filter(\.isFinite)
        let nonFinite = NonFiniteCount(values)
        let xAxis = Axis.linear(from: min(0, finite.min() ?? 0), to: max(0, finite.max() ?? 1))
        let yAxis = Axis.categories(labels, topToBottom: true)
        let valueText = values.map { $0.isNaN ? "NaN" : NumberFormat.short($0, significant: 3) }
        let frame = ChartFrame(
            header: Header(title: title, subtitle: nil,
                           notes: nonFinite.notes(nanFate: "marked in magenta", infiniteFate: "marked in magenta"), theme: theme),
            legend: Legend(entries: [], theme: theme), xAxis: xAxis, yAxis: yAxis,
            xLabel: valueLabel, yLabel: nil,
            rightInset: Canvas.widest(valueText, font: theme.tickFont) + 8, theme: theme
        )
        let chrome = 110 + frame.header.height
        let layout = frame.layout(width: width, height: height ?? Int(chrome + 30 * Double(values.count)))
        let canvas = try Canvas(width: layout.width, height: layout.height, background: theme.background)
        frame.draw(on: canvas, layout)

        let highlighted = highlight ?? values.indices.filter { values[$0].isFinite }.max { values[$0] < values[$1] }
        let accent = theme.seriesColor(0)
        let band = layout.plotArea.height / Double(values.count)
        let thickness = (band * 0.68).rounded()
        let zero = layout.x(0).rounded()
        for (i, v) in values.enumerated() {
            let center = layout.y(Double(i))
            guard v.isFinite else {
                canvas.text(v.isNaN ? "NaN" : (v > 0 ? "∞" : "−∞"), at: Point(x: zero + 4, y: center),
                            font: theme.tickFont, color: theme.noteText, vertical: .middle)
                continue
            }
            let end = layout.x(v).rounded()
            let bar = Rect(x: min(zero, end), y: (center - thickness / 2).rounded(), width: abs(end - zero), height: thickness)
            canvas.fill(bar, i == highlighted ? accent : accent.mixed(with: .white, amount: 0.55))
            let onRight = v >= 0
            canvas.text(valueText[i], at: Point(x: onRight ? bar.maxX + 5 : bar.minX - 5, y: center),
                        font: theme.tickFont, color: theme.text, align: onRight ? .left : .right, vertical: .middle)
        }
        try canvas.writePNG(to: path)
        return layout
    }
}
