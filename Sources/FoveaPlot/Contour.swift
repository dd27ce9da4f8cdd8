import Fovea

extension Plot {
    /// Draws `z = function(x, y)` as filled contour bands with iso-lines and a banded colour bar,
    /// and trajectories on top, such as gradient descent, momentum and Adam on a loss surface.
    ///
    ///     let rosenbrock = { (x: Double, y: Double) in (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x) }
    ///     try Plot.contour(rosenbrock, x: -2...2, y: -1...3, logLevels: true,
    ///                      trajectories: [Trajectory("SGD", points: sgdPath)], to: "rosenbrock.png")
    ///
    /// The levels are round numbers chosen from 101 × 101 samples. Each pixel is coloured by its
    /// band (the function evaluated at the pixel's centre), in `colormap` mixed 20% towards white so
    /// that the paths stand out, and the iso-lines come from marching squares on a grid of one
    /// sample per 2 pixels. The header counts NaN samples (drawn magenta) among the 101 × 101.
    ///
    /// - Parameters:
    ///   - levels: about how many iso-lines.
    ///   - logLevels: space the levels by factors (1, 2, 5 × 10^k) instead of evenly, for surfaces
    ///     with a deep narrow valley; only positive values get levels.
    /// - Throws: `PlotError` for an unwritable path.
    /// - Precondition: non-empty ranges, `levels ≥ 1`.
    @discardableResult
    public static func contour(
        _ function: (Double, Double) -> Double, x: ClosedRange<Double>, y: ClosedRange<Double>,
        levels: Int = 10, logLevels: Bool = false, colormap: Colormap = .viridis,
        trajectories: [Trajectory] = [], title: String? = nil, xLabel: String? = "x", yLabel: String? = "y",
        width: Int = 640, height: Int = 540, equalAspect: Bool = false, to path: String
    ) throws -> ChartLayout {
        let overview = ContourGrid(x: x, y: y, columns: 101, rows: 101, function)
        return try drawContour(
            overview: overview,
            lineGrid: { area in
                ContourGrid(x: x, y: y, columns: Int(area.width / 2) + 1, rows: Int(area.height / 2) + 1, function)
            },
            z: function, levels: levels, logLevels: logLevels, colormap: colormap, trajectories: trajectories,
            title: title, xLabel: xLabel, yLabel: yLabel, width: width, height: height, equalAspect: equalAspect, to: path
        )
    }

    /// Draws samples of `z = f(x, y)` as filled contours; see the function form. Pixels between
    /// samples are coloured by bilinear interpolation (`ContourGrid.value(x:y:)`).
    @discardableResult
    public static func contour(
        _ grid: ContourGrid, levels: Int = 10, logLevels: Bool = false, colormap: Colormap = .viridis,
        trajectories: [Trajectory] = [], title: String? = nil, xLabel: String? = "x", yLabel: String? = "y",
        width: Int = 640, height: Int = 540, equalAspect: Bool = false, to path: String
    ) throws -> ChartLayout {
        try drawContour(
            overview: grid, lineGrid: { _ in grid }, z: grid.value(x:y:), levels: levels, logLevels: logLevels,
            colormap: colormap, trajectories: trajectories, title: title, xLabel: xLabel, yLabel: yLabel,
            width: width, height: height, equalAspect: equalAspect, to: path
        )
    }

    /// How far the bands are mixed towards white, so that trajectories and iso-lines stand out.
    package static let contourBandLightening = 0.2
    /// Space between the plot area and the colour bar.
    private static let colorBarGap = 18.0

