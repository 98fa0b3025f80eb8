import BackupJobs
import Foundation
import Testing

@testable import RuleLanguage

struct CheckerTests {
    static let packURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/benchmark/pack.rules")

    @Test func theBenchmarkPackCompilesCleanlyWithTheNineRules() throws {
        let source = SourceFile(name: "pack.rules", text: try String(contentsOf: Self.packURL, encoding: .utf8))
        let (program, diagnostics) = RuleSet.compile([source])
        #expect(diagnostics.isEmpty, "\(diagnostics.map { "\($0.code.rawValue): \($0.message)" })")
        let rules = try #require(program).rules
        #expect(rules.map(\.id) == [
            "ebs-daily", "iam-role-name", "no-stuck-jobs", "failure-rate", "db-latest-completed", "windows-vss",
            "backup-duration", "plan-coverage", "dynamodb-weekly-count",
        ])
        #expect(rules.map(\.subject) == [
            .group(.resource), .job(.backupJob), .job(.backupJob), .group(.account), .group(.resource), .job(.backupJob), .job(.backupJob), .group(.resource), .group(.resource),
        ])
        #expect(rules[0].severity == .high && rules[0].controls == ["SOC2 CC7.4", "ISO27001 A.8.13"])
        #expect(rules[0].location.line == 7)
        #expect(rules[0].bodyText == "every resource where ResourceType == \"EBS\" has job where State == COMPLETED and CompletionDate within rpo")
    }

    @Test func parametersAreSubstitutedAndOverridesTypeChecked() throws {
        let text = "param rpo = 24h\n" + rule("every resource has job where CompletionDate within rpo")
        let program = try #require(compileClean(text, overrides: [("rpo", "48h")]))
        #expect(program.parameters["rpo"] == .duration(172_800_000))
        guard case .every(nil, .count(.atLeast(1), let records)) = program.rules[0].body, records.kind == .backupJob,
              let filter = records.filter,
              case .clause("CompletionDate within rpo", .and(let parts)) = filter,
              case .compare(.greaterOrEqual, .field(.stored(StoredField(.completionDate))), .arithmetic(.minus, .now, .constant(.duration(172_800_000)), _, _)) = parts[0]
        else {
            Issue.record("unexpected lowering: \(program.rules[0].body)")
            return
        }
    }

    /// The library names no command-line flag: an override's diagnostics point into a source
    /// named after the parameter (`parameter rpo`), or as the caller names it.
    @Test(arguments: [("5%", DiagnosticCode.invalidParameterValue), ("now", .invalidParameterValue), ("rp", .unknownParameter)])
    func overrideDiagnosticsNameTheParameterNotAFlag(value: String, code: DiagnosticCode) throws {
        let text = "param rpo = 24h\n" + rule("every resource has job where CompletionDate within rpo")
        let name = code == .unknownParameter ? value : "rpo", given = code == .unknownParameter ? "48h" : value
        let (_, diagnostics) = RuleSet.compile([SourceFile(name: "test.rules", text: text)], overrides: [ParameterOverride(name: name, value: given)])
        let diagnostic = try #require(diagnostics.first { $0.code == code }, "\(diagnostics.map(\.message))")
        #expect(diagnostic.file == "parameter \(name)")
        for text in [diagnostic.message] + diagnostic.notes.map(\.message) {
            #expect(!text.contains("--"), "a library message names a flag: \(text)")
        }
        let named = RuleSet.compile(
            [SourceFile(name: "test.rules", text: text)], overrides: [ParameterOverride(name: name, value: given, sourceName: "--param \(name)")])
        #expect(named.diagnostics.first { $0.code == code }?.file == "--param \(name)")
    }

    @Test func withinLowersToAClosedWindowEndingNow() throws {
        let program = try #require(compileClean(rule("every job satisfies CreationDate within 7d")))
        guard case .every(nil, .satisfies(.clause("CreationDate within 7d", .and(let parts)))) = program.rules[0].body, parts.count == 2,
              case .compare(.lessOrEqual, .field(.stored(StoredField(.creationDate))), .now) = parts[1] else {
            Issue.record("unexpected lowering")
            return
        }
    }

    @Test(arguments: [
        "every job satisfies State == COMPLETED",
        "every job satisfies State == \"COMPLETED\"",
        "every job satisfies State in [COMPLETED, \"PARTIAL\"]",
        "every job satisfies BackupSizeInBytes > 500 GiB or BackupSizeInBytes > 0",
        "every job satisfies RecoveryPointLifecycle.DeleteAfterDays >= 35",
        "every job satisfies BackupOptions.WindowsVSS == \"enabled\" ignoring case or BackupOptions.WindowsVSS matches \"(?i)^en\"",
        "every job satisfies CreatedBy exists and CreatedBy.BackupPlanId is missing",
        "every job satisfies CompletionDate - CreationDate <= 8h and Duration <= 8h",
        "every job satisfies CreationDate after now - 2w and CreationDate before 2027-01-01T00:00Z",
        "every job satisfies Region in [\"us-east-1\", \"eu-west-1\"] and RoleName starts with \"AWSBackup\"",
        "every job satisfies CompletedWithIssues == false and IsParent == false",
        "every job satisfies extra(\"ScanStatus\") == \"CLEAN\" or extra(\"Score\") > 3",
        "every resource satisfies ResourceType == \"EBS\" and Region == \"eu-west-1\" and ResourceName exists",
        "every resource satisfies max(jobs where Finished, CompletionDate) within 24h and median(jobs, Duration) < 1h",
        "every account satisfies sum(jobs, BackupSizeInBytes) < 10 TiB and distinct(jobs, ResourceArn) >= 1",
        "every plan satisfies earliest(jobs).CreationDate before now - 1d and CreatedBy.BackupPlanId exists",
        "every vault satisfies count(jobs where State == FAILED) <= 3 and BackupVaultName == \"prod\"",
        "every group by CreatedBy.BackupRuleId satisfies share(jobs, State == COMPLETED) >= 95%",
        "every group by BackupOptions.WindowsVSS has job",
        "every resource type has at least 1 job where Finished in each of the last 7 days",
        "every resource has exactly 0 jobs where State == EXPIRED",
        "no account where share(jobs where Finished, State == FAILED) > 10%",
        "every job satisfies -Duration < 0h and BackupSizeInBytes / 2 < 1 TB and 2 * Duration < 16h",
    ])
    func typeChecks(_ body: String) {
        _ = compileClean(rule(body))
    }

    @Test(arguments: [
        ("every job satisfies 1️⃣State > COMPLETED", DiagnosticCode.mismatch),
        ("every job satisfies 1️⃣Duration == 5 GB", .mismatch),
        ("every job satisfies 1️⃣BackupSizeInBytes contains \"5\"", .mismatch),
        ("every job satisfies CreationDate within 1️⃣2027-01-01", .mismatch),
        ("every job satisfies 1️⃣Duration within 24h", .mismatch),
        ("every job satisfies 1️⃣CreationDate + CreationDate > now", .mismatch),
        ("every job satisfies IamRoleArn contains 1️⃣RoleName", .mismatch),
        ("every job satisfies State in 1️⃣\"COMPLETED\"", .mismatch),
        ("every job satisfies 1️⃣CreatedBy == \"x\"", .mismatch),
                ("every job satisfies CreatedBy.1️⃣BackupPlanID exists", .unknownField),
        ("every resource has job 1️⃣satisfies Finished", .unknownMetadata),
        ("every job 1️⃣has job where Finished", .mismatch),
        ("every job 1️⃣latest job satisfies Finished", .mismatch),
        ("every account satisfies 1️⃣latest(jobs) == 3", .mismatch),
        ("every account satisfies sum(jobs, 1️⃣CreationDate) > 0", .mismatch),
        ("every account satisfies count(jobs where 1️⃣count(jobs) > 1) > 1", .aggregateOutsideGroup),
        ("every job satisfies State in [COMPLETED, 1️⃣COMPLETE]", .unknownEnumValue),
        ("every job satisfies State == 1️⃣\"COMPLETE\"", .unknownEnumValue),
        ("every resource has job in each of the last 1️⃣0 days", .invalidCount),
        ("every group by 1️⃣count(jobs) satisfies Finished", .aggregateOutsideGroup),
    ])
    func rejects(_ body: String, _ code: DiagnosticCode) {
        assertDiagnostics(rule(body), [DiagnosticSpec(code)], ignoring: [.notACondition])
    }

    @Test func waiversCompileWithTheirExpiry() throws {
        let text = rule("every resource has job where Finished", id: "ebs-daily")
            + "waive ebs-daily for \"arn:aws:ec2:us-east-1:1:volume/vol-1\" until 2027-01-31 because \"decommissioned\"\n"
            + "waive ebs-daily where ResourceName starts with \"tmp-\" until 2027-01-31T12:00:00Z because \"temporary\"\n"
        let program = try #require(compileClean(text))
        #expect(program.waivers.count == 2)
        #expect(program.waivers[0].expires == Timestamp(iso8601: "2027-02-01T00:00:00Z"))
        #expect(program.waivers[1].expires == Timestamp(iso8601: "2027-01-31T12:00:00Z"))
        guard case .subjects(let ids) = program.waivers[0].target else { Issue.record("target"); return }
        #expect(ids == ["arn:aws:ec2:us-east-1:1:volume/vol-1"])
    }

    @Test func aDirectoryIsOneRuleSet() {
        let a = SourceFile(name: "a.rules", text: "param rpo = 24h\n" + rule("every job satisfies CreationDate within rpo", id: "x"))
        let b = SourceFile(name: "b.rules", text: rule("every job satisfies CompletionDate within rpo", id: "x"))
        let (program, diagnostics) = RuleSet.compile([a, b])
        #expect(program == nil)
        #expect(diagnostics.map(\.code) == [.duplicateRule])
        #expect(diagnostics.first?.notes.first?.message == "first used in a.rules at 2:6")
    }
}

