import Fovea
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A lesson run as a literate notebook: its prose, code, printed output, figures and checks,
/// woven into the terminal as it runs and into a Markdown page at the end.
///
/// A lesson's `main.swift` reads top to bottom like a notebook. Each `cell(_:)` call starts a
/// cell; the prose (`//:` lines, `/*: … */` blocks) and code that follow it in the source, up to
/// the next `cell(_:)` call, are that cell's source, and everything it prints, draws and checks
/// is its output:
///
///     /*:
///      # 01 · Convolution
///      You will slide a 3×3 filter over an image by hand and check the engine against it.
///      */
///     import Fovea
///     import FoveaNotebook
///
///     let nb = Notebook("01-convolution")
///
///     nb.cell("Convolution by hand")
///     //: ## 1 · Convolution by hand
///     //: Each output is a weighted sum of a 3×3 window: $y_{ij} = \sum_{u,v} w_{uv}\,x_{i+u,j+v}$.
///     let x = Tensor(shape: [1, 1, 4, 4], (0..<16).map(Float.init))
///     let w = Tensor(shape: [1, 1, 3, 3], [Float](repeating: 1, count: 9))
///     let y = conv2d(x, weight: w)
///     nb.show(y, "y")
///     nb.check("y[0, 0] is the sum of the first window", actual: y[0, 0, 0, 0], expected: 45, tolerance: 1e-5)
///
///     nb.finish()   // writes notebook.md; exits 1 if a check failed
///
/// The notebook finds the source through the `#filePath` that `Notebook(…)` and `cell(_:)`
/// capture, so it must be created and its cells started in the lesson's own files. If the source
/// cannot be read (the program was moved), the page still lists every cell's output.
///
/// Command-line options (see ``NotebookOptions``): `--quick`, `--seed N`, `--out DIR`,
/// `--data DIR` (or `FOVEA_DATA`).
///
/// A notebook is `Sendable`: helper functions and tasks may print and check through it.
public final class Notebook: Sendable {
    /// The lesson's page name, lower-case and hyphenated: `01-convolution`.
    public let name: String
    /// The page title: `01 · Convolution`.
    public let title: String
    /// The options the lesson was run with.
    public let options: NotebookOptions
    /// Where figures and `notebook.md` are written (an absolute path): `--out`, or
    /// `runs/lessons/<name>` in the package that holds the lesson (a folder git ignores, so that
    /// running a lesson never changes the committed pages under `Figures/`).
    public let outputDirectory: String

    /// Where a learner's runs go by default, relative to the package root (ignored by git).
    public static let runsFolder = "runs/lessons"

    /// The lesson's `main.swift`, as `Notebook(…)` captured it.
    package let filePath: String
    package let terminal: Terminal
    package let started = ContinuousClock.now
    package let state: Locked<State>

    package struct State {
        /// The cells in the order they ran; the first is what ran before the first cell.
        package var cells: [CellRecord]
        /// Parsed sources by file path; `nil` for a file that could not be read.
        package var sources: [String: LessonSource?] = [:]
        /// The current cell's prose after its output, printed when the next cell starts.
        package var proseAfterOutput: [SourceBlock] = []
    }

    /// `--quick`: run a smaller, faster version of the lesson.
    public var quick: Bool { options.quick }
    /// `--seed N` (default 0): seed every random generator with it.
    public var seed: UInt64 { options.seed }
    /// `--data DIR`, else `$FOVEA_DATA`; `nil` if neither is set.
    public var dataDirectory: String? { options.dataDirectory }
    /// `--weights FILE`, if given.
    public var weightsFile: String? { options.weightsFile }
    /// Where ``finish()`` writes the page: `notebook.md` in ``outputDirectory``.
    public var pagePath: String { outputDirectory + "/notebook.md" }

    /// A training run committed with the project, `Figures/runs/<name>` in the package that holds
    /// the lesson (full runs take hours: lessons read them rather than repeat them).
    public func committedRun(_ name: String) -> String {
        (packageRoot(containing: filePath) ?? FileManager.default.currentDirectoryPath) + "/Figures/runs/" + name
    }

    /// Starts a notebook and prints its title block.
    ///
    /// Reads the options from the command line; prints the usage and exits with status 2 when
    /// they are wrong, and with status 0 for `--help`.
    ///
    /// - Parameters:
    ///   - name: the page name, lower-case and hyphenated (`01-convolution`): the default output
    ///     folder is `runs/lessons/<name>` in the package.
    ///   - title: the title, used where the header has no `# Title` line of its own (which the
    ///     page then shows as written); by default that line's text, else `name`.
    ///   - arguments: the command line, without the program name.
    ///   - environment: where `FOVEA_DATA` and `NO_COLOR` are read.
    ///   - filePath: the lesson's source; leave the default.
    ///   - line: leave the default.
    public convenience init(
        _ name: String, title: String? = nil,
        arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        filePath: String = #filePath, line: Int = #line
    ) {
        let program = URL(fileURLWithPath: CommandLine.arguments.first ?? name).lastPathComponent
        let options: NotebookOptions
        do {
            options = try NotebookOptions(parsing: arguments, environment: environment)
        } catch {
            let message = "\(program): \(error)\n\n\(NotebookOptions.usage(program: program, name: name))\n"
            FileHandle.standardError.write(Data(message.utf8))
            exit(2)
        }
        if options.showsHelp {
            Swift.print(NotebookOptions.usage(program: program, name: name))
            fflush(nil)
            exit(0)
        }
        self.init(name: name, title: title, options: options, filePath: filePath, line: line,
                  terminal: .standardOutput(environment: environment))
    }

