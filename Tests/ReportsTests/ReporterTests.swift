import BackupJobs
import Foundation
import FoundationXML
import TestSupport
@testable import Reports
import RuleEngine
import RuleLanguage
import Testing

/// A fixed evaluation with every kind of outcome, rendered by every reporter and compared with
/// golden files (rewritten only with UPDATE_GOLDENS=1).
struct ReporterTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let goldens = root.appendingPathComponent("Tests/ReportsTests/Goldens")
    static let shared = ProcessInfo.processInfo.environment["BACKUP_AUDIT_SHARED"].map { URL(fileURLWithPath: $0) }
        ?? root.deletingLastPathComponent().appendingPathComponent("shared")

    static let rules = """
        param rpo = 24h

        rule ebs-daily {
          title "Every EBS volume has a completed backup within the RPO"
          severity high
          controls "SOC2 CC7.4", "ISO27001 A.8.13"
          remediation "Check the plan's resource selection and the last job's StatusMessage."

          every resource where ResourceType == "EBS" has job where State == COMPLETED and CompletionDate within rpo
        }

        rule iam-role-name {
          title "Every job runs with a role made for AWS Backup"

          every job satisfies IamRoleArn contains "AWSBackup" or IamRoleArn contains "AwsBackup"
        }

        rule failure-rate {
          title "At most 5% of each account's finished jobs failed"
          severity critical

          every account satisfies share(jobs where Finished, State != COMPLETED) <= 5%
        }

        rule dynamodb-weekly {
          title "DynamoDB tables are backed up weekly"
          severity low

          every resource where ResourceType == "DynamoDB" has at least 7 jobs
        }

        rule no-stuck-jobs {
          title "No job is stuck"

          no job where InFlight and CreationDate before now - 24h
        }

        waive ebs-daily for "arn:aws:ec2:eu-west-1:111111111111:volume/vol-waived"
          until 2027-01-31 because "Volume is being decommissioned (OPS-1234)"
        waive no-stuck-jobs for "stuck-1"
          until 2027-01-31 because "AWS support case 42 & <friends>"

        rule prod-accounts {
          title "Jobs of the production accounts run with a role"

          every job where AccountId in ["111111111111", "22222222222|<2>`"] satisfies IamRoleArn exists
        }

        """

    static func context() async throws -> ReportContext {
        let source = SourceFile(name: "rules/baseline.rules", text: rules)
        let program = try #require(RuleSet.compile([source]).program)
        let jobs: [BackupJob] = [
            job("ok-1", resource: "arn:aws:ec2:eu-west-1:111111111111:volume/vol-ok"),
            job("fail-1", .failed, resource: "arn:aws:ec2:eu-west-1:111111111111:volume/vol-bad", createdHoursAgo: 30,
                message: "Access denied\u{1B}[31m <script>&amp; \"quoted\", =HYPERLINK(\"x\")"),
            job("waived-1", .failed, resource: "arn:aws:ec2:eu-west-1:111111111111:volume/vol-waived"),
            job("admin-1", resource: "arn:aws:ec2:eu-west-1:111111111111:volume/vol-ok", role: "=cmd|' /C calc'!A0"),
            job("stuck-1", .running, createdHoursAgo: 40),
        ]
        var evaluation = await Evaluator.evaluate(program, listing: Listing(RecordTable(jobs)), now: Timestamp(iso8601: "2026-11-28T12:00:00Z")!)
        for index in evaluation.results.indices { evaluation.results[index].duration = 0.0123 * Double(index) }
        let file = InputFile(path: "examples/jobs.json", sha256: String(repeating: "ab", count: 32), storedBytes: 4096, bytes: 4096,
                             jobsRead: jobs.count, isCompressed: false)
        var input = InputRecord(path: "examples/jobs.json")
        input.files = [file]
        return ReportContext(evaluation: evaluation, inputs: [input], ruleFiles: ["rules/baseline.rules"],
                             parameters: program.parameters, toolVersion: "0.0.0-test", hostname: "ci-runner")
    }

    static func check(_ bytes: [UInt8], golden name: String, structural: Bool = false, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let url = goldens.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            try Data(bytes).write(to: url)
            return
        }
        let expected = try Data(contentsOf: url)
        if structural {
            let a = try JSONSerialization.jsonObject(with: Data(bytes)) as! NSDictionary
            let b = try JSONSerialization.jsonObject(with: expected) as! NSDictionary
            #expect(a == b, "differs from Goldens/\(name)", sourceLocation: sourceLocation)
        } else {
            #expect(String(decoding: bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
                    "differs from Goldens/\(name); UPDATE_GOLDENS=1 rewrites it", sourceLocation: sourceLocation)
        }
    }

    @Test func text() async throws {
        try Self.check(try TextReporter().render(try await Self.context()), golden: "report.txt")
        try Self.check(try TextReporter(verbose: true).render(try await Self.context()), golden: "report-verbose.txt")
    }

    @Test func textColourIsOnlyWhenAsked() async throws {
        let coloured = String(decoding: try TextReporter(color: true).render(try await Self.context()), as: UTF8.self)
        #expect(coloured.contains("\u{1B}[1;31m✗ FAIL\u{1B}[0m"))
        let plain = String(decoding: try TextReporter().render(try await Self.context()), as: UTF8.self)
        #expect(!plain.contains("\u{1B}[1;"))
    }

    @Test func json() async throws {
        let bytes = try JSONReporter().render(try await Self.context())
        try Self.check(bytes, golden: "report.json", structural: true)
        let document = try JSONSerialization.jsonObject(with: Data(bytes)) as! [String: Any]
        #expect(document["schemaVersion"] as? Int == 1)
        let rules = document["rules"] as! [[String: Any]]
        #expect(Set(rules.map { $0["status"] as! String }) == ["pass", "fail", "waived", "empty"])
        let findings = rules.flatMap { $0["findings"] as! [[String: Any]] }
        #expect(Set(findings.map { $0["status"] as! String }) == ["fail", "waived"])
        let warnings = document["warnings"] as! [[String: Any]]
        #expect(warnings.count == 1 && (document["summary"] as! [String: Any])["warnings"] as? Int == 1)
        #expect(warnings.first?["rule"] as? String == "prod-accounts" && warnings.first?["valuesSeen"] as? [String] == ["111111111111"])
        #expect(warnings.first?["message"] as? String == "AccountId == \"22222222222|<2>`\" matched no job; values seen: 111111111111")
    }

    /// A value that matched no job shows in every format, and never changes a verdict.
    @Test func everyFormatShowsTheWarnings() async throws {
        let context = try await Self.context()
        #expect(context.evaluation.warnings.count == 1)
        #expect(context.evaluation.results.first { $0.rule.id == "prod-accounts" }?.status == .pass)
        let line = "rules/baseline.rules:46:49: prod-accounts: AccountId == \"22222222222|<2>`\" matched no job; values seen: 111111111111"
        let text = String(decoding: try TextReporter().render(context), as: UTF8.self)
        #expect(text.contains("warning: " + line))
        #expect(text.contains("; 1 warning\n"))
        let junit = String(decoding: try JUnitReporter().render(context), as: UTF8.self)
        #expect(junit.contains("warning: rules/baseline.rules:46:49: prod-accounts: AccountId == &quot;22222222222|&lt;2&gt;`&quot;"))
        let subjects = String(decoding: try JUnitReporter(granularity: .subject).render(context), as: UTF8.self)
        #expect(subjects.components(separatedBy: "warning: rules/baseline.rules:46:49").count == 2)
        let csv = csvRecords(String(decoding: try CSVReporter().render(context), as: UTF8.self))
        #expect(csv.contains { $0[1] == "prod-accounts" && $0[5] == "warning" && $0[9] == "at rules/baseline.rules:46:49" })
        let markdown = String(decoding: try MarkdownReporter().render(context), as: UTF8.self)
        #expect(markdown.contains("- `prod-accounts` at `rules/baseline.rules:46:49`: AccountId == \"22222222222\\|&lt;2&gt;`\" matched no job"))
        let sarif = try JSONSerialization.jsonObject(with: Data(try SARIFReporter().render(context))) as! [String: Any]
        let invocation = ((sarif["runs"] as! [[String: Any]])[0]["invocations"] as! [[String: Any]])[0]
        let notification = try #require((invocation["toolExecutionNotifications"] as! [[String: Any]]).first { ($0["level"] as? String) == "warning" && $0["locations"] != nil })
        #expect((notification["message"] as! [String: String])["text"] == line)
        #expect((notification["associatedRule"] as! [String: Any])["id"] as? String == "prod-accounts")
    }

    @Test func junit() async throws {
        try Self.check(try JUnitReporter().render(try await Self.context()), golden: "report.junit.xml")
        try Self.check(try JUnitReporter(granularity: .subject).render(try await Self.context()), golden: "report-subject.junit.xml")
    }

    /// Subjects that differ only by characters XML cannot hold (written as U+FFFD) still get
    /// distinct case names: consumers merge or drop cases that share one (found by fuzzing).
    @Test func subjectsXMLCannotTellApartGetDistinctCaseNames() async throws {
        var context = try await Self.context()
        let index = try #require(context.evaluation.results.firstIndex { $0.status == .fail })
        let template = context.evaluation.results[index].findings[0]
        context.evaluation.results[index].findings = ["vol-\u{1}", "vol-\u{2}", "vol-\u{FFFF}", "vol-\u{FFFD} (2)"].map {
            var finding = template
            finding.subject = $0
            return finding
        }
        let xml = try XMLDocument(data: Data(try JUnitReporter(granularity: .subject).render(context)))
        let suite = "backup-audit." + context.evaluation.results[index].rule.id
        let names = try xml.nodes(forXPath: "//testsuite[@name='\(suite)']/testcase/@name").compactMap(\.stringValue)
        #expect(names.count == 4)
        #expect(Set(names).count == names.count, "\(names)")
    }

    @Test func csv() async throws {
        let bytes = try CSVReporter().render(try await Self.context())
        try Self.check(bytes, golden: "report.csv")
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(CSVReporter.header.joined(separator: ",") + "\r\n"))
        let cells = csvRecords(text)
        #expect(cells.count == 9)  // the header, six findings, one rule with nothing in scope, one warning
        #expect(cells.contains { $0[5] == "empty-scope" && $0[1] == "dynamodb-weekly" })
        #expect(cells.allSatisfy { $0.count == CSVReporter.header.count })
        for cell in cells.joined() {
            #expect(!["=", "+", "-", "@", "\t", "\r"].contains(cell.first.map(String.init) ?? ""), "cell starts like a formula: \(cell)")
        }
    }

    @Test(arguments: [
        ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""),
        ("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "\"'\rx\""),
        ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
        // A quote or comma with a combining mark is one Character, still a quote or a comma in CSV.
        ("a\"\u{301}b", "\"a\"\"\u{301}b\""), ("a,\u{301}b", "\"a,\u{301}b\""),
    ])
    func csvCellsAreQuotedAndDefused(_ value: String, _ cell: String) {
        #expect(CSVReporter.cell(value) == cell)
    }

    @Test func markdown() async throws {
        try Self.check(try MarkdownReporter().render(try await Self.context()), golden: "report.md")
    }

    /// Values in code spans (subjects, paths) are not written raw: a CR LF in a subject started
    /// a line of its own, an ESC reached whoever printed the summary (found by fuzzing).
    @Test func markdownWritesNoRawControlFromAValue() async throws {
        var context = try await Self.context()
        let index = try #require(context.evaluation.results.firstIndex { $0.status == .fail })
        context.evaluation.results[index].findings[0].subject = "vol-1\r\n# \u{1B}[31mgone`x\u{202E}"
        context.inputs[0].files[0].path = "in\nput.json"
        let markdown = String(decoding: try MarkdownReporter().render(context), as: UTF8.self)
        let reference = String(decoding: try MarkdownReporter().render(try await Self.context()), as: UTF8.self)
        #expect(markdown.split(separator: "\n", omittingEmptySubsequences: false).count
                == reference.split(separator: "\n", omittingEmptySubsequences: false).count)
        #expect(!markdown.unicodeScalars.contains { $0 != "\n" && TerminalText.needsEscape($0) })
        #expect(markdown.contains(#"`vol-1\r\n# \u{1B}[31mgone'x\u{202E}`"#))
        #expect(markdown.contains(#"`in\nput.json`"#))
    }

    /// A backtick, pipe or `<` followed by a combining mark is one Character but still ends a
    /// code span, splits a table cell or opens a tag: the Markdown writer goes by scalars.
    @Test func markdownEscapesMarkupThatACombiningMarkFollows() async throws {
        var context = try await Self.context()
        let index = try #require(context.evaluation.results.firstIndex { $0.status == .fail })
        context.evaluation.results[index].findings[0].subject = "vol-`\u{301}x"
        context.evaluation.results[index].rule.title = "a |\u{301} <\u{301}b"
        let markdown = Array(String(decoding: try MarkdownReporter().render(context), as: UTF8.self).unicodeScalars)
        for sequence: [Unicode.Scalar] in [["`", "\u{301}"], ["<", "\u{301}"]] {
            let found = markdown.indices.dropLast().contains { markdown[$0] == sequence[0] && markdown[$0 + 1] == sequence[1] }
            #expect(!found, "\(sequence.map { String($0.value, radix: 16) }) written raw")
        }
        // In the table, the pipe is escaped.
        let row = String(String.UnicodeScalarView(markdown)).split(separator: "\n").first { $0.hasPrefix("| ❌ | `ebs-daily`") }
        #expect(row.map { Array($0.unicodeScalars).contains(["\\", "|", "\u{301}"]) } == true)
    }

    @Test func sarif() async throws {
        let bytes = try SARIFReporter().render(try await Self.context())
        try Self.check(bytes, golden: "report.sarif", structural: true)
        let log = try JSONSerialization.jsonObject(with: Data(bytes)) as! [String: Any]
        #expect(log["version"] as? String == "2.1.0")
        let run = (log["runs"] as! [[String: Any]])[0]
        let results = run["results"] as! [[String: Any]]
        let region = ((results[0]["locations"] as! [[String: Any]])[0]["physicalLocation"] as! [String: Any])["region"] as! [String: Int]
        #expect(region["startLine"] == 3)
        #expect(results.contains { $0["suppressions"] != nil })
    }
}

