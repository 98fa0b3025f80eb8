import BackupJobs
import Testing

@testable import RuleLanguage

struct LexerTests {
    static func kinds(_ text: String) -> [Token.Kind] {
        Lexer.tokenize(SourceFile(name: "t", text: text)).tokens.map(\.kind).dropLast()
    }

    @Test(arguments: [
        ("90m", Token.Kind.duration(5_400_000)), ("24h", .duration(86_400_000)), ("7d", .duration(604_800_000)),
        ("2w", .duration(1_209_600_000)), ("1h30m", .duration(5_400_000)), ("500ms", .duration(500)), ("30s", .duration(30_000)),
        ("5%", .percent(0.05)), ("12.5%", .percent(0.125)), ("500MiB", .size(524_288_000)), ("1GB", .size(1_000_000_000)),
        ("42", .number("42")), ("0.5", .number("0.5")),
        ("2027-01-31", .timestamp(Timestamp(iso8601: "2027-01-31T00:00:00Z")!, isDate: true)),
        ("2027-01-31T12:00Z", .timestamp(Timestamp(iso8601: "2027-01-31T12:00:00Z")!, isDate: false)),
        ("2027-01-31T12:00:00+02:00", .timestamp(Timestamp(iso8601: "2027-01-31T10:00:00Z")!, isDate: false)),
        (#""a\"b\\c\n\u{E9}""#, .string("a\"b\\c\né")), ("\"日本 🎌\"", .string("日本 🎌")),
    ])
    func literals(_ text: String, _ kind: Token.Kind) {
        #expect(Self.kinds(text) == [kind])
    }

    /// What reports write (`DurationUnit.literal`) reads back as the same duration in a rule.
    @Test(arguments: [1, 999, 1000, 5_400_000, 86_400_000, 604_800_000 + 86_400_000 + 3_600_000 + 60_000 + 1001, Int64.max] as [Int64])
    func aDurationAsReportsWriteItLexesBack(_ milliseconds: Int64) {
        #expect(Self.kinds(DurationUnit.literal(milliseconds)) == [.duration(milliseconds)])
    }

    @Test func punctuationAndWords() {
        #expect(Self.kinds("a==b != <= >= < > ( ) [ ] { } , . = + - * /") == [
            .identifier("a"), .punctuation("=="), .identifier("b"), .punctuation("!="), .punctuation("<="), .punctuation(">="),
            .punctuation("<"), .punctuation(">"), .punctuation("("), .punctuation(")"), .punctuation("["), .punctuation("]"),
            .punctuation("{"), .punctuation("}"), .punctuation(","), .punctuation("."), .punctuation("="), .punctuation("+"),
            .punctuation("-"), .punctuation("*"), .punctuation("/"),
        ])
        #expect(Self.kinds("now - 24h") == [.identifier("now"), .punctuation("-"), .duration(86_400_000)])
    }

    @Test func commentsAreKeptAndMarkedTrailing() {
        let (tokens, comments, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: "# head\nparam a = 1 # tail\n"))
        #expect(diagnostics.isEmpty)
        #expect(comments.map(\.text) == [" head", " tail"])
        #expect(comments.map(\.isTrailing) == [false, true])
        #expect(tokens.first?.startsLine == true)
    }
}

struct ParserTests {
    static func body(_ text: String) -> String {
        let (body, diagnostics) = Parser.parseBody(SourceFile(name: "t", text: text))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        return body.map(SyntaxDump.dump) ?? "nil"
    }

