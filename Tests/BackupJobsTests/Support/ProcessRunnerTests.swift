import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The runner every test target starts programs with (TestSupport): it reports what the program
/// did, whatever its output sizes, and never hangs the run.
@Suite struct ProcessRunnerTests {
    static func shell(_ script: String, stdin: Data? = nil, environment: [String: String] = [:], timeout: Duration = ProcessRunner.defaultTimeout) throws -> ProcessResult {
        try ProcessRunner.run("/bin/sh", ["-c", script], environment: environment, stdin: stdin, timeout: timeout)
    }

    @Test(arguments: [(script: "exit 0", status: Int32(0)), ("exit 3", 3), ("kill -TERM $$", 128 + SIGTERM), ("kill -KILL $$", 128 + SIGKILL)])
    func theStatusIsTheExitStatusOr128PlusTheSignal(script: String, status: Int32) throws {
        let result = try Self.shell(script)
        #expect(result.status == status, "\(result.error)")
    }

    /// Far more than a pipe holds on each output, written in the order that stalls a runner
    /// reading one pipe after the other.
    @Test func bothOutputsAreReadWhateverTheirSize() throws {
        let result = try Self.shell("head -c 1000000 /dev/zero | tr '\\0' e >&2; head -c 1000000 /dev/zero | tr '\\0' o")
        #expect(result.status == 0)
        #expect(result.errorData.count == 1_000_000 && result.errorData.allSatisfy { $0 == UInt8(ascii: "e") })
        #expect(result.outputData.count == 1_000_000 && result.outputData.allSatisfy { $0 == UInt8(ascii: "o") })
    }

    /// Input larger than a pipe, echoed while it is written: input and output flow at once.
    @Test func standardInputIsWrittenWhileTheOutputIsRead() throws {
        let input = Data((0..<2_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let result = try ProcessRunner.run("/bin/cat", [], stdin: input)
        #expect(result.status == 0)
        #expect(result.outputData == input)
        #expect(try Self.shell("wc -c").output.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "no stdin reads as empty")
    }

    @Test func theEnvironmentIsLaidOverTheTestsOwn() throws {
        let result = try Self.shell(#"printf '%s|%s' "$RUNNER_TEST" "${PATH:+set}""#, environment: ["RUNNER_TEST": "given"])
        #expect(result.output == "given|set")
    }

    /// A program that would run for a minute is killed at the timeout and reported.
    @Test func aProgramPastItsTimeoutIsKilledAndReported() throws {
        var caught: ProcessTimedOut?
        do {
            _ = try Self.shell("exec sleep 60", timeout: .milliseconds(300))
        } catch let error as ProcessTimedOut {
            caught = error
        }
        let timedOut = try #require(caught)
        #expect(timedOut.partial.status == 128 + SIGKILL)
        #expect(timedOut.description.contains("did not finish within"))
    }

    /// Ctrl-C sent to a started program ends it like a shell's would.
    @Test func aStartedProgramCanBeInterrupted() throws {
        let running = try ProcessRunner.start("/bin/sh", ["-c", "exec sleep 60"])
        running.interrupt()
        let result = try running.finish()
        #expect(result.status == 128 + SIGINT, "\(result.error)")
    }
}