/// What is known about the data as a whole (parts missing, no jobs, conflicting versions) is said
/// by every report, so judged data that was incomplete can never read as a plain pass.
struct DataNoteTests {
    static let gap = ListingGap(kind: .endsWithNextToken, after: "part1.json", resumeToken: "T1")

    static func context(jobs: Bool = true) async throws -> ReportContext {
        var context = try await ReporterTests.context()
        context.completeness = .incomplete([gap])
        context.conflicts = [DuplicateConflict(jobId: "J-CONFLICT", inputs: ["a.json", "b.json"])]
        if !jobs { context.evaluation.jobCount = 0 }
        return context
    }

    static var reporters: [(String, any Reporter)] {
        [
            ("text", TextReporter()), ("json", JSONReporter()), ("junit", JUnitReporter()), ("junit-subject", JUnitReporter(granularity: .subject)),
            ("csv", CSVReporter()), ("markdown", MarkdownReporter()), ("sarif", SARIFReporter()),
        ]
    }

    @Test func everyReportSaysTheDataWasIncompleteAndWhichJobsConflicted() async throws {
        let context = try await Self.context()
        for (name, reporter) in Self.reporters {
            let text = String(decoding: try reporter.render(context), as: UTF8.self)
            #expect(text.contains("part1.json ends with NextToken T1, and nothing follows it"), "\(name)")
            #expect(text.contains("J-CONFLICT"), "\(name)")
        }
        let plain = String(decoding: try TextReporter().render(try await ReporterTests.context()), as: UTF8.self)
        #expect(!plain.contains("the data is incomplete") && !plain.contains("conflicting versions"))
    }

