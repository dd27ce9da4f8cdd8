import ArgumentParser
import Foundation

/// Runs a command's work; an error about data, files, checkpoints or settings becomes one line on
/// standard error and exit status 1 (never a backtrace). Argument errors stay ArgumentParser's
/// (usage and exit status 64).
func reportingErrors<T>(_ command: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        FileHandle.standardOutput.synchronizeFile()
        FileHandle.standardError.write(Data("fovea \(command): error: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

/// The command line as typed, with arguments quoted where the shell would need it.
var quotedCommandLine: String {
    CommandLine.arguments.map { argument in
        argument.isEmpty || argument.contains(where: { " \"'$\\*?()[]{}<>|&;#~".contains($0) })
            ? "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'" : argument
    }.joined(separator: " ")
}

/// Sets the engine's thread count; must run before the first tensor operation.
func setThreads(_ threads: Int?) {
    if let threads { setenv("FOVEA_NUM_THREADS", String(threads), 1) }
}

/// Progress of a download, on standard error (the text brings its own line breaks).
@Sendable func sayOnStandardError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasPrefix("\r") || text.hasPrefix("\n") ? text : text + "\n").utf8))
}
