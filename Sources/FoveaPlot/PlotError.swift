/// Why a figure could not be drawn or saved.
///
/// Data problems (empty inputs, shapes that are not images, counts that do not match) and file
/// problems throw; programming mistakes such as a zoom of 0 trap with a precondition instead.
public enum PlotError: Error, Equatable, CustomStringConvertible {
    /// The input has no values: `what` names it ("image", "series", …).
    case emptyInput(what: String, shape: [Int]?)
    /// A `PlotArray` whose shape the figure cannot read; `expected` lists the accepted layouts.
    case unsupportedShape([Int], expected: String)
    /// Two inputs that must have the same length do not.
    case countMismatch(what: String, expected: Int, actual: Int)
    /// A value the figure cannot use, such as a negative count.
    case invalidValue(String)
    /// The folder for `path` does not exist and could not be created.
    case cannotCreateFolder(folder: String, path: String, reason: String)
    /// Cairo could not write the PNG file at `path`.
    case cannotWrite(path: String, reason: String)
    /// An image file that cannot be read (missing, or not a PNG).
    case cannotRead(path: String, reason: String)
    /// Cairo could not make an image surface of this size.
    case cannotCreateCanvas(width: Int, height: Int, reason: String)

    public var description: String {
        switch self {
        case let .emptyInput(what, shape?):
            "cannot plot an empty \(what): shape \(shape) holds no values"
        case let .emptyInput(what, nil):
            "cannot plot an empty \(what): there are no values"
        case let .unsupportedShape(shape, expected):
            "cannot read shape \(shape): expected \(expected)"
        case let .countMismatch(what, expected, actual):
            "\(what): expected \(expected), got \(actual)"
        case let .invalidValue(message):
            message
        case let .cannotCreateFolder(folder, path, reason):
            "cannot create the folder \(folder) for \(path): \(reason)"
        case let .cannotRead(path, reason):
            "cannot read the image \(path): \(reason)"
        case let .cannotWrite(path, reason):
            "cannot write the PNG file \(path): \(reason)"
        case let .cannotCreateCanvas(width, height, reason):
            "cannot create a \(width)×\(height) canvas: \(reason)"
        }
    }
}
