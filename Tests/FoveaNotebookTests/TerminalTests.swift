import FoveaNotebook
import Testing

@Suite("Terminal")
struct TerminalTests {
    let plain = Terminal(styled: false, width: 20) { _ in }

    @Test("long prose lines wrap at the width; list items hang under their text")
    func wrapping() {
        #expect(plain.prose("one two three four five six seven") == "one two three four\nfive six seven")
        #expect(plain.prose("- alpha beta gamma delta epsilon") == "- alpha beta gamma\n  delta epsilon")
        #expect(plain.prose("| a table row that is long |") == "| a table row that is long |")
    }

    @Test("a cell starts with its prose and its code, indented; no escapes when unstyled")
    func cellStart() {
        let text = plain.cellStart(title: "T", blocks: [.prose("## 1 · Idea"), .code("let x = 1\n\nprint(x)")])
        #expect(text == "\n## 1 · Idea\n\n    let x = 1\n\n    print(x)\n\n")
        #expect(plain.cellStart(title: "T", blocks: nil).hasPrefix("\n── T ──"))
        #expect(!text.contains("\u{1B}"))
    }

    @Test("styles are ANSI escapes only when styled")
    func styles() {
        let styled = Terminal(styled: true) { _ in }
        #expect(styled.styled("x", .heading) == "\u{1B}[1;36mx\u{1B}[0m")
        #expect(plain.styled("x", .heading) == "x")
        #expect(!Terminal.standardOutput(environment: ["NO_COLOR": "1"]).styled)
    }

    @Test("tables align numbers right and text left")
    func table() {
        let table = Table(headers: ["kernel", "ms"], rows: [["naive", "41.25"], ["im2col", "3.1"]])
        #expect(table.plainText == "kernel     ms\n──────  ─────\nnaive   41.25\nim2col    3.1")
        #expect(table.markdown == "| kernel | ms |\n| --- | ---: |\n| naive | 41.25 |\n| im2col | 3.1 |")
    }

    @Test("durations read in their unit")
    func durations() {
        #expect(formattedDuration(0.000_85) == "850 µs")
        #expect(formattedDuration(0.0123) == "12.3 ms")
        #expect(formattedDuration(4.561) == "4.56 s")
        #expect(formattedDuration(192) == "3 min 12 s")
    }
}

@Suite("Terminal reflow")
struct TerminalReflowTests {
    let plain = Terminal(styled: false, width: 20) { _ in }

    @Test("source lines of one paragraph are re-flowed together: no orphan word at a source line break")
    func reflow() {
        #expect(plain.prose("one two three four five\nsix seven") == "one two three four\nfive six seven")
        #expect(plain.prose("- alpha beta\n  gamma delta epsilon\n- zeta") == "- alpha beta gamma\n  delta epsilon\n- zeta")
        #expect(plain.prose("first\n\nsecond") == "first\n\nsecond", "a blank line still separates paragraphs")
        #expect(plain.prose("text\n| a | b |") == "text\n| a | b |", "table rows stay as they are")
    }
}
