import Testing

@testable import RuleLanguage

/// `matches` takes RE2's syntax, compiled when rules are checked; what RE2 rejects is an error at
/// the fragment it names, inside the string literal. `like` globs compile to anchored RE2 patterns.
struct PatternTests {
    static let linear = "RE2 runs in linear time, so no rule can stall a gate, and has no backreferences or lookaround"
    static let backreferenceNote = linear + "; test the repeated text with its own condition (X contains \"...\")"
    static let lookaroundNote = linear + "; join two conditions instead: X matches \"A\" and not (X matches \"B\")"

    @Test(arguments: [
        (#"every job satisfies StatusMessage matches "(a)1️⃣\\1""#, "invalid escape sequence: \\1", backreferenceNote),
        (#"every job satisfies IamRoleArn matches "role/1️⃣(?!Admin)""#, "invalid perl operator: (?!", lookaroundNote),
        (#"every job satisfies IamRoleArn matches "x1️⃣(?=y)""#, "invalid perl operator: (?=", lookaroundNote),
        (#"every job satisfies IamRoleArn matches "1️⃣(?<=role/)AWS""#, "invalid perl operator: (?<", lookaroundNote),
        (#"every job satisfies IamRoleArn matches "1️⃣(?<!role/)AWS""#, "invalid perl operator: (?<", lookaroundNote),
        (#"every job satisfies ResourceName matches "db-[0-9]1️⃣++""#, "bad repetition operator: ++",
         "RE2 has no possessive quantifiers and needs none, since it never backtracks: write +"),
        (#"every job satisfies ResourceName matches "1️⃣(?<name>db)""#, "invalid perl operator: (?<",
         "RE2 names a group (?P<name>...); a rule has no use for names, so (...) says the same"),
        (#"every job satisfies ResourceName matches "1️⃣(?>db)""#, "invalid perl operator: (?>",
         "RE2 has no atomic groups and needs none, since it never backtracks: write (?:...)"),
        // RE2 repeats the fragment rather than giving its place: the second {100} is the one too many.
        (#"every job satisfies ResourceName matches "((a{100})1️⃣{100}){100}""#, "invalid repetition size: {100}",
         "RE2 counts repetitions up to {1000}, the smaller count first, and nested counts multiply"),
        // Escapes in the literal shift the fragment: é is two bytes of the value, \" and \\ one each.
        (#"every job satisfies StatusMessage matches "\u{E9}\"\\d1️⃣(?=x)""#, "invalid perl operator: (?=", lookaroundNote),
    ])
    func rejectsWhatRE2DoesNotHaveAtTheFragment(_ body: String, _ message: String, _ note: String) {
        assertDiagnostics(rule(body), [DiagnosticSpec(.invalidRegex, message: "invalid regular expression: \(message)", notes: [note])])
    }

    @Test func theFragmentSpansItsEscapesAndColumnsCountCharacters() throws {
        let text = rule(#"every job satisfies StatusMessage matches "日本\\1""#)
        let source = SourceFile(name: "t.rules", text: text)
        let diagnostic = try #require(RuleSet.compile([source]).diagnostics.first)
        #expect(source.text(diagnostic.range) == #"\\1"#)
        #expect(source.position(of: diagnostic.range.start) == .init(line: 3, column: 48))
    }

    @Test func aPatternFromAParameterIsReportedWhereItIsUsed() {
        assertDiagnostics("param pattern = \"(?=x)\"\n" + rule("every job satisfies StatusMessage matches 1️⃣pattern"),
                          [DiagnosticSpec(.invalidRegex, notes: [Self.lookaroundNote])])
    }

    @Test(arguments: [
        #"^db-[0-9]+$"#, #"(?i)^AWS"#, #"\\pL+\\p{Greek}"#, #"[[:alpha:]_]{1,1000}"#, #"(?P<env>prod|dev)-\\d+"#,
        #"\\Qa.b*\\E"#, #"\\bword\\B"#, #"(?s:a.b)"#, #"a*?b+?c??"#, #"\\x{1F600}|\\x41"#,
    ])
    func acceptsRE2Syntax(_ pattern: String) {
        _ = compileClean(rule(#"every job satisfies StatusMessage matches "\#(pattern)""#))
    }

    @Test func aTrailingBackslashInAGlobIsAnError() {
        assertDiagnostics(rule(#"every job satisfies ResourceName like "C:1️⃣\\""#),
                          [DiagnosticSpec(.invalidGlob, message: "this like pattern ends in a '\\' that escapes nothing")])
        _ = compileClean(rule(#"every job satisfies ResourceName like "C:\\\\*""#))
    }

    @Test func likeNeedsTextOnBothSides() {
        assertDiagnostics(rule("every job satisfies 1️⃣Duration like \"1*\""), [DiagnosticSpec(.mismatch)])
        assertDiagnostics(rule("every job satisfies ResourceName like 1️⃣5"), [DiagnosticSpec(.mismatch)])
    }

    @Test func likeLowersToTheGlobAndItsAnchoredPattern() throws {
        let program = try #require(compileClean(rule(#"every job satisfies ResourceName like "prod-*" ignoring case"#)))
        guard case .every(nil, .satisfies(.clause(let text, .text(.like(let glob, let compiled), .field, ignoringCase: true)))) = program.rules[0].body else {
            Issue.record("unexpected lowering: \(program.rules[0].body)")
            return
        }
        #expect(text == #"ResourceName like "prod-*" ignoring case"#)
        #expect(glob == "prod-*")
        #expect(compiled.pattern == #"(?s)\Aprod\-.*\z"#)
        #expect(compiled.ignoringCase)
    }

    @Test(arguments: [
        ("prod-*", #"(?s)\Aprod\-.*\z"#),
        ("*-db-?", #"(?s)\A.*\-db\-.\z"#),
        ("a**b", #"(?s)\Aa.*b\z"#),
        (#"\*\?\\x"#, #"(?s)\A\*\?\\x\z"#),
        ("", #"(?s)\A\z"#),
        ("é.(日)$\0", #"(?s)\Aé\.\(日\)\$\x00\z"#),
    ])
    func globsBecomeAnchoredPatternsWithLiteralsQuoted(_ glob: String, _ pattern: String) {
        #expect(Glob.regularExpression(for: glob) == .success(pattern))
    }

    @Test func aGlobEndingInAnUnpairedBackslashIsRejectedAtIt() {
        #expect(Glob.regularExpression(for: #"日\"#) == .failure(Glob.TrailingBackslash(offset: 3)))
        #expect(Glob.regularExpression(for: #"a\\\"#) == .failure(Glob.TrailingBackslash(offset: 3)))
    }

    @Test func compiledPatternsMatchUnanchoredAndFoldCaseWhenAsked() throws {
        let plain = try RE2Pattern.compile("ok[0-9]").get()
        #expect(plain.matches("not ok7 here") && !plain.matches("OK7") && !plain.matches(""))
        let folded = try RE2Pattern.compile("straße", ignoringCase: true).get()
        #expect(folded.matches("STRASSE") == false && folded.matches("STRAẞE") && folded.matches("Straße"))
        #expect(try RE2Pattern.compile("^$").get().matches(""))
        #expect(try RE2Pattern.compile("a\0b").get().matches("xa\0by"))
    }

    @Test func catastrophicBacktrackingPatternsFinish() throws {
        // Exponential for a backtracking engine; RE2 answers in one pass over the text.
        let pattern = try RE2Pattern.compile("^([A-Za-z]+ ?)+$").get()
        #expect(!pattern.matches(String(repeating: "a", count: 5_000) + "!"))
        #expect(pattern.matches(String(repeating: "ab ", count: 5_000)))
    }
}
