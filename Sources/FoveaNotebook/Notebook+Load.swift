import Foundation

extension Notebook {
    /// Runs `body`, which reads data, and returns what it read; a thrown error (a missing or
    /// corrupt file, a `--data` folder without the data) ends the lesson with one line on standard
    /// error and exit status 1, instead of a backtrace.
    ///
    ///     if let folder = nb.load({ try CIFAR10.find(data: nb.dataDirectory) }) {
    ///         let (images, labels) = nb.load { try CIFAR10.load(file: folder + "/" + CIFAR10.testFile, limit: 8) }
    ///         …
    ///     }
    public func load<T>(_ body: () throws -> T) -> T {
        do {
            return try body()
        } catch {
            fflush(nil)
            let program = URL(fileURLWithPath: CommandLine.arguments.first ?? name).lastPathComponent
            FileHandle.standardError.write(Data("\(program): error: \(error)\n".utf8))
            exit(1)
        }
    }
}
