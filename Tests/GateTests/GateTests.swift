import BackupJobs
import Foundation
import Gate
import Reports
import RuleEngine
import RuleLanguage
import TestSupport
import Testing

/// The gate as a library value, without a process: what it refuses, what it decides, and the
/// reports it renders through the format registry.
struct GateTests {
    static let now = Timestamp(iso8601: "2026-11-28T12:00:00Z")!
    static let provenance = Gate.Provenance(ruleFiles: ["gate.rules"], toolVersion: "test", hostname: "host")

    /// Rules of each severity: `failing-low` (low) and `failing-high` (high) fail on the jobs
    /// below, `passing` passes, `nothing-in-scope` has no subject.
    static func rule(_ id: String, _ severity: String, _ body: String) -> String {
        "rule \(id) {\n  title \"t\"\n  severity \(severity)\n  \(body)\n}\n"
    }

    static let rules = rule("failing-low", "low", "every job satisfies State == COMPLETED")
        + rule("failing-high", "high", "every job satisfies State != FAILED")
        + rule("passing", "critical", "every job satisfies BackupJobId exists")
        + rule("nothing-in-scope", "critical", #"every job where ResourceType == "S3" satisfies Finished"#)

    static func program(_ text: String) throws -> RuleProgram {
        let (program, diagnostics) = RuleSet.compile([SourceFile(name: "gate.rules", text: text)])
        #expect(!diagnostics.hasErrors, "\(diagnostics.map(\.message))")
        return try #require(program)
    }

    static func listing(_ jobs: [BackupJob]) -> Listing {
        Listing(RecordTable(jobs), inputs: [InputRecord(path: "jobs.json")])
    }

    static let jobs = [job("a"), job("b", .failed)]

    @Test(arguments: [
        (RuleSeverity.info, Gate.Decision.failed(rules: ["failing-low", "failing-high"])),
        (.high, .failed(rules: ["failing-high"])),
        (.critical, .passed),
    ])
    func failuresBelowTheThresholdAreReportedButPass(failOn: RuleSeverity, decision: Gate.Decision) async throws {
        let gate = Gate(options: Gate.Options(failOn: failOn))
        let verdict = try await gate.evaluate(try Self.program(Self.rules), listing: Self.listing(Self.jobs), at: Self.now, provenance: Self.provenance)
        #expect(verdict.decision == decision)
        #expect(verdict.evaluation.results.map(\.status) == [.fail, .fail, .pass, .empty])
    }

    @Test func strictFailsARuleWithNothingInScope() async throws {
        let gate = Gate(options: Gate.Options(failOn: .critical, strict: true))
        let verdict = try await gate.evaluate(try Self.program(Self.rules), listing: Self.listing(Self.jobs), at: Self.now, provenance: Self.provenance)
        #expect(verdict.decision == .failed(rules: ["nothing-in-scope"]))
    }

    /// A rule that could not be evaluated leaves the gate not judged, whatever else fails: no
    /// threshold waves it through.
    @Test func aRuleThatCannotBeEvaluatedLeavesTheGateNotJudged() async throws {
        let overflow = Self.rules + Self.rule("overflows", "info", "every job satisfies BackupSizeInBytes * 99999999999 > 0 B")
        let jobs = [job("a") { $0.backupSizeInBytes = 5_000_000_000 }, job("b", .failed)]
        let gate = Gate(options: Gate.Options(failOn: .critical))
        let verdict = try await gate.evaluate(try Self.program(overflow), listing: Self.listing(jobs), at: Self.now, provenance: Self.provenance)
        guard case .notJudged(let rules) = verdict.decision else {
            Issue.record("decided \(verdict.decision)")
            return
        }
        #expect(rules.map(\.id) == ["overflows"])
        guard case .fault(let fault)? = rules.first?.cause else {
            Issue.record("not a fault: \(rules)")
            return
        }
        #expect(fault.expression == "BackupSizeInBytes * 99999999999")
        #expect(FaultText.message(fault).contains("overflows"))
    }

    @Test func dataWithoutJobsIsRefusedUnlessAllowed() async throws {
        let program = try Self.program(Self.rules)
        await #expect(throws: Gate.Refusal.noJobs) {
            try await Gate().evaluate(program, listing: Self.listing([]), at: Self.now, provenance: Self.provenance)
        }
        let verdict = try await Gate(options: Gate.Options(allowsEmptyData: true))
            .evaluate(program, listing: Self.listing([]), at: Self.now, provenance: Self.provenance)
        #expect(verdict.decision == .passed)
        #expect(verdict.evaluation.results.allSatisfy { $0.status == .empty })
    }

