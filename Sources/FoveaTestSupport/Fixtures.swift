import Foundation
import Fovea

/// One case of a PyTorch fixture file (Tests/Fixtures/make_fixtures.py writes them).
public struct FixtureCase: Sendable, CustomStringConvertible {
    public let family: String
    public let name: String
    public let op: String
    /// The case's parameters as JSON text (decoded on use, so the case stays Sendable).
    let paramsJSON: String

    public var description: String { "\(family)/\(name)" }

    public var params: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(paramsJSON.utf8)) as? [String: Any]) ?? [:]
    }
    public func int(_ key: String) -> Int { params[key] as! Int }
    public func double(_ key: String) -> Double { (params[key] as! NSNumber).doubleValue }
    public func bool(_ key: String) -> Bool { params[key] as! Bool }
    public func ints(_ key: String) -> [Int] { params[key] as! [Int] }
    public func string(_ key: String) -> String { params[key] as! String }
    public func has(_ key: String) -> Bool { params[key] != nil }

    /// The case's tensor `role` (e.g. "x", "grad.weight"), converted to `dtype` unless it is Int64.
    public func tensor(_ role: String, dtype: DType = .float64) throws -> Tensor {
        let all = try Fixtures.tensors(family)
        guard let t = all["\(name).\(role)"] else {
            throw CheckpointError.missingTensor(name: "\(name).\(role)", path: Fixtures.path(family))
        }
        return t.dtype == .int64 ? t : t.converted(to: dtype)
    }

    /// Whether the case has a tensor `role`.
    public func hasTensor(_ role: String) -> Bool {
        (try? Fixtures.tensors(family))?["\(name).\(role)"] != nil
    }
}

/// Reading the committed PyTorch fixtures.
public enum Fixtures {
    /// The fixture format version this code reads; make_fixtures.py writes it into each file.
    public static let version = "1"

    public static var directory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tests/Fixtures").path
    }

    public static func path(_ family: String) -> String { "\(directory)/\(family).safetensors" }

    public static func tensors(_ family: String) throws -> [String: Tensor] {
        try Safetensors.read(path(family)).tensors
    }

    /// The cases of one family, in file order. A stale file fails with a hint to regenerate.
    public static func cases(_ family: String) throws -> [FixtureCase] {
        let metadata = try Safetensors.read(path(family)).metadata
        guard metadata["version"] == version else {
            throw CheckpointError.malformed(path: path(family), reason: "fixture version \(metadata["version"] ?? "none"), expected \(version); regenerate with Tests/Fixtures/make_fixtures.py")
        }
        guard let text = metadata["cases"], let list = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else {
            throw CheckpointError.malformed(path: path(family), reason: "no 'cases' metadata")
        }
        return try list.map { entry in
            let params = try JSONSerialization.data(withJSONObject: entry["params"] ?? [String: Any](), options: [.sortedKeys])
            return FixtureCase(family: family, name: entry["name"] as! String, op: entry["op"] as! String,
                               paramsJSON: String(decoding: params, as: UTF8.self))
        }
    }

    /// Cases of `families`, for `@Test(arguments:)`; an unreadable file yields no cases (and the
    /// separate file-presence test fails).
    public static func allCases(_ families: [String]) -> [FixtureCase] {
        families.flatMap { (try? cases($0)) ?? [] }
    }
}