struct RenderingTests {
    @Test func rendersLikeRustcWithCaretsUnderWideCharacters() {
        let source = SourceFile(name: "r.rules", text: rule("every job where ResourceName == \"日本🎌\" satisfies IamRoleARN exists"))
        let (_, diagnostics) = RuleSet.compile([source])
        let text = DiagnosticRenderer.render(diagnostics, sources: ["r.rules": source])
        #expect(text == """
            r.rules:3:51: error[type.unknown-field]: unknown field 'IamRoleARN'
              |
            3 |   every job where ResourceName == "日本🎌" satisfies IamRoleARN exists
              |                                                      ^^^^^^^^^^
              = note: did you mean 'IamRoleArn'?
            """)
    }

    /// A line is laid out once per render call: every diagnostic on it, and a line of the same
    /// number in another file, must still get its own carets.
    @Test func diagnosticsSharingALineOrALineNumberEachGetTheirCarets() {
        let a = SourceFile(name: "a.rules", text: "x\n日本 é\tzz")
        let b = SourceFile(name: "b.rules", text: "y\nabcdef")
        func diagnostic(_ file: SourceFile, _ start: Int, _ end: Int) -> Diagnostic {
            Diagnostic(.unexpectedToken, "m", file: file.name, at: SourceRange(start, end))
        }
        // Line 2 starts at offset 2; in a.rules: 日 2..<5, 本 5..<8, space 8, é 9..<11, tab 11, z 12, z 13.
        let diagnostics = [
            diagnostic(a, 9, 11),   // é after "日本 ": five columns before it
            diagnostic(a, 2, 8),    // 日本: four carets
            diagnostic(b, 4, 7),    // "cde" on the other file's line 2
            diagnostic(a, 12, 14),  // zz after the tab (one column as the text keeps it): seven before
            diagnostic(a, 14, 14),  // an empty range at the end of the line: one caret
        ]
        let underlines = DiagnosticRenderer.render(diagnostics, sources: [a.name: a, b.name: b])
            .components(separatedBy: "\n\n").map { $0.components(separatedBy: "\n").last }
        #expect(underlines == ["  |      ^", "  | ^^^^", "  |   ^^^", "  |        ^^", "  |          ^"])
        // Each alone renders the same as in the batch.
        #expect(diagnostics.map { DiagnosticRenderer.render($0, sources: [a.name: a, b.name: b]) }.joined(separator: "\n\n")
            == DiagnosticRenderer.render(diagnostics, sources: [a.name: a, b.name: b]))
    }

    /// A line wider than the window is cut around the range with `…` on either side, and the
    /// carets stay under the range.
    @Test func aLongLineIsShownAsAWindowAroundTheRange() {
        let line = String(repeating: "a", count: 300) + "日本" + String(repeating: "b", count: 300)
        let source = SourceFile(name: "r.rules", text: line)
        let start = 300, end = 306  // 日本: two characters, four columns
        let rendered = DiagnosticRenderer.render(
            [Diagnostic(.unexpectedToken, "m", file: source.name, at: SourceRange(start, end))], sources: [source.name: source])
        let lines = rendered.components(separatedBy: "\n")
        let shown = String(lines[2].dropFirst("1 | ".count)), underline = String(lines[3].dropFirst("  | ".count))
        #expect(shown.hasPrefix("…a") && shown.hasSuffix("b…"))
        #expect(shown.count <= DiagnosticRenderer.LineLayout.maximumColumns + 2)
        let caretColumn = underline.count - underline.drop(while: { $0 == " " }).count
        #expect(underline.hasSuffix("^^^^") && underline.filter { $0 == "^" }.count == 4)
        // Under the carets, in the shown text: 日 (a wide character takes the carets' first two columns).
        var column = 0
        let under = shown.first { character in
            defer { column += DiagnosticRenderer.displayWidth(character) }
            return column == caretColumn
        }
        #expect(under == "日")
    }

    @Test func columnsCountCharacters() {
        let source = SourceFile(name: "r", text: "a\n日本🎌x")
        #expect(source.position(of: Array("a\n日本🎌".utf8).count) == SourceFile.Position(line: 2, column: 4))
    }
}
