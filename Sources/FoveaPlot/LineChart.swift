/// A named line of a line chart, such as "train loss".
public struct Series: Sendable, Equatable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// `nil` takes the next colour of `Theme.seriesColors`.
    public var color: Color?
    public var dashed: Bool
    /// Dots at the data points.
    public var markers: Bool

    /// - Parameters:
    ///   - x: the x of each value; `nil` numbers them 1, 2, 3, … (epochs).
    public init(_ name: String, x: [Double]? = nil, y: [Double], color: Color? = nil,
                dashed: Bool = false, markers: Bool = false) {
        self.name = name
        self.x = x ?? (0..<y.count).map { Double($0 + 1) }
        self.y = y
        self.color = color
        self.dashed = dashed
        self.markers = markers
    }

    /// A series of any floating-point values, such as the `[Float]` a tensor hands over. (Being
    /// generic, this initialiser ranks below the `[Double]` one, so array literals stay `[Double]`.)
    public init<Values: Sequence>(_ name: String, x: [Double]? = nil, y: Values, color: Color? = nil,
                                  dashed: Bool = false, markers: Bool = false) where Values.Element: BinaryFloatingPoint {
        let values = y.map { Double($0) }
        self.name = name
        self.x = x ?? (0..<values.count).map { Double($0 + 1) }
        self.y = values
        self.color = color
        self.dashed = dashed
        self.markers = markers
    }
}

extension Plot {
    /// Draws line charts such as training curves: several named series, a legend, round ticks.
    ///
    ///     try Plot.lineChart([Series("train", y: trainLoss), Series("test", y: testLoss, dashed: true)],
    ///                        title: "Loss", xLabel: "epoch", yLabel: "cross-entropy", logY: true,
    ///                        to: "figures/loss.png")
    ///
    /// The x axis spans the data exactly; the y axis is widened to round ticks (`Axis.linear`) or,
    /// with `logY`, is logarithmic (`Axis.logarithmic`). Points with NaN or ±∞ leave a gap in their
    /// line and a magenta × on the x axis; with `logY`, values ≤ 0 are left out. The header counts both.
    ///
    /// - Throws: `PlotError` when no series has values, when a series' x and y differ in length, or
    ///   for an unwritable path.
    @discardableResult
    public static func lineChart(
        _ series: [Series], title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
        logY: Bool = false, width: Int = 720, height: Int = 440, to path: String
    ) throws -> ChartLayout {
        let theme = Theme.standard
        guard series.contains(where: { !$0.y.isEmpty }) else { throw PlotError.emptyInput(what: "line chart", shape: nil) }
        for s in series where s.x.count != s.y.count {
            throw PlotError.countMismatch(what: "x values of series \"\(s.name)\"", expected: s.y.count, actual: s.x.count)
        }
        let drawable = { (x: Double, y: Double) in x.isFinite && y.isFinite && (!logY || y > 0) }
        let points = series.flatMap { s in zip(s.x, s.y).filter(drawable) }
        let nonFinite = series.reduce(NonFiniteCount()) { $0 + NonFiniteCount($1.y) + NonFiniteCount($1.x) }
        let nonPositive = logY ? series.flatMap(\.y).filter { $0.isFinite && $0 <= 0 }.count : 0

        let xs = points.map(\.0)
        let ys = points.map(\.1)
        let integerX = xs.allSatisfy { $0 == $0.rounded() }
        let xAxis = Axis.linear(from: xs.min() ?? 0, to: xs.max() ?? 1, targetTicks: 8,
                                extendToTicks: false, integerTicks: integerX)
        let yAxis = logY && !ys.isEmpty
            ? Axis.logarithmic(from: ys.min()!, to: ys.max()!)
            : Axis.linear(from: ys.min() ?? 0, to: ys.max() ?? 1)

        var notes = nonFinite.notes(nanFate: "left as gaps, marked × in magenta", infiniteFate: "left as gaps, marked × in magenta")
        if nonPositive > 0 { notes.append("\(counted(nonPositive, "value")) ≤ 0 left out of the log scale") }
        let colors = series.indices.map { series[$0].color ?? theme.seriesColor($0) }
        let legend = series.count > 1
            ? series.indices.map { LegendEntry(name: series[$0].name, color: colors[$0], dashed: series[$0].dashed, marker: series[$0].markers) }
            : []
        let frame = ChartFrame(
            header: Header(title: title, subtitle: nil, notes: notes, theme: theme),
            legend: Legend(entries: legend, theme: theme),
            xAxis: xAxis, yAxis: yAxis, xLabel: xLabel, yLabel: yLabel, theme: theme
        )
        let layout = frame.layout(width: width, height: height)
        let canvas = try Canvas(width: width, height: height, background: theme.background)
        frame.draw(on: canvas, layout)

        canvas.clipped(to: layout.plotArea.insetBy(-5)) {
            for (s, color) in zip(series, colors) {
                drawSeries(s, color: color, drawable: drawable, layout: layout, on: canvas)
            }
        }
        for s in series {
            for (x, y) in zip(s.x, s.y) where x.isFinite && !y.isFinite {
                drawNaNMark(at: layout.x(x), bottom: layout.plotArea.maxY, color: theme.nanColor, on: canvas)
            }
        }
        try canvas.writePNG(to: path)
        return layout
    }

    /// One series: a polyline through each run of drawable points, dots where asked for and where
    /// a run has a single point (a line of one point would not show).
    private static func drawSeries(
        _ s: Series, color: Color, drawable: (Double, Double) -> Bool, layout: ChartLayout, on canvas: Canvas
    ) {
        let runs = layout.runs(of: Array(zip(s.x, s.y)), drawable: drawable)
        for run in runs where run.count > 1 {
            canvas.polyline(run, color: color, width: 2.25, dash: s.dashed ? [7, 4] : [])
        }
        for run in runs where s.markers || run.count == 1 {
            for p in run { canvas.circle(center: p, radius: 3.5, fill: color, stroke: .white, lineWidth: 1) }
        }
    }

    /// A small × just above the x axis, where a NaN or infinite value would have been.
    package static func drawNaNMark(at x: Double, bottom: Double, color: Color, on canvas: Canvas) {
        let (y, r) = (bottom - 6, 4.0)
        canvas.line(from: Point(x: x - r, y: y - r), to: Point(x: x + r, y: y + r), color: color, width: 2)
        canvas.line(from: Point(x: x - r, y: y + r), to: Point(x: x + r, y: y - r), color: color, width: 2)
    }
}
