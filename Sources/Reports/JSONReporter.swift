import BackupJobs
import Foundation
import RuleEngine
import RuleLanguage

/// The evidence document (`docs/reports.md`): stable, versioned, everything an auditor needs to
/// see what was checked, when, on which data, and why each finding failed.
public struct JSONReporter: Reporter {
    public static let schemaVersion = 1

    public init() {}

    public func render(_ context: ReportContext) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(Document(context))
        data.append(UInt8(ascii: "\n"))
        return [UInt8](data)
    }

    struct Document: Encodable {
        let schemaVersion = JSONReporter.schemaVersion
        let tool: Tool
        let now: String
        let inputs: [Input]
        let data: DataQuality
        let ruleFiles: [String]
        let parameters: [String: String]
        let summary: Summary
        let rules: [Rule]
        let warnings: [Warning]

        init(_ context: ReportContext) {
            tool = Tool(version: context.toolVersion)
            now = context.evaluation.now.iso8601
            inputs = context.inputFiles.map { Input(path: $0.path, sha256: $0.sha256, bytes: $0.storedBytes, jobs: $0.jobsRead) }
            data = DataQuality(context)
            ruleFiles = context.ruleFiles
            parameters = context.parameters.mapValues(ReportText.constant)
            summary = Summary(context.evaluation)
            rules = context.evaluation.results.map { Rule($0, now: context.evaluation.now) }
            warnings = context.evaluation.warnings.map(Warning.init)
        }
    }

    struct Tool: Encodable {
        let name = "backup-audit"
        let version: String
    }

    struct Input: Encodable {
        let path: String
        let sha256: String
        let bytes: Int
        let jobs: Int
    }

    /// What is known about the data as a whole: every part of the listing there, any job in it,
    /// versions of a job that conflicted.
    struct DataQuality: Encodable {
        let complete: Bool
        let gaps: [ListingGap]
        let empty: Bool
        let conflicts: [DuplicateConflict]

        init(_ context: ReportContext) {
            complete = context.completeness.isComplete
            gaps = context.completeness.gaps
            empty = context.evaluation.jobCount == 0
            conflicts = context.conflicts
        }

        enum CodingKeys: String, CodingKey { case complete, gaps, empty, conflicts, conflictCount }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(complete, forKey: .complete)
            try container.encode(gaps, forKey: .gaps)
            try container.encode(empty, forKey: .empty)
            try container.encode(conflicts.count, forKey: .conflictCount)
            try container.encode(conflicts, forKey: .conflicts)
        }
    }

    struct Summary: Encodable {
        /// Jobs of every job kind (backup, copy and restore jobs; not inventories' resources);
        /// `records` counts every kind.
        let jobs: Int
        let rules: Int
        let passed: Int
        let failed: Int
        let waived: Int
        let errors: Int
        let empty: Int
        let notJudged: Int
        let emptyScope: Int
        let findings: Int
        /// Records per kind the inputs held (`backupJob`, `copyJob`, `restoreJob`); a kind
        /// without input is absent.
        let records: [String: Int]
        let waivedFindings: Int
        let warnings: Int

        init(_ evaluation: Evaluation) {
            let s = evaluation.summary
            jobs = evaluation.jobCount
            rules = s.rules
            passed = s.passed
            failed = s.failed
            waived = s.waived
            errors = s.errors
            empty = s.empty
            notJudged = s.notJudged
            records = Dictionary(uniqueKeysWithValues: evaluation.recordCounts.map { ($0.key.rawValue, $0.value) })
            emptyScope = s.emptyScope
            findings = s.findings
            waivedFindings = s.waivedFindings
            warnings = evaluation.warnings.count
        }
    }

    struct Location: Encodable {
        let file: String
        let line: Int
        let column: Int
    }

    struct Rule: Encodable {
        let id: String
        let title: String?
        let description: String?
        let severity: String
        let controls: [String]
        let remediation: String?
        let location: Location
        let body: String
        let status: String
        let subjectKind: String
        /// The kind of the records the subject is, or its groups are formed from (`copyJob`).
        let recordKind: String
        /// Every kind of record the rule reads.
        let kinds: [String]
        /// The kinds it reads that had no input (status `not-judged`), and whether that was allowed.
        let missingKinds: [String]
        let missingKindsAllowed: Bool
        /// The kinds it reads that were given as empty listings: it could not pass (`empty`).
        let emptyKinds: [String]
        let evaluated: Int
        let failed: Int
        let waived: Int
        let emptyScope: Bool
        let error: String?
        /// The value that could not be computed (status `error`), as values.
        let fault: Fault?
        let durationSeconds: Double
        let findings: [FindingEntry]
        let passedSubjects: [String]?
        let staleWaivers: [StaleWaiver]

        init(_ result: RuleResult, now: Timestamp) {
            let rule = result.rule
            id = rule.id
            title = rule.title
            description = rule.description
            severity = rule.severity.rawValue
            controls = rule.controls
            remediation = rule.remediation
            location = Location(file: rule.location.file, line: rule.location.line, column: rule.location.column)
            body = rule.bodyText
            status = result.status.rawValue
            subjectKind = rule.subject.displayName
            recordKind = rule.subject.recordKind.rawValue
            kinds = rule.kinds.map(\.rawValue)
            missingKinds = result.missingKinds.map(\.rawValue)
            missingKindsAllowed = result.missingKindsAllowed
            emptyKinds = result.emptyKinds.map(\.rawValue)
            evaluated = result.evaluated
            failed = result.failures
            waived = result.waivedCount
            emptyScope = result.isEmptyScope
            error = FaultText.message(result)
            fault = result.fault.map(Fault.init)
            durationSeconds = (result.duration * 1000).rounded() / 1000
            findings = result.findings.map { FindingEntry($0, rule: rule, now: now) }
            passedSubjects = result.passedSubjects
            staleWaivers = result.staleWaivers.map {
                StaleWaiver(until: $0.untilText, reason: $0.reason, location: Location(file: $0.location.file, line: $0.location.line, column: $0.location.column))
            }
        }
    }

    struct FindingEntry: Encodable {
        let subject: String
        let status: String
        let message: String
        let explanation: String
        /// The values the message and explanation word.
        let detail: FindingJSON
        let evidence: Evidence
        let waiver: Waiver?

        init(_ finding: Finding, rule: CompiledRule, now: Timestamp) {
            subject = finding.subject
            status = finding.status.rawValue
            message = FindingText.message(finding, of: rule, now: now)
            explanation = FindingText.explanation(finding, of: rule, now: now)
            detail = FindingJSON(finding.detail)
            evidence = Evidence(
                jobs: finding.evidence.filter { $0.kind == .backupJob }.map(\.id),
                records: finding.evidence.map { EvidenceEntry(kind: $0.kind.rawValue, id: $0.id) })
            waiver = finding.waiver.map {
                Waiver(until: $0.until, expires: $0.expires.iso8601, reason: $0.reason, expired: $0.expired,
                       location: Location(file: $0.location.file, line: $0.location.line, column: $0.location.column))
            }
        }
    }

    /// `{cause, subjectKind, subject, expression, type, record: {kind, id}, kind}`: `cause` is
    /// `overflow` (with expression, type and record) or an engine defect, `unrelatedKind` (with
    /// the kind) or `noGroupIndex`; members that do not apply are left out.
    struct Fault: Encodable {
        let cause: String
        let subjectKind: String
        let subject: String?
        let expression: String?
        let type: String?
        let record: EvidenceEntry?
        let kind: String?

        init(_ fault: EvaluationFault) {
            subjectKind = fault.subjectName
            subject = fault.subject
            switch fault.cause {
            case .overflow(let expression, let type, let record):
                cause = "overflow"
                self.expression = expression
                self.type = type.description
                self.record = record.map { EvidenceEntry(kind: $0.kind.rawValue, id: $0.id) }
                kind = nil
            case .unrelatedKind(let kind):
                cause = "unrelatedKind"
                (expression, type, record) = (nil, nil, nil)
                self.kind = kind.rawValue
            case .noGroupIndex:
                cause = "noGroupIndex"
                (expression, type, record, kind) = (nil, nil, nil, nil)
            }
        }
    }

    /// The records a finding rests on: `records` names each one's kind; `jobs` repeats the
    /// backup jobs' ids, as reports before record kinds had them.
    struct Evidence: Encodable {
        let jobs: [String]
        let records: [EvidenceEntry]
    }

    struct EvidenceEntry: Encodable {
        let kind: String
        let id: String
    }

    struct Waiver: Encodable {
        let until: String
        let expires: String
        let reason: String
        let expired: Bool
        let location: Location
    }

    /// A value a rule compares a field with that matched no job.
    struct Warning: Encodable {
        let rule: String?
        let location: Location
        let field: String
        let value: String
        let ignoringCase: Bool
        let valuesSeen: [String]
        let moreValuesSeen: Int
        let message: String

        init(_ warning: EvaluationWarning) {
            rule = warning.rule
            location = Location(file: warning.location.file, line: warning.location.line, column: warning.location.column)
            field = warning.field
            value = warning.value
            ignoringCase = warning.ignoringCase
            valuesSeen = warning.valuesSeen
            moreValuesSeen = warning.moreValues
            message = WarningText.message(warning)
        }
    }

    struct StaleWaiver: Encodable {
        let until: String
        let reason: String
        let location: Location
    }
}