    /// A listing known to be incomplete is refused unless allowed: the gate judged it as if it
    /// were whole (only the command line refused it), so a library caller passed rules on what
    /// was there that the missing pages would have failed.
    @Test func incompleteDataIsRefusedUnlessAllowed() async throws {
        let program = try Self.program(Self.rules)
        var listing = Self.listing([job("a"), job("b")])
        let gap = ListingGap(kind: .endsWithNextToken, after: "jobs.json", resumeToken: "T1")
        listing.completeness = .incomplete([gap])
        await #expect(throws: Gate.Refusal.incomplete([gap])) {
            try await Gate().evaluate(program, listing: listing, at: Self.now, provenance: Self.provenance)
        }
        let verdict = try await Gate(options: Gate.Options(allowsIncompleteData: true))
            .evaluate(program, listing: listing, at: Self.now, provenance: Self.provenance)
        #expect(verdict.context.completeness == .incomplete([gap]))
    }

    /// Copy and restore jobs alone, for rules about backup jobs: refused as data without jobs,
    /// never passed. Judged anyway, the rules are not judged (no backup jobs were given) and the
    /// gate is not either, unless backup jobs may be absent.
    @Test func copyAndRestoreJobsAloneAreRefusedUnlessAllowed() async throws {
        let program = try Self.program(Self.rules)
        var copy = Record(.copyJob, id: "C1"), restore = Record(.restoreJob, id: "R1")
        copy[CopyJobField.state] = .string("FAILED")
        restore[RestoreJobField.status] = .string("FAILED")
        let listing = Listing(records: [copy, restore])
        #expect(listing.kinds == [.copyJob, .restoreJob])
        await #expect(throws: Gate.Refusal.noJobs) {
            try await Gate().evaluate(program, listing: listing, at: Self.now, provenance: Self.provenance)
        }
        let verdict = try await Gate(options: Gate.Options(allowsEmptyData: true))
            .evaluate(program, listing: listing, at: Self.now, provenance: Self.provenance)
        #expect(verdict.evaluation.results.allSatisfy { $0.status == .notJudged && $0.missingKinds == [.backupJob] })
        guard case .notJudged(let rules) = verdict.decision else {
            Issue.record("decided \(verdict.decision)")
            return
        }
        #expect(rules.allSatisfy { $0.cause == .missingKinds([.backupJob]) })
        #expect(NotJudgedText.missing([.backupJob], reader: "it") == "the inputs hold no backup jobs, which it reads")
        #expect(NotJudgedText.missing([.backupJob, .copyJob, .restoreJob], reader: "the query")
            == "the inputs hold no backup jobs, copy jobs and restore jobs, which the query reads")
        let allowed = try await Gate(options: Gate.Options(allowsEmptyData: true, absentKindsAllowed: [.backupJob]))
            .evaluate(program, listing: listing, at: Self.now, provenance: Self.provenance)
        #expect(allowed.decision == .passed)
    }

    /// An empty listing of backup jobs beside copy jobs: the backup rules would be judged on
    /// nothing and the gate passed. Refused per kind, naming it and its rules; allowed, those rules
    /// are empty (never passed) and every report says why, while the copy rule is judged.
    @Test func anEmptyListingOfAKindTheRulesReadIsRefusedUnlessAllowed() async throws {
        let program = try Self.program(Self.rules + Self.rule("copies", "high", #"every copy job satisfies State == "COMPLETED""#))
        var copy = Record(.copyJob, id: "C1")
        copy[CopyJobField.state] = .string("COMPLETED")
        let listing = Listing(records: [copy], kinds: [.backupJob, .copyJob])
        #expect(listing[.backupJob]?.count == 0)
        let backupRules = ["failing-low", "failing-high", "passing", "nothing-in-scope"]
        await #expect(throws: Gate.Refusal.emptyKinds([Gate.EmptyKind(kind: .backupJob, rules: backupRules)])) {
            try await Gate().evaluate(program, listing: listing, at: Self.now, provenance: Self.provenance)
        }
        let gate = Gate(options: Gate.Options(allowsEmptyData: true))
        let verdict = try await gate.evaluate(program, listing: listing, at: Self.now, provenance: Self.provenance)
        #expect(verdict.evaluation.results.map(\.status) == [.empty, .empty, .empty, .empty, .pass])
        #expect(verdict.evaluation.results.map(\.emptyKinds) == [[.backupJob], [.backupJob], [.backupJob], [.backupJob], []])
        #expect(verdict.context.dataNotes.map(\.text) == [
            "the inputs hold no backup jobs (an empty listing), so 4 rules reading them cannot pass (empty unless they failed): failing-low, failing-high, passing, nothing-in-scope",
        ])
        let strict = try await Gate(options: Gate.Options(strict: true, allowsEmptyData: true))
            .evaluate(program, listing: listing, at: Self.now, provenance: Self.provenance)
        #expect(strict.decision == .failed(rules: backupRules))
    }

    /// A kind with no input at all is missing, not empty: its rules are not judged.
    @Test func aKindWithoutInputIsMissingNotEmpty() async throws {
        let program = try Self.program(Self.rules + Self.rule("copies", "high", #"every copy job satisfies State == "COMPLETED""#))
        let verdict = try await Gate().evaluate(program, listing: Self.listing(Self.jobs), at: Self.now, provenance: Self.provenance)
        #expect(verdict.evaluation.results.last?.status == .notJudged)
        #expect(verdict.evaluation.results.last?.emptyKinds == [])
    }

    /// Every registered format renders the verdict; the registry's names, extensions and media
    /// types tell them apart.
    @Test func everyRegisteredFormatRenders() async throws {
        let gate = Gate(options: Gate.Options(recordsPasses: true))
        let verdict = try await gate.evaluate(try Self.program(Self.rules), listing: Self.listing(Self.jobs), at: Self.now, provenance: Self.provenance)
        let rendered = try gate.render(verdict, as: ReportFormat.all.map { ($0, ReportOptions(junitGranularity: .subject)) })
        #expect(rendered.count == ReportFormat.all.count)
        for (format, bytes) in zip(ReportFormat.all, rendered) {
            #expect(String(decoding: bytes, as: UTF8.self).contains("failing-high"), "\(format)")
            #expect(ReportFormat.named(format.name) == format)
        }
        #expect(Set(ReportFormat.all.map(\.name)).count == ReportFormat.all.count)
        #expect(Set(ReportFormat.all.map(\.fileExtension)).count == ReportFormat.all.count)
        #expect(Set(ReportFormat.all.map(\.mediaType)).count == ReportFormat.all.count)
        #expect(ReportFormat.named("xml") == nil)
    }

    /// The reports name no flag: where the text report stops listing findings, the hint is the
    /// caller's words, and a strict failure says "strict".
    @Test func reportsNameNoFlagOfTheirOwn() async throws {
        let many = (0..<25).map { job("j\($0)", .failed) }
        let gate = Gate(options: Gate.Options(strict: true))
        let verdict = try await gate.evaluate(try Self.program(Self.rules), listing: Self.listing(many), at: Self.now, provenance: Self.provenance)
        let plain = try gate.render(verdict, as: ReportFormat.all.map { ($0, ReportOptions()) })
        for (format, bytes) in zip(ReportFormat.all, plain) {
            #expect(String(decoding: bytes, as: UTF8.self).firstMatch(of: /--[a-z]/) == nil, "\(format)")
        }
        let text = String(decoding: plain[0], as: UTF8.self)
        #expect(text.contains("… and 5 more\n"))
        #expect(text.contains("no subject in scope (strict)"))
        let hinted = try gate.render(verdict, as: [(.text, ReportOptions(moreFindingsHint: "see the JSON"))])
        #expect(String(decoding: hinted[0], as: UTF8.self).contains("… and 5 more (see the JSON)\n"))
    }

    /// docs/reports.md lists the registry: every format with its extension and media type.
    @Test func theDocsListEveryRegisteredFormat() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let docs = try String(contentsOf: root.appendingPathComponent("docs/reports.md"), encoding: .utf8)
        let lines = docs.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.firstIndex(of: "| format | file extension | media type |"))
        let rows = lines[(header + 2)...].prefix { $0.hasPrefix("|") }
        #expect(Array(rows) == ReportFormat.all.map { "| `\($0.name)` | `.\($0.fileExtension)` | `\($0.mediaType)` |" })
    }
}