    @Test func everyReportSaysTheDataWasEmpty() async throws {
        let context = try await Self.context(jobs: false)
        for (name, reporter) in Self.reporters {
            let text = String(decoding: try reporter.render(context), as: UTF8.self)
            #expect(text.contains("the inputs hold no jobs") || text.contains("\"empty\" : true"), "\(name)")
        }
    }

    @Test func theJSONReportHoldsTheDataAsFields() async throws {
        let document = try JSONSerialization.jsonObject(with: Data(try JSONReporter().render(try await Self.context()))) as! [String: Any]
        let data = try #require(document["data"] as? [String: Any])
        #expect(data["complete"] as? Bool == false)
        #expect(data["conflictCount"] as? Int == 1)
        #expect((data["conflicts"] as? [[String: Any]])?.first?["inputs"] as? [String] == ["a.json", "b.json"])
        #expect((data["gaps"] as? [[String: Any]])?.first?["resumeToken"] as? String == "T1")
    }

    @Test func markdownCallsNothingCompliantOnIncompleteData() async throws {
        var context = try await Self.context()
        context.evaluation.results = context.evaluation.results.filter { $0.status == .pass }
        let incomplete = String(decoding: try MarkdownReporter().render(context), as: UTF8.self)
        #expect(incomplete.hasPrefix("## backup-audit: ⚠️ no rule failed, on incomplete or empty data\n"))
        context.completeness = .complete
        #expect(String(decoding: try MarkdownReporter().render(context), as: UTF8.self).hasPrefix("## backup-audit: ✅ compliant\n"))
    }
}

