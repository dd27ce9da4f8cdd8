import CCairo
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Canvas {
    /// Writes the canvas as a PNG file, creating missing folders on the way (like `mkdir -p`).
    ///
    /// - Throws: `PlotError.cannotCreateFolder` when a folder cannot be made (a file is in the way,
    ///   no permission), `PlotError.cannotWrite` when Cairo reports a failed write; both name `path`.
    public func writePNG(to path: String) throws {
        guard !path.isEmpty else { throw PlotError.cannotWrite(path: path, reason: "the path is empty") }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try FileSystem.makeFolder(String(path[..<slash]), for: path)
        }
        cairo_surface_flush(surface)
        let status = cairo_surface_write_to_png(surface, path)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PlotError.cannotWrite(path: path, reason: String(cString: cairo_status_to_string(status)))
        }
    }
}

/// The one file-system job FoveaPlot has: making the folder a figure goes into.
enum FileSystem {
    /// Creates `folder` and its missing parents with POSIX `mkdir`, so that a failure carries the
    /// system's reason ("Not a directory", "Permission denied", …).
    static func makeFolder(_ folder: String, for path: String) throws {
        var prefix = folder.hasPrefix("/") ? "/" : ""
        for component in folder.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw PlotError.cannotCreateFolder(folder: folder, path: path, reason: String(cString: strerror(errno)))
            }
            prefix += "/"
        }
        var info = stat()
        guard stat(folder, &info) == 0 else {
            throw PlotError.cannotCreateFolder(folder: folder, path: path, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw PlotError.cannotCreateFolder(folder: folder, path: path, reason: "a file is in the way")
        }
    }
}
