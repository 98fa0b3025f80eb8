import BackupJobs

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's standard output and error: the only place the tool writes to a terminal.
///
/// Text for people (`output`, `error`) has its control and bidirectional characters escaped
/// (`TerminalText`), whatever data or rule file they came from; only line breaks and tabs pass.
/// Renderers escape each value themselves too, so a newline inside a value cannot break a line
/// and tables stay aligned; this is the net under them. Machine formats (JSON, CSV, a formatted
/// rule file) and reports go through `write` and `outputExactly`, byte for byte.
enum Terminal {
    static func output(_ text: String) {
        write(TerminalText.escaped(text, keeping: ["\n", "\t"]), to: STDOUT_FILENO)
    }

    static func error(_ text: String) {
        write(TerminalText.escaped(text, keeping: ["\n", "\t"]), to: STDERR_FILENO)
    }

    /// A machine-readable document (JSON, workflow commands) and a final newline, exactly as given.
    static func outputExactly(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    /// Colour on standard output: only on a terminal, and never when NO_COLOR is set.
    static var supportsColor: Bool {
        isatty(STDOUT_FILENO) == 1 && (getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true)
    }

    /// Writes text to standard error exactly as given: a progress line redrawn in place.
    static func errorFragment(_ text: String) {
        write(Array(text.utf8), to: STDERR_FILENO)
    }

    /// Writes text to standard output exactly as given (no newline added).
    static func write(_ text: String) {
        write(Array(text.utf8), to: STDOUT_FILENO)
    }

    /// Writes the whole text and a final newline, straight to the descriptor (no stdio buffer
    /// to flush, so output and errors interleave in the order they were written).
    private static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
        write(bytes, to: descriptor)
    }

    private static func write(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                #if canImport(Glibc)
                let written = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                #else
                let written = Darwin.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                #endif
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // a closed pipe (`| head`): nothing more can be shown
                }
                offset += written
            }
        }
    }
}