/// Every JUnit document the reporter writes is valid against the schemas CI consumers use.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: ReporterTests.shared.appendingPathComponent("junit").path)
                   || ProcessInfo.processInfo.environment["BACKUP_AUDIT_REQUIRE_SHARED"] == "1",
                "needs ../shared/junit (set BACKUP_AUDIT_SHARED)"))
struct JUnitSchemaTests {
    static let schemas = ["JUnit.xsd", "jenkins-junit.xsd", "junit-10.xsd"]

    /// jenkins-junit.xsd (junit5's) gives `skipped` no attributes, while Jenkins itself, Azure
    /// and JUnit.xsd read `skipped@message`: waived cases carry it (and the same text inside), so
    /// that one attribute is the only difference allowed from that schema.
    static func unexpected(_ errors: [String], schema: String) -> [String] {
        guard schema == "jenkins-junit.xsd" else { return errors }
        return errors.filter { !($0.contains("'skipped'") && $0.contains("'message'")) }
    }

    static func documents() async throws -> [(String, [UInt8])] {
        let context = try await ReporterTests.context()
        var empty = context
        empty.evaluation.results = empty.evaluation.results.map { result in
            var copy = result
            copy.findings = []
            copy.evaluated = 0
            copy.status = .empty
            return copy
        }
        var errored = context
        errored.evaluation.results[1].status = .error
        errored.evaluation.results[1].fault = EvaluationFault(
            subjectName: "job", subject: "could not evaluate \u{0} <here>", cause: .overflow(expression: "Size * 2", type: .size, record: nil))
        var all = context
        var recorded = await Evaluator.evaluate(
            try #require(RuleSet.compile([SourceFile(name: "r.rules", text: ReporterTests.rules)]).program),
            listing: Listing(RecordTable([job("a"), job("b", .failed)])), now: Timestamp(iso8601: "2026-11-28T12:00:00Z")!,
            options: EvaluationOptions(recordPasses: true, strict: true))
        recorded.results = recorded.results.map { var r = $0; r.duration = 0; return r }
        all.evaluation = recorded
        var documents: [(String, [UInt8])] = []
        let noted = try await DataNoteTests.context(jobs: false)
        for (name, c) in [("mixed", context), ("empty", empty), ("error", errored), ("strict", all), ("noted", noted)] {
            for granularity in JUnitReporter.Granularity.allCases {
                documents.append(("\(name)/\(granularity.rawValue)", try JUnitReporter(granularity: granularity).render(c)))
            }
        }
        return documents
    }

