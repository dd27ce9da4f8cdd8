import Foundation
import FoveaNotebook
import FoveaTestSupport

/// A lesson's source with a header, three cells (one marker spanning lines), `//:` and `/*: */`
/// prose, code, and the closing `nb.finish()`.
let lessonFixture = #"""
/*:
 # 01 · Sample
 You will add two numbers.

 Runs in a second.
 */
import Fovea
import FoveaNotebook

let nb = Notebook("01-sample")

nb.cell("Adding")
//: ## 1 · Adding
//: Two plus two is $2 + 2 = 4$.
let sum = 2 + 2
nb.print("sum", sum)

nb.cell("Tables")
/*:
 ## 2 · Tables
 A table of squares:
   - indented item
 */
let squares = (1...3).map { $0 * $0 }

//: A second paragraph of prose.

// an ordinary comment stays in the code
nb.table(headers: ["n", "n²"], rows: [["1", "1"]])

try nb.cell(
    "Checks (last)"
)
let x = 1.0   
//: The end.

//: Really.
nb.finish()
"""#

/// The 1-based line of the first line of `lessonFixture` that contains `text`.
func fixtureLine(_ text: String) -> Int {
    let lines = lessonFixture.split(separator: "\n", omittingEmptySubsequences: false)
    return lines.firstIndex { $0.contains(text) }! + 1
}

/// A new, empty folder for one test's files, removed when the test process exits.
func temporaryFolder(_ label: String = "notebook") -> String {
    let path = TemporaryFolders.path(label)
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The fixture written as `main.swift` in a new temporary folder; returns its path.
func writeFixtureLesson() -> String {
    let path = temporaryFolder("lesson") + "/main.swift"
    try! lessonFixture.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// A notebook on `sourcePath` that writes nothing to the terminal.
func silentNotebook(sourcePath: String, output: String, arguments: [String] = ["--quick"]) -> Notebook {
    let options = try! NotebookOptions(parsing: arguments + ["--output", output])
    return Notebook(name: "01-sample", title: nil, options: options, filePath: sourcePath,
                    line: fixtureLine("Notebook(\"01-sample\")"), terminal: .silent)
}
