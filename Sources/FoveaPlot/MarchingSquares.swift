/// Iso-lines `z = level` of a sampled function, by marching squares.
///
/// Each grid cell has four corners, each above (`z ≥ level`) or below the level. Where an edge's
/// two corners disagree, the line crosses it at `t = (level − z₀) / (z₁ − z₀)` of the way along.
/// A cell has 0, 2 or 4 crossings; 2 make one segment. 4 (a saddle: opposite corners agree) make
/// two, and the average of the corners decides which pair of corners the segments cut off:
/// those that disagree with the centre. Cells with a NaN corner are skipped.
package enum MarchingSquares {
    /// The segments of the iso-line at `level`, in data units.
    package static func segments(_ grid: ContourGrid, level: Double) -> [(Point, Point)] {
        var segments: [(Point, Point)] = []
        let z = grid.values
        for j in 0..<(grid.rows - 1) {
            for i in 0..<(grid.columns - 1) {
                // Corners counter-clockwise from bottom-left; edge k joins corner k and corner k + 1,
                // so the edges are bottom, right, top, left.
                let corners = [
                    (grid.xValue(i), grid.yValue(j), z[j][i]),
                    (grid.xValue(i + 1), grid.yValue(j), z[j][i + 1]),
                    (grid.xValue(i + 1), grid.yValue(j + 1), z[j + 1][i + 1]),
                    (grid.xValue(i), grid.yValue(j + 1), z[j + 1][i]),
                ]
                guard corners.allSatisfy({ !$0.2.isNaN }) else { continue }
                let above = corners.map { $0.2 >= level }
                var crossings: [Int: Point] = [:]
                for k in 0..<4 where above[k] != above[(k + 1) % 4] {
                    let (a, b) = (corners[k], corners[(k + 1) % 4])
                    let t = (level - a.2) / (b.2 - a.2)
                    crossings[k] = Point(x: a.0 + t * (b.0 - a.0), y: a.1 + t * (b.1 - a.1))
                }
                switch crossings.count {
                case 2:
                    let points = crossings.keys.sorted().map { crossings[$0]! }
                    segments.append((points[0], points[1]))
                case 4:
                    let centreAbove = corners.map(\.2).reduce(0, +) / 4 >= level
                    // Cut off the corners whose side differs from the centre's: corner k sits
                    // between edges k − 1 and k.
                    let cut = above[0] != centreAbove ? [0, 2] : [1, 3]
                    for k in cut { segments.append((crossings[(k + 3) % 4]!, crossings[k]!)) }
                default:
                    break
                }
            }
        }
        return segments
    }
}
