import Foundation

// Printing tensors the way a notebook would: small ones in full, laid out as matrices; large
// ones summarised with "…".

extension Tensor: CustomStringConvertible {
    public var description: String {
        var header = "Tensor(\(shape.map(String.init).joined(separator: "×")), \(dtype)"
        if let opName { header += ", grad_fn: \(opName)" } else if requiresGrad { header += ", requiresGrad" }
        header += ")"
        return header + "\n" + formatted()
    }

    /// The elements laid out as nested rows: 2-D tensors as a matrix, higher ranks as blocks of
    /// matrices. At most `edge` entries are shown at each end of a long axis.
    public func formatted(precision: Int = 4, edge: Int = 3) -> String {
        let values = doubles
        if rank == 0 { return format(values.first ?? 0, precision) }
        let cells = values.map { format($0, precision) }
        let width = cells.map(\.count).max() ?? 1
        let strides = contiguousStrides(shape)

        func show(_ n: Int) -> [Int?] {  // indices to show along an axis of size n (nil = "…")
            n <= 2 * edge + 1 ? Array(0..<n) : Array(0..<edge) + [nil] + Array((n - edge)..<n)
        }
        func render(_ axis: Int, _ offset: Int, _ indent: String) -> String {
            if axis == rank - 1 {
                let items = show(shape[axis]).map { i in
                    i.map { String(repeating: " ", count: width - cells[offset + $0].count) + cells[offset + $0] } ?? "…"
                }
                return "[" + items.joined(separator: "  ") + "]"
            }
            let rows = show(shape[axis]).map { i in
                i.map { render(axis + 1, offset + $0 * strides[axis], indent + " ") } ?? "…"
            }
            let separator = rank - axis > 2 ? ",\n\n" + indent + " " : ",\n" + indent + " "
            return "[" + rows.joined(separator: separator) + "]"
        }
        return render(0, 0, "")
    }

    private func format(_ v: Double, _ precision: Int) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if dtype == .int64 { return String(Int64(v)) }
        if v != 0 && (Swift.abs(v) >= 1e5 || Swift.abs(v) < 1e-3) { return String(format: "%.\(precision)e", v) }
        let text = String(format: "%.\(precision)f", v)
        return text.hasPrefix("-") && text.dropFirst().allSatisfy { $0 == "0" || $0 == "." } ? String(text.dropFirst()) : text  // −0.00001 → 0.0000
    }
}
