import BackupJobs
import Testing

@testable import RuleLanguage

/// Values as people write them: one error for one mistake, about what it is.
struct WrittenValueTests {
    static let now = Timestamp(iso8601: "2026-11-28T12:00:00Z")!

    /// One time syntax for rule files and the command line (`--now`, `--by-created-after`): the
    /// lexer and `Timestamp(written:)` accept and refuse the same texts.
    @Test(arguments: [
        ("2026-11-28", "2026-11-28T00:00:00.000Z"),
        ("2026-11-28T12:00Z", "2026-11-28T12:00:00.000Z"),
        ("2026-11-28T12:00", "2026-11-28T12:00:00.000Z"),
        ("2026-11-28T12:00:30Z", "2026-11-28T12:00:30.000Z"),
        ("2026-11-28T12:00:30.5Z", "2026-11-28T12:00:30.500Z"),
        ("2026-11-28T12:00+02:00", "2026-11-28T10:00:00.000Z"),
        ("2026-11-28T12:00:00-0130", "2026-11-28T13:30:00.000Z"),
        ("2027-02-30", nil),
        ("2026-11-28T24:00Z", nil),
        ("2026-11-28T12Z", nil),
        ("2026-11-28 12:00:00", nil),
        ("2026-11-28t12:00:00z", nil),
        ("2026-11-28T12:00:00,5Z", nil),
    ] as [(String, String?)])
    func oneTimeSyntax(_ text: String, _ expected: String?) {
        #expect(Timestamp(written: text)?.iso8601 == expected)
        let (program, diagnostics) = RuleSet.compile([SourceFile(name: "t.rules", text: "param t = \(text)\n" + rule("every job satisfies CreationDate before t"))])
        #expect((program != nil) == (expected != nil), "\(diagnostics.map(\.message))")
        if let expected { #expect(program?.parameters["t"] == .timestamp(Timestamp(iso8601: expected)!)) }
    }

    @Test func aDayTheMonthDoesNotHaveIsOneErrorAndNoExpiredWaiver() {
        assertDiagnostics(
            rule("every job satisfies Finished") + "waive r for \"J\" until 1️⃣2027-02-30 because \"x\"\n",
            [DiagnosticSpec(.invalidTimestamp, message: "'2027-02-30' is not a valid date (write 2027-01-31 or 2027-01-31T12:00:00Z)")],
            now: Self.now)
    }

    @Test func aRuleIDStartingWithADigitIsOneErrorAboutRuleIDs() {
        assertDiagnostics(
            "rule 1️⃣9abc {\n  title \"t\"\n  every job satisfies Finished\n}\n",
            [DiagnosticSpec(.invalidRuleID, message: "a rule id must start with a letter, found '9abc'")])
    }

    @Test func digitsAndLettersInsideARuleIDAreNoDuration() {
        let text = rule("every job satisfies Finished", id: "r-9abc")
            + "waive r-9abc for \"J\" until 2027-01-31 because \"x\"\n"
            + "test \"t\" {\n  now 2026-11-28T12:00:00Z\n  job { State = COMPLETED }\n  expect r-9abc passes\n}\n"
        let (program, diagnostics) = RuleSet.compile([SourceFile(name: "t.rules", text: text)], now: Self.now)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        #expect(program?.rules.map(\.id) == ["r-9abc"])
    }

    @Test func numbersMayHaveAnExponentAndOneOutOfRangeIsSaidToBe() throws {
        let declared = "param x = 1\n" + rule("every job satisfies BackupSizeInBytes > x")
        let program = try #require(RuleSet.compile([SourceFile(name: "t.rules", text: declared)], overrides: [ParameterOverride(name: "x", value: "2.5e3")]).program)
        #expect(program.parameters["x"] == .number(2500))
        assertDiagnostics(
            declared, [DiagnosticSpec(.outOfRange, at: nil, message: "the number 1e400 is out of range: numbers range over ±1.8e308")],
            overrides: [("x", "1e400")])
        assertDiagnostics(
            rule("every job satisfies BackupSizeInBytes > 1️⃣1" + String(repeating: "0", count: 400)),
            [DiagnosticSpec(.outOfRange)])
    }
}
