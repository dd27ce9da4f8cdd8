import Foundation

/// The command-line options every lesson takes.
///
///     lesson01 --quick --seed 7 --out /tmp/figures --data ~/datasets
///
/// By default a lesson writes to `runs/lessons/<name>/` (ignored by git); `make figures` writes
/// the committed pages under `Figures/` with `--out`. Tests use `--quick --out <temporary folder>`.
public struct NotebookOptions: Equatable, Sendable {
    /// `--quick`: a smaller, faster run (fewer steps, smaller data), as CI runs it.
    public var quick = false
    /// `--seed N`: the seed for every random generator the lesson makes.
    public var seed: UInt64 = 0
    /// `--out DIR` (or its older spelling `--output DIR`): where figures and `notebook.md` go;
    /// `nil` means `runs/lessons/<name>` in the package.
    public var outputDirectory: String?
    /// `--data DIR`, else the `FOVEA_DATA` environment variable; `nil` if neither is set.
    public var dataDirectory: String?
    /// `--weights FILE`: trained weights for a lesson that can use them (lesson 09: a torchvision
    /// ResNet-18 state dict saved as safetensors); `nil` if not given.
    public var weightsFile: String?
    /// `--help` or `-h` was given.
    public var showsHelp = false

    /// The defaults: a full run, seed 0, the default output folder, no data folder.
    public init() {}

    /// Reads the options from `arguments` (without the program name). Both `--seed 7` and
    /// `--seed=7` work.
    ///
    /// - Throws: ``NotebookArgumentError`` for an unknown option, a missing value or a seed that
    ///   is not a non-negative integer.
    public init(parsing arguments: [String], environment: [String: String] = [:]) throws {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() throws -> String {
                if let inlineValue { return inlineValue }
                guard let next = rest.popFirst() else { throw NotebookArgumentError.missingValue(option: name) }
                return next
            }
            switch name {
            case "--quick", "--help", "-h":
                guard inlineValue == nil else { throw NotebookArgumentError.unknown(argument) }
                if name == "--quick" { quick = true } else { showsHelp = true }
            case "--seed":
                let text = try value()
                guard let seed = UInt64(text) else { throw NotebookArgumentError.invalidSeed(text) }
                self.seed = seed
            case "--out", "--output": outputDirectory = try value()
            case "--data": dataDirectory = try value()
            case "--weights": weightsFile = try value()
            default: throw NotebookArgumentError.unknown(argument)
            }
        }
        if dataDirectory == nil, let fromEnvironment = environment["FOVEA_DATA"], !fromEnvironment.isEmpty {
            dataDirectory = fromEnvironment
        }
    }

    /// The help text, with each option's default.
    public static func usage(program: String, name: String) -> String {
        """
        usage: \(program) [--quick] [--seed N] [--out DIR] [--data DIR] [--weights FILE]

          --quick         a smaller, faster run, as CI runs it (default: the full run)
          --seed N        the seed for the random generators (default: 0)
          --out DIR       where the figures and notebook.md go (default: runs/lessons/\(name) in the
                          package; --output DIR also works)
          --data DIR      a folder holding cifar-10-batches-bin/, for real photos (default: $FOVEA_DATA,
                          else ~/.cache/fovea when it holds the data; without data the lesson uses
                          built-in images; lesson 09 looks for ImageNet images there)
          --weights FILE  trained weights, for lesson 09: a torchvision ResNet-18 state dict saved as
                          safetensors (without it the lesson's ResNet-18 is untrained, and says so)
          -h, --help      show this help
        """
    }
}

/// A command line that a lesson cannot run with.
public enum NotebookArgumentError: Error, Equatable, CustomStringConvertible {
    case unknown(String)
    case missingValue(option: String)
    case invalidSeed(String)

    public var description: String {
        switch self {
        case .unknown(let argument): "unknown argument '\(argument)'"
        case .missingValue(let option): "\(option) needs a value"
        case .invalidSeed(let text): "--seed needs a non-negative integer, not '\(text)'"
        }
    }
}

/// The folder holding `Package.swift` above `filePath`, or `nil` when there is none (the source
/// tree is not on this machine).
package func packageRoot(containing filePath: String) -> String? {
    var folder = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    while true {
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            return folder.path
        }
        let parent = folder.deletingLastPathComponent()
        if parent.path == folder.path { return nil }
        folder = parent
    }
}

/// `path` made absolute against the current directory.
package func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        .appendingPathComponent(path).standardizedFileURL.path
}
