import Fovea

/// Where `Plot.image` drew the image and its colour bar, and what it found in the values.
public struct ImageLayout: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// The zoomed image: pixel `(x, y)` of the input covers
    /// `imageRect.minX + x · zoom ..< imageRect.minX + (x + 1) · zoom` (and likewise in y).
    public var imageRect: Rect
    /// The colour bar's strip, when one was drawn.
    public var colorBar: Rect?
    /// The values mapped onto the ends of the colour scale.
    public var range: ValueRange
    public var nonFinite: NonFiniteCount
    /// The header's notes, such as "3 NaN values shown in magenta".
    public var notes: [String]
}

extension Plot {
    /// Draws one image at an integer zoom, nearest-neighbour, with a colour bar.
    ///
    ///     try Plot.image(PlotArray(shape: [28, 28], values: digit), zoom: 8, to: "figures/digit.png")
    ///
    /// - Parameters:
    ///   - image: `[H, W]`, `[C, H, W]` or `[1, C, H, W]` with C = 1 or 3. One channel goes through
    ///     `colormap`; three are red, green and blue, all scaled by one range (`colormap` and
    ///     `colorBar` do not apply).
    ///   - zoom: each value becomes a `zoom × zoom` square.
    ///   - normalization: which values map to the ends of the colour scale.
    ///   - colorBar: draw a bar with the scale's values to the right (one channel only).
    /// - Throws: `PlotError` for an empty image, an unsupported shape, or an unwritable path.
    /// - Precondition: `zoom ≥ 1`.
    @discardableResult
    public static func image(
        _ image: some PlotArrayConvertible, zoom: Int = 4, normalization: Normalization = .minMax,
        colormap: Colormap = .viridis, colorBar: Bool = true, title: String? = nil, to path: String
    ) throws -> ImageLayout {
        let image = image.plotArray
        require(zoom >= 1, "Plot.image: zoom \(zoom) must be at least 1")
        let theme = Theme.standard
        let stack = try ImageStack.single(image)
        let values = stack.image(0)
        let range = normalization.range(of: values)
        let nonFinite = NonFiniteCount(values)
        let pixels = PixelImage(image: values, channels: stack.channels, width: stack.width, height: stack.height,
                                range: range, colormap: colormap, nanColor: theme.nanColor)

        var subtitle = "\(stack.channels == 3 ? "RGB" : "1 channel") · \(stack.height)×\(stack.width)"
        if stack.channels == 3 && normalization != .none { subtitle += " · \(normalization.summary) \(NumberFormat.interval(range))" }
        let header = Header(title: title, subtitle: subtitle, notes: nonFinite.notes(), theme: theme)
        let bar = colorBar && stack.channels == 1 ? ColorBar(colormap: colormap, range: range, theme: theme) : nil

        // Layout: header on top, then the image, then (a gap and) the colour bar to its right.
        let m = theme.margin
        let imageSize = (width: Double(stack.width * zoom), height: Double(stack.height * zoom))
        let imageRect = Rect(x: m, y: m + header.height, width: imageSize.width, height: imageSize.height)
        let stripRect = bar.map { _ in
            Rect(x: imageRect.maxX + 16, y: imageRect.minY, width: ColorBar.stripWidth, height: max(imageSize.height, 120))
        }
        let contentRight = stripRect.map { $0.minX + (bar?.width ?? 0) } ?? imageRect.maxX
        let width = Int(max(contentRight, m + header.width).rounded(.up) + m)
        let height = Int((max(imageRect.maxY, stripRect?.maxY ?? 0) + m).rounded(.up))

        let canvas = try Canvas(width: width, height: height, background: theme.background)
        header.draw(on: canvas, at: Point(x: m, y: m))
        canvas.draw(pixels, at: Point(x: imageRect.minX, y: imageRect.minY), zoom: zoom)
        if let bar, let stripRect { bar.draw(on: canvas, strip: stripRect) }
        try canvas.writePNG(to: path)
        return ImageLayout(width: width, height: height, imageRect: imageRect, colorBar: stripRect,
                           range: range, nonFinite: nonFinite, notes: header.notes)
    }
}
