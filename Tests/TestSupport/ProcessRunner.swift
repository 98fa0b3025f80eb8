public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a program run by a test did.
public struct ProcessResult: Sendable {
    /// The exit status; 128 + the signal's number when a signal ended the program, as a shell
    /// reports it (so a crash never reads as one of the tool's own statuses 0-3).
    public var status: Int32
    public var outputData: Data
    public var errorData: Data

    public var output: String { String(decoding: outputData, as: UTF8.self) }
    public var error: String { String(decoding: errorData, as: UTF8.self) }
}

/// A program that did not finish in time: it was killed, and this says what it had written.
public struct ProcessTimedOut: Error, CustomStringConvertible {
    public var command: [String]
    public var timeout: Duration
    public var partial: ProcessResult

    public var description: String {
        "\(command.joined(separator: " ")) did not finish within \(timeout) and was killed; "
            + "standard error so far: \(partial.error.suffix(2000))"
    }
}

/// The one way tests run programs (the built `backup-audit`, Python peers, generators): both
/// output pipes drained on their own threads and standard input written on a third, so no pipe
/// that fills up can stall the program or the test; a timeout that kills the program and throws
/// instead of hanging the test run.
public enum ProcessRunner {
    /// Far above any program's run: it is there to stop a hang, not to measure anything.
    public static let defaultTimeout: Duration = .seconds(600)

    /// Runs `executable` to completion. `environment` is laid over the test process's own;
    /// `stdin` is written and closed (no `stdin`: the program reads end of file at once).
    public static func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
        stdin: Data? = nil, timeout: Duration = defaultTimeout
    ) throws -> ProcessResult {
        try start(executable, arguments, in: directory, environment: environment, stdin: stdin).finish(timeout: timeout)
    }

    /// Starts `executable` and returns at once, for a test that acts while it runs (a signal).
    public static func start(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
        stdin: Data? = nil
    ) throws -> RunningProcess {
        try RunningProcess(executable, arguments, in: directory, environment: environment, stdin: stdin)
    }
}

/// A program started by `ProcessRunner.start`.
public final class RunningProcess: @unchecked Sendable {
    private let process = Process()
    private let command: [String]
    private let exited = DispatchSemaphore(value: 0)
    private let output: PipeDrain
    private let errors: PipeDrain

    fileprivate init(_ executable: String, _ arguments: [String], in directory: URL?, environment: [String: String], stdin: Data?) throws {
        command = [executable] + arguments
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let outputPipe = Pipe(), errorPipe = Pipe(), inputPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        process.standardInput = inputPipe
        let exited = exited
        process.terminationHandler = { _ in exited.signal() }
        // A program that exits without reading its input must not kill the test with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let process = process
        try Self.withNoSignalBlocked { try process.run() }
        output = PipeDrain(outputPipe.fileHandleForReading)
        errors = PipeDrain(errorPipe.fileHandleForReading)
        let input = inputPipe.fileHandleForWriting
        let bytes = stdin ?? Data()
        Thread {
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(input.fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 && errno == EINTR { continue }
                    if written <= 0 { break }  // EPIPE: the program stopped reading; that is its business
                    offset += written
                }
            }
            try? input.close()
        }.start()
    }

    /// A program inherits the signal mask of the thread that starts it, and the test runner's
    /// worker threads block SIGINT and SIGTERM: started from one of them, a program would ignore
    /// Ctrl-C and `kill`, and a test of either would hang or lie. So it starts with none blocked.
    private static func withNoSignalBlocked(_ body: () throws -> Void) rethrows {
        var none = sigset_t(), saved = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        try body()
    }

    public var processIdentifier: Int32 { process.processIdentifier }

    /// Ctrl-C.
    public func interrupt() { process.interrupt() }

    /// Waits for the program and its output. After `timeout` the program is killed (SIGKILL) and
    /// `ProcessTimedOut` thrown, with what it had written.
    public func finish(timeout: Duration = ProcessRunner.defaultTimeout) throws -> ProcessResult {
        let deadline = DispatchTime.now() + .milliseconds(Int(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        if exited.wait(timeout: deadline) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
            // A child of the program may still hold the pipes open: take what is there.
            throw ProcessTimedOut(command: command, timeout: timeout, partial: result(waitingUntil: .now() + .seconds(1)))
        }
        let finished = result(waitingUntil: deadline)
        guard output.isDone && errors.isDone else {
            throw ProcessTimedOut(command: command, timeout: timeout, partial: finished)
        }
        return finished
    }

    private func result(waitingUntil deadline: DispatchTime) -> ProcessResult {
        let outputData = output.collect(waitingUntil: deadline)
        let errorData = errors.collect(waitingUntil: deadline)
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return ProcessResult(status: status, outputData: outputData, errorData: errorData)
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeDrain: @unchecked Sendable {
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()
    private var finished = false

    init(_ handle: FileHandle) {
        Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                lock.withLock { data.append(contentsOf: buffer[..<count]) }
            }
            lock.withLock { finished = true }
            done.signal()
        }.start()
    }

    var isDone: Bool { lock.withLock { finished } }

    /// Everything read once the pipe has ended, or what was read by `deadline`.
    func collect(waitingUntil deadline: DispatchTime) -> Data {
        if !isDone, done.wait(timeout: deadline) == .success { done.signal() }
        return lock.withLock { data }
    }
}