    @Test func everyDocumentValidatesAgainstTheThreeSchemas() async throws {
        for (name, document) in try await Self.documents() {
            for schema in Self.schemas {
                let path = ReporterTests.shared.appendingPathComponent("junit/\(schema)").path
                let errors = Self.unexpected(try XMLSchemaValidation.errors(in: document, schemaPath: path), schema: schema)
                #expect(errors.isEmpty, "\(name) against \(schema): \(errors.prefix(3))")
            }
        }
    }

    @Test func withoutWaiversOrEmptyRulesEvenJenkinsSchemaPassesWhole() async throws {
        var context = try await ReporterTests.context()
        context.evaluation.results = context.evaluation.results.filter { !$0.findings.contains { $0.status == .waived } && $0.status != .empty }
        let document = try JUnitReporter().render(context)
        for schema in Self.schemas {
            let errors = try XMLSchemaValidation.errors(in: document, schemaPath: ReporterTests.shared.appendingPathComponent("junit/\(schema)").path)
            #expect(errors.isEmpty, "\(schema): \(errors)")
        }
    }

    /// A machine can be named "" (sethostname(2)); JUnit.xsd then wants `localhost` (found by fuzzing).
    @Test(arguments: ["", " ", "\t\n"])
    func aBlankHostNameIsWrittenAsLocalhost(_ hostname: String) async throws {
        var context = try await ReporterTests.context()
        context.hostname = hostname
        let document = try JUnitReporter().render(context)
        let errors = try XMLSchemaValidation.errors(in: document, schemaPath: ReporterTests.shared.appendingPathComponent("junit/JUnit.xsd").path)
        #expect(errors.isEmpty, "\(errors)")
        #expect(String(decoding: document, as: UTF8.self).contains(#"hostname="localhost""#))
    }

