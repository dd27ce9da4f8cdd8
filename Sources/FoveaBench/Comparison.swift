import Foundation

/// Joins fovea-bench output with the PyTorch scripts' output by measurement name.
enum Comparison {
    /// PyTorch names for the same measurement where they differ from Fovea's.
    static func referenceName(_ name: String) -> [String] {
        if name.hasPrefix("sgemm_") { return ["torch_mm_" + name.dropFirst(6), "numpy_sgemm_" + name.dropFirst(6)] }
        return [name]
    }

    static func read(_ path: String) throws -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationErrorMessage("cannot read \(path)")
        }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Prints a Markdown table: measurement, Fovea, PyTorch (oneDNN default path), ratio, unit.
    static func printTable(_ paths: [String]) throws {
        let fovea = try read(paths[0]).filter { $0["kind"] as? String == "measurement" }
        var reference: [String: [String: Any]] = [:]
        for path in paths.dropFirst() {
            for m in try read(path) where m["kind"] as? String == "measurement" {
                let name = m["name"] as! String
                let backend = m["backend"] as? String ?? "default"
                if backend == "im2col" { reference[name + "#im2col"] = m } else if reference[name] == nil { reference[name] = m }
            }
        }
        print("| measurement | Fovea | PyTorch | Fovea / PyTorch | PyTorch im2col path | unit |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        for m in fovea {
            let name = m["name"] as! String
            let value = m["throughput"] as! Double
            let unit = (m["unit"] as! String).split(separator: " ").first.map(String.init) ?? ""
            let ref = referenceName(name).lazy.compactMap { reference[$0] }.first
            let refValue = ref?["throughput"] as? Double
            let im2col = reference[name + "#im2col"]?["throughput"] as? Double
            print("| \(name) | \(format(value)) | \(refValue.map(format) ?? "–") | \(refValue.map { String(format: "%.2f×", value / $0) } ?? "–") | \(im2col.map(format) ?? "–") | \(unit) |")
        }
    }

    static func format(_ v: Double) -> String { v >= 100 ? String(format: "%.0f", v) : String(format: "%.1f", v) }
}

struct ValidationErrorMessage: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
