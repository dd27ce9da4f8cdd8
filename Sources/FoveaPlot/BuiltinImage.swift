import Fovea
import CCairo

/// Small pictures drawn on the spot, for lessons that need an image before any data set is
/// downloaded: to convolve with an edge filter, to flip, to look at channel by channel.
///
///     let photo = BuiltinImage.scene.render()               // [3, 64, 64], values in 0...1
///     let grey = BuiltinImage.letter.render(size: 28, channels: 1)
///     try Plot.image(photo, normalization: .none, to: "figures/scene.png")
///
/// | image | shows |
/// | --- | --- |
/// | `shapes` | a red circle, a blue square and a green triangle on a light background: edges of every direction |
/// | `stripes` | four patches of stripes, vertical, horizontal and both diagonals, each of its own width: for orientation-selective filters |
/// | `letter` | a bold dark "F" on a light background: asymmetric, so flips and rotations are visible |
/// | `scene` | a sky, a sun, two hills and a house: smooth gradients next to sharp edges, like a photo |
/// | `checkerboard` | 8 × 8 black and white squares |
///
/// The pictures are vector drawings (Cairo, anti-aliased), so every size is drawn afresh rather
/// than scaled from pixels, and the same size always gives the same values.
public enum BuiltinImage: String, CaseIterable, Sendable {
    case shapes, stripes, letter, scene, checkerboard

    /// The picture as a `[channels, size, size]` array with values in 0...1.
    ///
    /// - Parameters:
    ///   - size: the width and height in pixels.
    ///   - channels: 3 for red, green and blue planes; 1 for luminance
    ///     (`0.2126 R + 0.7152 G + 0.0722 B`, as `Color.luminance`).
    /// - Precondition: `size ≥ 1`; `channels` is 1 or 3.
    public func render(size: Int = 64, channels: Int = 3) -> PlotArray {
        require(size >= 1, "BuiltinImage.render: size \(size) must be at least 1")
        require(channels == 1 || channels == 3, "BuiltinImage.render: channels \(channels) must be 1 or 3")
        let canvas = Canvas.offscreen(width: size, height: size)
        canvas.withSavedState {
            // Drawings are made in units of the image: (0, 0) is its top-left corner, (1, 1) its bottom-right.
            cairo_scale(canvas.context, Double(size), Double(size))
            draw(on: canvas)
        }
        return canvas.pixels(channels: channels)
    }

    private func draw(on canvas: Canvas) {
        switch self {
        case .shapes: Self.drawShapes(on: canvas)
        case .stripes: Self.drawStripes(on: canvas)
        case .letter: Self.drawLetter(on: canvas)
        case .scene: Self.drawScene(on: canvas)
        case .checkerboard: Self.drawCheckerboard(on: canvas)
        }
    }
}
