import Foundation

/// Where an ImageNet-style dataset lies: a folder with `train/` (one folder per class) and
/// optionally `val/` (the same classes; see ``ImageNetValidation`` for the official flat folder).
/// Under a data root (``DataLocation``) it is `imagenet/`; `--data` may also name it directly.
public enum ImageNetLocation {
    /// The folder holding `train/`.
    ///
    /// - Throws: ``DataError/notFound(dataset:checked:hint:)`` listing every path checked.
    public static func folder(data: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let roots = DataLocation.roots(explicit: data, environment: environment)
        let candidates = roots.flatMap { [$0, $0 + "/imagenet"] }
        for candidate in candidates {
            var folder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate + "/train", isDirectory: &folder), folder.boolValue { return candidate }
        }
        throw DataError.notFound(dataset: "ImageNet", checked: candidates.map { $0 + "/train" }, hint:
            "ImageNet cannot be downloaded automatically (it needs an account at image-net.org). Put ILSVRC-2012's train/ "
            + "(one folder per wnid) and val/ (sorted with `fovea prepare-imagenet`) in \(DataLocation.cacheFolder(environment: environment))/imagenet, "
            + "or pass --data DIR with DIR the folder that holds train/.")
    }
}
