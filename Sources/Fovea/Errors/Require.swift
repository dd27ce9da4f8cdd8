/// The checks that guard every shape, dtype and argument rule of the engine, the models and the
/// plots.
///
/// Swift's `require(_:_:)` drops its message in optimised builds (`-O`), and Fovea is only
/// ever built that way: a failing check would print a bare backtrace, never saying *which* shapes
/// disagreed. These functions stop the program the same way, but always through
/// `fatalError(_:file:line:)`, which prints `File.swift:LINE: Fatal error: <message>` in every build
/// configuration. The message is built only when the check fails.
///
///     require(a.shape == b.shape, "add: shapes \(a.shape) and \(b.shape) differ")
///
/// Bad *data* (a file of the wrong size, a corrupt record) is not a programming error: it is a
/// thrown error that a command prints in one line. These checks are for code that called the
/// engine wrongly.
@inlinable
package func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                     file: StaticString = #fileID, line: UInt = #line) {
    if _slowPath(!condition()) { requirementFailed(message(), file: file, line: line) }
}

/// Stops the program with `message`, in every build configuration (see ``require(_:_:file:line:)``).
@inline(never) @usableFromInline
package func requirementFailed(_ message: @autoclosure () -> String,
                               file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message(), file: file, line: line)
}
