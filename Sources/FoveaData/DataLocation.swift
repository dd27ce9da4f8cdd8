import Foundation

/// Where datasets are looked for, in order: the folder given with `--data DIR`, else the
/// `FOVEA_DATA` environment variable, else the cache folder `$XDG_CACHE_HOME/fovea` (by default
/// `~/.cache/fovea`), which is also where downloads go.
///
/// A data root holds one folder per dataset (`cifar-10-batches-bin/`, `imagenet/`, …); `--data`
/// may also name the dataset's own folder.
public enum DataLocation {
    /// The cache folder: `$XDG_CACHE_HOME/fovea`, else `$HOME/.cache/fovea`.
    public static func cacheFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/fovea" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.cache/fovea"
    }

    /// The data roots to search, most specific first: `explicit` (from `--data`) if given, else
    /// `$FOVEA_DATA` if set; the cache folder only when neither is given (an explicit folder that
    /// lacks the data is an error, not a reason to look elsewhere).
    public static func roots(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        if let explicit, !explicit.isEmpty { return [expandingTilde(explicit, environment: environment)] }
        if let fromEnvironment = environment["FOVEA_DATA"], !fromEnvironment.isEmpty {
            return [expandingTilde(fromEnvironment, environment: environment)]
        }
        return [cacheFolder(environment: environment)]
    }

    /// `~/x` → `$HOME/x` (a shell expands `~` only at the start of a word, so `--data=~/x` arrives
    /// unexpanded).
    static func expandingTilde(_ path: String, environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + path.dropFirst()
    }
}
