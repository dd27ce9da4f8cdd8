import Foundation
import FoveaTestSupport
import Testing

/// The `fovea` command as a user meets it: the release binary, its messages and exit codes.
@Suite("fovea command line", .enabled(if: Products.isBuilt("fovea"), "build fovea first (make build)"))
struct CommandLineTests {
    @Test("--help lists every subcommand")
    func help() throws {
        let result = try Products.run("fovea", ["--help"])
        #expect(result.status == 0)
        for command in ["gradcheck", "gallery", "summary", "info"] {
            #expect(result.standardOutput.contains(command), "fovea --help does not list \(command)")
        }
    }

    @Test("every subcommand's --help reads: an overview, its options, exit 0", arguments: [
        ("train", ["--model", "--epochs", "--resume", "--val-split", "--threads"]), ("eval", ["--data", "--out"]),
        ("filters", ["--layer", "--list"]), ("predict", ["--top", "--out"]), ("features", ["--maps"]),
        ("gradcheck", ["--op"]), ("gallery", ["--out"]), ("summary", ["--size"]), ("info", []),
    ])
    func subcommandHelp(_ command: String, _ options: [String]) throws {
        let result = try Products.run("fovea", [command, "--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("OVERVIEW: "), "\(result.standardOutput.prefix(200))")
        for option in options { #expect(result.standardOutput.contains(option), "fovea \(command) --help lacks \(option)") }
        // Allowed values are listed once, by ArgumentParser, never also in the help text.
        for line in result.standardOutput.split(separator: "\n") where line.contains("(values:") {
            #expect(line.components(separatedBy: "cosine").count <= 2 && line.components(separatedBy: "resnet20").count <= 2, "\(line)")
        }
    }

    @Test("a negative --size is an argument error that says the size must be positive (exit 64)")
    func negativeSize() throws {
        let result = try Products.run("fovea", ["summary", "lenet", "--size", "-3"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("--size must be a positive number of pixels, not -3"), "\(result.standardError)")
        #expect(!result.crashed)
    }

    @Test("lenet at a size it cannot take is an argument error, not a crash")
    func lenetSize() throws {
        let result = try Products.run("fovea", ["summary", "lenet", "--size", "28"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("lenet takes 32×32 inputs"), "\(result.standardError)")
        #expect(!result.crashed)
    }

    @Test("an unknown model is an argument error (exit 64) naming the choices once")
    func unknownModel() throws {
        let result = try Products.run("fovea", ["summary", "alexnet"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("alexnet"))
    }

    @Test("the summary shows the pooling layers and no blank row before the total")
    func summary() throws {
        let result = try Products.run("fovea", ["summary", "lenet"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.filter { $0.hasPrefix("pool ") && $0.contains("MaxPool2d") }.count == 2, "\(result.standardOutput)")
        let total = try #require(lines.firstIndex { $0.hasPrefix("total") })
        #expect(total > 0 && !lines[total - 1].trimmingCharacters(in: .whitespaces).isEmpty)
        #expect(lines[total].contains("62,006"))
    }

    @Test("summary takes any catalog name: wrn-28-2 at 32×32 ends in 1000 logits, wrn-36-2 defaults to 64×64")
    func wideResNetSummary() throws {
        let wrn28 = try Products.run("fovea", ["summary", "wrn-28-2"])
        #expect(wrn28.status == 0 && wrn28.standardOutput.contains("[1, 128, 8, 8]") && wrn28.standardOutput.contains("1,595,320"), "\(wrn28.standardOutput)")
        let wrn36 = try Products.run("fovea", ["summary", "wrn-36-2"])
        #expect(wrn36.status == 0 && wrn36.standardOutput.contains("[1, 256, 8, 8]"))
        let odd = try Products.run("fovea", ["summary", "wrn-30-2"])
        #expect(odd.status == 64 && odd.standardError.contains("wrn-D-K"), "\(odd.standardError)")
    }

    @Test("info names the OpenBLAS kernel once")
    func info() throws {
        let result = try Products.run("fovea", ["info"])
        #expect(result.status == 0)
        let kernelLines = result.standardOutput.split(separator: "\n").filter { $0.contains("OpenBLAS") }
        #expect(kernelLines.count == 1, "\(result.standardOutput)")
    }
}
