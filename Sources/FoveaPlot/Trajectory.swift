import Fovea

/// A named path over a contour plot, such as the iterates of an optimiser.
public struct Trajectory: Sendable, Equatable {
    public var name: String
    /// The path in data units.
    public var points: [Point]
    /// `nil` takes the next colour of `Theme.seriesColors`.
    public var color: Color?

    public init(_ name: String, points: [Point], color: Color? = nil) {
        self.name = name
        self.points = points
        self.color = color
    }

    /// - Precondition: `x.count == y.count`.
    public init(_ name: String, x: [Double], y: [Double], color: Color? = nil) {
        require(x.count == y.count, "Trajectory \(name): \(x.count) x values but \(y.count) y values")
        self.init(name, points: zip(x, y).map { Point(x: $0, y: $1) }, color: color)
    }
}