    @Test(arguments: [
        ("every job satisfies IamRoleArn contains \"AWSBackup\" or IamRoleArn contains \"AwsBackup\"",
         "(every job _ (satisfies (or (contains IamRoleArn \"AWSBackup\") (contains IamRoleArn \"AwsBackup\"))))"),
        ("no job where InFlight and CreationDate before now - 24h",
         "(no job (and InFlight (before CreationDate (- now 86400000ms))))"),
        ("every resource where ResourceType == \"EBS\" has job where State == COMPLETED and CompletionDate within rpo",
         "(every resource (== ResourceType \"EBS\") (has some (and (== State COMPLETED) (within CompletionDate rpo)) _))"),
        ("every account satisfies share(jobs where Finished and CreationDate within 7d, State != COMPLETED) <= 5%",
         "(every account _ (satisfies (<= (share (jobs (and Finished (within CreationDate 604800000ms))) (!= State COMPLETED)) 0.05%)))"),
        ("every resource has at least 7 jobs where State == COMPLETED",
         "(every resource _ (has (at-least 7) (== State COMPLETED) _))"),
        ("every resource has at most 2 jobs", "(every resource _ (has (at-most 2) _ _))"),
        ("every plan has exactly 1 job", "(every plan _ (has (exactly 1) _ _))"),
        ("every vault has no job where State == FAILED", "(every vault _ (has none (== State FAILED) _))"),
        ("every resource has job where State == COMPLETED in each of the last 7 days",
         "(every resource _ (has some (== State COMPLETED) 7))"),
        ("every resource type latest job where Finished satisfies State == COMPLETED",
         "(every resource-type _ (latest Finished (== State COMPLETED)))"),
        ("every group by CreatedBy.BackupRuleId satisfies count(jobs) >= 1",
         "(every (group (. CreatedBy BackupRuleId)) _ (satisfies (>= (count (jobs _)) 1)))"),
        ("every job satisfies not (State in [COMPLETED, PARTIAL]) or State not in [FAILED]",
         "(every job _ (satisfies (or (not (paren (in State [COMPLETED PARTIAL]))) (not in State [FAILED]))))"),
        ("every job satisfies RoleName starts with \"AWSBackup\" ignoring case and IamRoleArn ends with \"x\" and ResourceName matches \"^db-[0-9]+$\"",
         "(every job _ (satisfies (and (starts with/i RoleName \"AWSBackup\") (and (ends with IamRoleArn \"x\") (matches ResourceName \"^db-[0-9]+$\")))))"),
        ("every job satisfies ResourceName like \"prod-*\" and not (ResourceName like \"*-tmp\" ignoring case)",
         "(every job _ (satisfies (and (like ResourceName \"prod-*\") (not (paren (like/i ResourceName \"*-tmp\"))))))"),
        ("every job satisfies CompletionDate exists and StatusMessage is missing",
         "(every job _ (satisfies (and (exists CompletionDate) (missing StatusMessage))))"),
        ("every job satisfies CreationDate older than 2d or CreationDate after 2026-11-01",
         "(every job _ (satisfies (or (older than CreationDate 172800000ms) (after CreationDate 2026-11-01T00:00:00.000Z))))"),
        ("every job satisfies BackupSizeInBytes < 500 GiB * 2 + 1 GB / 2 - -1 KiB",
         "(every job _ (satisfies (< BackupSizeInBytes (- (+ (* 536870912000B 2) (/ 1000000000B 2)) (- 1024B)))))"),
        ("every account satisfies latest(jobs where Finished).State == COMPLETED and avg(jobs, Duration) < 2h",
         "(every account _ (satisfies (and (== (. (latest (jobs Finished)) State) COMPLETED) (< (avg (jobs _) Duration) 7200000ms))))"),
        ("every job satisfies extra(\"ScanStatus\") == \"CLEAN\"", "(every job _ (satisfies (== (extra \"ScanStatus\") \"CLEAN\")))"),
    ])
    func parsesEveryConstruct(_ text: String, _ tree: String) {
        #expect(Self.body(text) == tree)
    }

    @Test func precedenceIsOrAndNotComparisonSumProduct() {
        #expect(Self.body("every job satisfies not Finished and InFlight or IsParent") == "(every job _ (satisfies (or (and (not Finished) InFlight) IsParent)))")
        #expect(Self.body("every job satisfies Duration > 1h + 2h * 3") == "(every job _ (satisfies (> Duration (+ 3600000ms (* 7200000ms 3)))))")
    }

    @Test func parsesAFileOfEveryItemKind() throws {
        let text = """
            param rpo = 24h
            rule ebs-daily_2 {
              title "T"
              description "D"
              severity high
              controls "SOC2 CC7.4", "ISO27001 A.8.13"
              remediation "R"
              every resource where ResourceType == "EBS" has job where CompletionDate within rpo
            }
            waive ebs-daily_2 for "arn:a", "arn:b" until 2027-01-31 because "why"
            waive ebs-daily_2 where ResourceName starts with "tmp-" until 2027-01-31T12:00:00Z because "why"
            """
        let (file, diagnostics) = Parser.parse(SourceFile(name: "t", text: text))
        #expect(diagnostics.isEmpty)
        #expect(file.items.count == 4)
        guard case .rule(let rule) = file.items[1] else { Issue.record("no rule"); return }
        #expect(rule.id.text == "ebs-daily_2")
        #expect(rule.metadata.map(\.kind) == [.title, .description, .severity, .controls, .remediation])
    }

    @Test func recoversAndReportsSeveralErrorsPerFile() {
        let text = """
            rule a {
              title "A"
              every job satisfies State == )
            }
            rule b {
              title "B"
              every job satisfies Finished
            }
            param = 3
            rule c {
              title "C"
              every job satisfies (Finished
            }
            """
        let (file, diagnostics) = Parser.parse(SourceFile(name: "t", text: text))
        #expect(diagnostics.count == 3, "\(diagnostics.map(\.message))")
        #expect(file.items.compactMap { if case .rule(let r) = $0 { r.id.text } else { nil } } == ["a", "b", "c"])
    }

    @Test func aRuleMissingItsBraceStopsAtTheNextRule() {
        let (file, diagnostics) = Parser.parse(SourceFile(name: "t", text: "rule a {\n  title \"A\"\n  every job satisfies Finished\nrule b {\n  title \"B\"\n  every job satisfies Finished\n}\n"))
        #expect(diagnostics.map(\.code) == [.unexpectedToken])
        #expect(file.items.count == 2)
    }
}
