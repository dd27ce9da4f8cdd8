import Fovea

/// Resizing an image to what a network takes.
public enum ImageResize {
    /// `image` `[C, H, W]` scaled so that its shorter side is `side` pixels, then the central
    /// `side × side` square: how `fovea predict` fits any photo to a 32×32 CIFAR network.
    /// Each output pixel is the mean of the input pixels its box covers (area averaging; when
    /// enlarging, the nearest pixel), so shrinking a large photo does not alias.
    public static func centerSquare(_ image: Tensor, side: Int) -> Tensor {
        require(image.rank == 3 && side > 0, "centerSquare: expected an image [C, H, W] and a positive side, got \(image.shape) and \(side)")
        let (c, h, w) = (image.shape[0], image.shape[1], image.shape[2])
        if h == side && w == side { return image }
        let scale = Double(min(h, w)) / Double(side)        // input pixels per output pixel
        let y0 = (Double(h) - scale * Double(side)) / 2, x0 = (Double(w) - scale * Double(side)) / 2
        let values = image.doubles
        var out = [Float](repeating: 0, count: c * side * side)
        for y in 0..<side {
            let top = y0 + Double(y) * scale
            let rows = max(Int(top), 0)..<min(max(Int((top + scale).rounded(.up)), Int(top) + 1), h)
            for x in 0..<side {
                let left = x0 + Double(x) * scale
                let columns = max(Int(left), 0)..<min(max(Int((left + scale).rounded(.up)), Int(left) + 1), w)
                for ch in 0..<c {
                    var sum = 0.0
                    for r in rows { for q in columns { sum += values[(ch * h + r) * w + q] } }
                    out[(ch * side + y) * side + x] = Float(sum / Double(rows.count * columns.count))
                }
            }
        }
        return Tensor(shape: [c, side, side], out)
    }
}
