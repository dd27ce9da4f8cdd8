import CCairo
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The simple shapes of `BuiltinImage.shapes` and `SyntheticShapes`, as Cairo paths.
///
/// Each is centred on a point and scaled by one `radius`, chosen so that the four look about the
/// same size at the same radius (the circle's radius is `radius`; the others reach a little
/// farther, see `reach`), and turned by `rotation` radians, clockwise on screen.
enum ShapeOutline: Int, CaseIterable {
    case circle, square, triangle, cross

    /// The distance from the centre to the farthest point of the outline, in units of `radius`:
    /// a shape whose centre is at least `reach · radius` from every edge stays whole.
    var reach: Double {
        switch self {
        case .circle: 1
        case .square: Self.squareHalfSide * 2.0.squareRoot()
        case .triangle: Self.triangleCircumradius
        case .cross: (1 + Self.crossHalfWidth * Self.crossHalfWidth).squareRoot()
        }
    }

    /// Half the side of the square, the triangle's circumradius and the cross's half arm width,
    /// in units of `radius`: close to the circle's area (π) for the square, a little less for the
    /// triangle and the cross, whose points make them look bigger.
    static let squareHalfSide = 0.85
    static let triangleCircumradius = 1.2
    static let crossHalfWidth = 0.3

    /// Adds the closed outline to the current path of `context`.
    func addPath(to context: OpaquePointer, center: Point, radius: Double, rotation: Double = 0) {
        if self == .circle {
            cairo_new_sub_path(context)
            cairo_arc(context, center.x, center.y, radius, 0, 2 * Double.pi)
            return
        }
        let (c, s) = (cos(rotation), sin(rotation))
        let corners = unitCorners
        for (i, p) in corners.enumerated() {
            let (x, y) = (center.x + radius * (c * p.x - s * p.y), center.y + radius * (s * p.x + c * p.y))
            if i == 0 { cairo_move_to(context, x, y) } else { cairo_line_to(context, x, y) }
        }
        cairo_close_path(context)
    }

    /// The corners of the polygon shapes at radius 1, unrotated: the square axis-aligned, the
    /// triangle pointing up, the cross as a plus sign.
    private var unitCorners: [Point] {
        switch self {
        case .circle:
            return []
        case .square:
            let h = Self.squareHalfSide
            return [Point(x: -h, y: -h), Point(x: h, y: -h), Point(x: h, y: h), Point(x: -h, y: h)]
        case .triangle:
            let r = Self.triangleCircumradius
            return (0..<3).map { k in
                let angle = -Double.pi / 2 + Double(k) * 2 * Double.pi / 3
                return Point(x: r * cos(angle), y: r * sin(angle))
            }
        case .cross:
            let w = Self.crossHalfWidth
            return [(-w, -1), (w, -1), (w, -w), (1, -w), (1, w), (w, w),
                    (w, 1), (-w, 1), (-w, w), (-1, w), (-1, -w), (-w, -w)].map { Point(x: $0.0, y: $0.1) }
        }
    }
}