    /// A notebook with parsed options, writing to `terminal`.
    package init(name: String, title: String?, options: NotebookOptions, filePath: String, line: Int, terminal: Terminal) {
        require(!name.isEmpty && !name.contains("/"), "Notebook: the name \"\(name)\" must be a folder name, like 01-convolution")
        let source = (try? String(contentsOfFile: filePath, encoding: .utf8)).map(LessonSource.init(parsing:))
        let root = packageRoot(containing: filePath) ?? FileManager.default.currentDirectoryPath
        self.name = name
        self.title = title ?? source.flatMap { headerTitle($0.header) } ?? name
        self.options = options
        self.outputDirectory = absolutePath(options.outputDirectory ?? root + "/" + Notebook.runsFolder + "/" + name)
        self.filePath = filePath
        self.terminal = terminal
        self.state = Locked(State(cells: [CellRecord(title: "(before the first cell)", file: filePath, line: line)],
                                  sources: [filePath: source],
                                  proseAfterOutput: splitAtOutput(source?.header ?? []).afterOutput))

        let header = splitAtOutput(source?.header ?? []).beforeOutput.filter { if case .prose = $0 { true } else { false } }
        var opening = opensWithTitle(header) ? "" : terminal.styled("# \(self.title)", .heading) + "\n\n"
        opening += header.map { block in if case .prose(let text) = block { terminal.prose(text) } else { "" } }
            .joined(separator: "\n\n")
        terminal.line(opening.trimmingCharacters(in: .newlines))
        terminal.line()
        terminal.line("\(options.quick ? "--quick" : "full") run · seed \(options.seed) · output \(outputDirectory)", .note)
        if source == nil { terminal.line("note: \(missingSourceNote)", .note) }
    }

    package var missingSourceNote: String {
        "the lesson's source was not found at \(filePath) (the program was moved or built elsewhere), "
            + "so each cell lists its output only."
    }

    /// Starts a cell: prints its prose and code, and records what follows as its output.
    ///
    /// The cell's source is what follows this call in the file, up to the next `cell(_:)` call.
    /// Call it as a statement of its own line; the line itself is not shown.
    ///
    /// - Parameter title: a short name, used in the check summary, and as the heading when the
    ///   cell's prose does not open with one.
    public func cell(_ title: String, filePath: String = #filePath, line: Int = #line) {
        state.withLock { state in
            terminal.write(terminal.blocks(state.proseAfterOutput))
            state.cells.append(CellRecord(title: title, file: filePath, line: line))
            let blocks = (state.source(for: filePath)?.cell(at: line)?.blocks).map(splitAtOutput)
            terminal.write(terminal.cellStart(title: title, blocks: blocks?.beforeOutput))
            state.proseAfterOutput = blocks?.afterOutput ?? []
        }
    }

    /// Records `output` in the current cell and writes `echo` to the terminal.
    package func record(_ output: Output, echo: String) {
        state.withLock { state in
            state.cells[state.cells.count - 1].outputs.append(output)
            terminal.write(echo + "\n")
        }
    }

    /// The paths of all figures written so far, in order.
    public var figurePaths: [String] {
        state.withLock { $0.cells }.flatMap(\.outputs).compactMap { output in
            if case .figure(let file, _) = output { outputDirectory + "/" + file } else { nil }
        }
    }

    /// All checks made so far, in order.
    public var checks: [CheckResult] {
        state.withLock { $0.cells }.flatMap(\.outputs).compactMap { output in
            if case .check(let check) = output { check } else { nil }
        }
    }
}

extension Notebook.State {
    /// The parsed source of `file`, read once.
    package mutating func source(for file: String) -> LessonSource? {
        if let cached = sources[file] { return cached }
        let source = (try? String(contentsOfFile: file, encoding: .utf8)).map(LessonSource.init(parsing:))
        sources[file] = source
        return source
    }
}

/// The text of the header's `# Title` line, if it opens with one.
private func headerTitle(_ header: [SourceBlock]) -> String? {
    guard opensWithTitle(header), case .prose(let text) = header.first else { return nil }
    return String(text.dropFirst(2).prefix { $0 != "\n" }).trimmingCharacters(in: .whitespaces)
}
