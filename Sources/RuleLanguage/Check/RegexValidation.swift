/// `matches` and `like` patterns are compiled by RE2 when rules are checked, so a bad pattern is
/// a diagnostic at its place (the fragment RE2 rejects, inside the string literal) and never a
/// failure halfway through an evaluation; the program carries the compiled pattern.
extension ExpressionChecker {
    /// The text test for `X matches PATTERN` or `X like GLOB`, or `nil` after reporting why the
    /// pattern does not compile. `written` is the expression that gave the pattern.
    mutating func patternTest(_ op: MatchOperator, _ pattern: String, ignoringCase: Bool, written: Expr) -> TextTest? {
        if op == .like {
            switch Glob.regularExpression(for: pattern) {
            case .failure(let problem):
                report(.invalidGlob, "this like pattern ends in a '\\' that escapes nothing",
                       at: fragmentRange(problem.offset..<(problem.offset + 1), of: written),
                       notes: [.init(#"write "\\\\" for a literal backslash: like "C:\\\\*" matches texts starting with C:\"#)])
                return nil
            case .success(let regex):
                switch RE2Pattern.compile(regex, ignoringCase: ignoringCase) {
                case .success(let compiled): return .like(pattern, compiled)
                case .failure(let error):
                    // Only size can fail here: the translation quotes every literal character.
                    report(.invalidGlob, "this like pattern cannot be compiled: \(error.message)", at: written.range,
                           notes: Self.notes(for: error, in: regex))
                    return nil
                }
            }
        }
        switch RE2Pattern.compile(pattern, ignoringCase: ignoringCase) {
        case .success(let compiled): return .matches(compiled)
        case .failure(let error):
            report(.invalidRegex, "invalid regular expression: \(error.message)", at: fragmentRange(error.fragment, of: written),
                   notes: Self.notes(for: error, in: pattern))
            return nil
        }
    }

    /// Where a fragment of the pattern is written: inside the string literal when the pattern is
    /// one, else the whole expression (a parameter's name).
    func fragmentRange(_ fragment: Range<Int>, of written: Expr) -> SourceRange {
        let literal = Self.unparenthesized(written)
        guard case .string = literal.kind else { return written.range }
        return StringLiteralOffsets.range(of: fragment, inLiteralAt: literal.range, of: source)
    }

    /// What RE2's message leaves unsaid: what it does not have on purpose, and what to write instead.
    static func notes(for error: RE2Pattern.CompileError, in pattern: String) -> [Diagnostic.Note] {
        let bytes = Array(pattern.utf8)
        let fragment = String(decoding: bytes[error.fragment.clamped(to: 0..<bytes.count)], as: UTF8.self)
        let next = error.fragment.upperBound < bytes.count ? bytes[error.fragment.upperBound] : nil
        let linear = "RE2 runs in linear time, so no rule can stall a gate, and has no backreferences or lookaround"
        switch error.code {
        case .badEscape where fragment.count == 2 && (fragment.last?.isNumber == true || fragment == #"\g"# || fragment == #"\k"#):
            return [.init("\(linear); test the repeated text with its own condition (X contains \"...\")")]
        case .badPerlOp where fragment == "(?=" || fragment == "(?!" || (fragment == "(?<" && (next == UInt8(ascii: "=") || next == UInt8(ascii: "!"))):
            return [.init("\(linear); join two conditions instead: X matches \"A\" and not (X matches \"B\")")]
        case .badPerlOp where fragment == "(?<":
            return [.init("RE2 names a group (?P<name>...); a rule has no use for names, so (...) says the same")]
        case .badPerlOp where fragment == "(?>":
            return [.init("RE2 has no atomic groups and needs none, since it never backtracks: write (?:...)")]
        case .repeatOp where fragment.count == 2 && fragment.hasSuffix("+"):
            return [.init("RE2 has no possessive quantifiers and needs none, since it never backtracks: write \(fragment.dropLast())")]
        case .repeatSize:
            return [.init("RE2 counts repetitions up to {1000}, the smaller count first, and nested counts multiply")]
        case .patternTooLarge:
            return [.init("RE2 bounds a compiled pattern at 8 MiB, so no rule can exhaust memory")]
        default:
            return []
        }
    }
}