    @Test func countsComeFromTheCasesAndNamesAreUnique() async throws {
        for (name, document) in try await Self.documents() {
            let xml = try XMLDocument(data: Data(document))
            for suite in try xml.nodes(forXPath: "//testsuite") as! [XMLElement] {
                let cases = try suite.nodes(forXPath: "testcase") as! [XMLElement]
                #expect(Int(suite.attribute(forName: "tests")!.stringValue!) == cases.count, "\(name)")
                #expect(Int(suite.attribute(forName: "failures")!.stringValue!) == cases.count { !$0.elements(forName: "failure").isEmpty }, "\(name)")
                #expect(Int(suite.attribute(forName: "skipped")!.stringValue!) == cases.count { !$0.elements(forName: "skipped").isEmpty }, "\(name)")
                #expect(Int(suite.attribute(forName: "errors")!.stringValue!) == cases.count { !$0.elements(forName: "error").isEmpty }, "\(name)")
                let keys = cases.map { "\($0.attribute(forName: "classname")!.stringValue!)|\($0.attribute(forName: "name")!.stringValue!)" }
                #expect(Set(keys).count == keys.count, "\(name): duplicate (classname, name)")
                #expect(!cases.isEmpty)
                for testCase in cases {
                    #expect(testCase.children?.filter { ["failure", "error", "skipped"].contains($0.name ?? "") }.count ?? 0 <= 1)
                    let time = testCase.attribute(forName: "time")!.stringValue!
                    #expect(time.wholeMatch(of: /[0-9]+\.[0-9]{3}/) != nil, "time \(time)")
                }
                #expect(suite.attribute(forName: "timestamp")!.stringValue!.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/) != nil)
            }
        }
    }
}
