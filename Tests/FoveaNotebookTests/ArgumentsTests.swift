import FoveaNotebook
import Testing

@Suite("Arguments")
struct ArgumentsTests {
    @Test("defaults: a full run, seed 0, no output or data folder")
    func defaults() throws {
        let options = try NotebookOptions(parsing: [])
        #expect(options == NotebookOptions())
        #expect(!options.quick && options.seed == 0 && options.outputDirectory == nil && options.dataDirectory == nil)
    }

    @Test("--quick, --seed 7, --output /tmp/x, --data d")
    func all() throws {
        let options = try NotebookOptions(parsing: ["--quick", "--seed", "7", "--output", "/tmp/x", "--data", "d"],
                                          environment: ["FOVEA_DATA": "/elsewhere"])
        #expect(options.quick)
        #expect(options.seed == 7)
        #expect(options.outputDirectory == "/tmp/x")
        #expect(options.dataDirectory == "d")
    }

    @Test("--out is the documented spelling; --output still works")
    func outAlias() throws {
        #expect(try NotebookOptions(parsing: ["--out", "/tmp/a"]).outputDirectory == "/tmp/a")
        #expect(try NotebookOptions(parsing: ["--out=b"]).outputDirectory == "b")
        #expect(NotebookOptions.usage(program: "lesson01", name: "01-convolution").contains("runs/lessons/01-convolution"))
    }

    @Test("--name=value works too")
    func equalsForm() throws {
        let options = try NotebookOptions(parsing: ["--seed=42", "--output=out"])
        #expect(options.seed == 42 && options.outputDirectory == "out")
    }

    @Test("FOVEA_DATA is the data folder when --data is absent; an empty one is ignored")
    func environment() throws {
        #expect(try NotebookOptions(parsing: [], environment: ["FOVEA_DATA": "/data"]).dataDirectory == "/data")
        #expect(try NotebookOptions(parsing: [], environment: ["FOVEA_DATA": ""]).dataDirectory == nil)
    }

    @Test("wrong command lines throw errors that say what is wrong")
    func errors() {
        #expect(throws: NotebookArgumentError.unknown("--quik")) { try NotebookOptions(parsing: ["--quik"]) }
        #expect(throws: NotebookArgumentError.missingValue(option: "--output")) { try NotebookOptions(parsing: ["--output"]) }
        #expect(throws: NotebookArgumentError.invalidSeed("-1")) { try NotebookOptions(parsing: ["--seed", "-1"]) }
        #expect(throws: NotebookArgumentError.unknown("--quick=no")) { try NotebookOptions(parsing: ["--quick=no"]) }
        #expect(NotebookArgumentError.invalidSeed("x").description == "--seed needs a non-negative integer, not 'x'")
    }

    @Test("the default output folder is runs/lessons/<name> in the package holding the lesson, not Figures/")
    func defaultOutput() {
        let notebook = Notebook(name: "01-sample", title: nil, options: NotebookOptions(), filePath: #filePath,
                                line: #line, terminal: .silent)
        let root = packageRoot(containing: #filePath)
        #expect(root != nil)
        #expect(notebook.outputDirectory == root! + "/runs/lessons/01-sample")
        #expect(packageRoot(containing: "/nonexistent/Lessons/01/main.swift") == nil)
    }

    @Test("a relative --output is made absolute")
    func relativeOutput() throws {
        let notebook = Notebook(name: "n", title: "T", options: try NotebookOptions(parsing: ["--output", "out/x"]),
                                filePath: "/nonexistent/main.swift", line: 1, terminal: .silent)
        #expect(notebook.outputDirectory.hasPrefix("/") && notebook.outputDirectory.hasSuffix("/out/x"))
    }
}
