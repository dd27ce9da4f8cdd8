import Foundation

/// A value guarded by a lock, so that a notebook can be shared by helper functions and tasks.
///
/// The lock is held only while the value is read or changed, never while lesson code runs.
package final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) { self.value = value }

    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
