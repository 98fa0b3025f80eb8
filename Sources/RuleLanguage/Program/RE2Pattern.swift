internal import CRE2

/// A regular expression compiled by RE2: matching takes time linear in the text for every
/// pattern, so no rule can stall an evaluation (RE2 has no backtracking, hence no backreferences
/// and no lookaround). The checker compiles each `matches` and `like` pattern once; the program
/// carries it to the evaluator, which never compiles a pattern itself.
///
/// `@unchecked Sendable` is sound: the handle is never changed after `init`, RE2's matching
/// methods are `const` and documented thread-safe (RE2 locks its own lazily built DFA cache), and
/// `deinit` runs only when no thread can still hold the object.
public final class RE2Pattern: @unchecked Sendable {
    /// The pattern as compiled, in RE2 syntax.
    public let pattern: String
    public let ignoringCase: Bool
    private let handle: OpaquePointer

    /// Why a pattern did not compile.
    public struct CompileError: Error, Hashable, Sendable {
        /// RE2's error code (`RE2::ErrorCode`), stable across RE2 versions.
        public enum Code: Int32, Sendable {
            case internalError = 1, badEscape, badCharClass, badCharRange, missingBracket, missingParen, unexpectedParen,
                 trailingBackslash, repeatArgument, repeatSize, repeatOp, badPerlOp, badUTF8, badNamedCapture, patternTooLarge
            case outOfMemory = -1
        }

        public var code: Code
        /// RE2's message: "invalid escape sequence: \1".
        public var message: String
        /// The offending fragment, as UTF-8 offsets into the pattern (the whole pattern when RE2
        /// names no fragment).
        public var fragment: Range<Int>
    }

    private init(pattern: String, ignoringCase: Bool, handle: OpaquePointer) {
        self.pattern = pattern
        self.ignoringCase = ignoringCase
        self.handle = handle
    }

    deinit { cre2_delete(handle) }

    /// Compiles `pattern` in RE2 syntax (UTF-8; `ignoringCase` folds case as Unicode's simple case
    /// folding does). A pattern whose program outgrows RE2's default memory budget (8 MiB) is a
    /// `patternTooLarge` error, never an exhausted memory.
    public static func compile(_ pattern: String, ignoringCase: Bool = false) -> Result<RE2Pattern, CompileError> {
        var text = pattern
        let compiled = text.withUTF8 { bytes in
            cre2_new(bytes.baseAddress, bytes.count, ignoringCase ? 1 : 0)
        }
        guard let compiled else {
            return .failure(CompileError(code: .outOfMemory, message: "out of memory compiling the pattern", fragment: 0..<pattern.utf8.count))
        }
        let code = cre2_error_code(compiled)
        guard code != 0 else { return .success(RE2Pattern(pattern: pattern, ignoringCase: ignoringCase, handle: compiled)) }
        defer { cre2_delete(compiled) }
        var offset = 0, length = pattern.utf8.count
        _ = cre2_error_location(compiled, &offset, &length)
        return .failure(CompileError(
            code: CompileError.Code(rawValue: code) ?? .internalError,
            message: String(cString: cre2_error(compiled)),
            fragment: offset..<(offset + length)))
    }

    /// Whether the pattern matches somewhere in `text` (anywhere, unless it anchors itself with
    /// `^`, `$`, `\A` or `\z`).
    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            cre2_partial_match(handle, bytes.baseAddress, bytes.count) != 0
        }
    }
}