    /// The shared work: `overview` gives the levels and the NaN count, `lineGrid(plotArea)` the
    /// samples for the iso-lines, `z` the value at each pixel.
    private static func drawContour(
        overview: ContourGrid, lineGrid: (Rect) -> ContourGrid, z: (Double, Double) -> Double,
        levels levelCount: Int, logLevels: Bool, colormap: Colormap, trajectories: [Trajectory],
        title: String?, xLabel: String?, yLabel: String?, width: Int, height: Int, equalAspect: Bool, to path: String
    ) throws -> ChartLayout {
        require(levelCount >= 1, "Plot.contour: levels \(levelCount) must be at least 1")
        let theme = Theme.standard
        let samples = Array(overview.values.joined())
        let finite = samples.filter(\.isFinite)
        let levels = ContourLevels.choose(finite, count: levelCount, logarithmic: logLevels)
        let (lo, hi) = (finite.min() ?? 0, finite.max() ?? 1)
        let bar = ColorBar(colormap: colormap.lightened(by: contourBandLightening),
                           range: ValueRange(lower: lo, upper: max(hi, lo + 1e-12)), levels: levels, theme: theme)

        let nonFinite = NonFiniteCount(samples)
        let sampleCount = NumberFormat.grouped(samples.count)
        var notes: [String] = []
        if nonFinite.nan > 0 { notes.append("\(nonFinite.nan) of \(sampleCount) samples are NaN, shown in magenta") }
        if nonFinite.infinite > 0 { notes.append("\(nonFinite.infinite) of \(sampleCount) samples are infinite, in the end bands") }
        let brokenPoints = trajectories.map { $0.points.filter { !$0.x.isFinite || !$0.y.isFinite }.count }.reduce(0, +)
        if brokenPoints > 0 { notes.append("\(counted(brokenPoints, "trajectory point")) not finite, left as gaps") }

        let colors = trajectories.indices.map { trajectories[$0].color ?? theme.seriesColor($0) }
        let frame = ChartFrame(
            header: Header(title: title, subtitle: nil, notes: notes, theme: theme),
            legend: Legend(entries: trajectories.indices.map {
                LegendEntry(name: trajectories[$0].name, color: colors[$0], marker: true)
            }, theme: theme),
            xAxis: Axis.linear(from: overview.x.lowerBound, to: overview.x.upperBound, targetTicks: 7, extendToTicks: false),
            yAxis: Axis.linear(from: overview.y.lowerBound, to: overview.y.upperBound, targetTicks: 7, extendToTicks: false),
            xLabel: xLabel, yLabel: yLabel, rightInset: colorBarGap + bar.width, theme: theme
        )
        var layout = frame.layout(width: width, height: height)
        if equalAspect {  // one unit of x and of y take the same number of pixels: the height follows the width
            let ratio = (overview.y.upperBound - overview.y.lowerBound) / (overview.x.upperBound - overview.x.lowerBound)
            let wanted = layout.plotArea.width * ratio
            layout = frame.layout(width: width, height: Int((Double(height) - layout.plotArea.height + wanted).rounded()))
        }
        let area = layout.plotArea

        // Every pixel of the plot area in the colour of the band its value falls in.
        var bands = PixelImage(width: Int(area.width), height: Int(area.height))
        for py in 0..<bands.height {
            let y = layout.yAxis.lower + (1 - (Double(py) + 0.5) / area.height) * (layout.yAxis.upper - layout.yAxis.lower)
            for px in 0..<bands.width {
                let x = layout.xAxis.lower + (Double(px) + 0.5) / area.width * (layout.xAxis.upper - layout.xAxis.lower)
                let value = z(x, y)
                bands[px, py] = value.isNaN ? theme.nanColor : bar.bandColor(levels.filter { $0 <= value }.count)
            }
        }
        let grid = lineGrid(area)
        let isoLines = levels.flatMap { MarchingSquares.segments(grid, level: $0) }.map { segment in
            [layout.point(x: segment.0.x, y: segment.0.y), layout.point(x: segment.1.x, y: segment.1.y)]
        }

        let canvas = try Canvas(width: layout.width, height: layout.height, background: theme.background)
        frame.draw(on: canvas, layout)
        canvas.draw(bands, at: Point(x: area.minX, y: area.minY))
        canvas.clipped(to: area) {
            canvas.polylines(isoLines, color: Color.black.withAlpha(0.3), width: 0.8)
            for (trajectory, color) in zip(trajectories, colors) {
                drawTrajectory(trajectory, color: color, layout: layout, on: canvas)
            }
        }
        bar.draw(on: canvas, strip: Rect(x: area.maxX + colorBarGap, y: area.minY, width: ColorBar.stripWidth, height: area.height))
        try canvas.writePNG(to: path)
        return layout
    }

    /// A path with a white halo (readable on any band), a dot per step (about 60 at most), a ring
    /// at the start and a large dot at the end; non-finite points leave gaps.
    private static func drawTrajectory(_ trajectory: Trajectory, color: Color, layout: ChartLayout, on canvas: Canvas) {
        let runs = layout.runs(of: trajectory.points.map { ($0.x, $0.y) }) { $0.isFinite && $1.isFinite }
        let points = runs.flatMap { $0 }
        guard let start = points.first, let end = points.last else { return }
        for run in runs where run.count > 1 {
            canvas.polyline(run, color: Color.white.withAlpha(0.85), width: 5)
            canvas.polyline(run, color: color, width: 2.25)
        }
        let every = max(1, points.count / 60)
        for (i, p) in points.enumerated() where i % every == 0 {
            canvas.circle(center: p, radius: 2.75, fill: color, stroke: .white, lineWidth: 1)
        }
        canvas.circle(center: start, radius: 5, fill: .white, stroke: color, lineWidth: 2.5)
        canvas.circle(center: end, radius: 5.5, fill: color, stroke: .white, lineWidth: 1.5)
    }
}
