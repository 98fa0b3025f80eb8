import BackupJobs
import Foundation
import RuleEngine
import RuleLanguage

/// SARIF 2.1.0, for code-scanning dashboards: one result per finding, located at its rule's
/// line in the `.rules` file; waived findings carry an accepted suppression with the reason.
public struct SARIFReporter: Reporter {
    public init() {}

    public func render(_ context: ReportContext) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(Log(context))
        data.append(UInt8(ascii: "\n"))
        return [UInt8](data)
    }

    static func level(_ severity: RuleSeverity) -> String {
        switch severity {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .info: "note"
        }
    }

    /// GitHub code scanning's numeric severity, 0.0–10.0.
    static func securitySeverity(_ severity: RuleSeverity) -> String {
        switch severity {
        case .critical: "9.5"
        case .high: "8.0"
        case .medium: "5.5"
        case .low: "3.0"
        case .info: "0.0"
        }
    }

    struct Log: Encodable {
        let version = "2.1.0"
        let schema = "https://json.schemastore.org/sarif-2.1.0.json"
        let runs: [Run]

        enum CodingKeys: String, CodingKey {
            case version, runs
            case schema = "$schema"
        }

        init(_ context: ReportContext) {
            runs = [Run(context)]
        }
    }

    struct Run: Encodable {
        let tool: Tool
        let results: [Result]
        let invocations: [Invocation]
        let properties: RunProperties

        init(_ context: ReportContext) {
            let rules = context.evaluation.results.map(\.rule)
            tool = Tool(driver: Driver(version: context.toolVersion, rules: rules.map(ReportingDescriptor.init)))
            var results: [Result] = []
            for (index, result) in context.evaluation.results.enumerated() {
                for finding in result.findings { results.append(Result(finding, rule: result.rule, index: index, now: context.evaluation.now)) }
            }
            self.results = results
            let s = context.evaluation.summary
            var notifications = context.dataNotes.map {
                Notification(level: "warning", message: Text(text: $0.text), associatedRule: nil)
            }
            for (index, result) in context.evaluation.results.enumerated() {
                if result.isEmptyScope {
                    notifications.append(Notification(level: "note", message: Text(text: "\(result.rule.id): no subject in scope"), associatedRule: RuleReference(id: result.rule.id, index: index)))
                }
                for waiver in result.staleWaivers {
                    notifications.append(Notification(level: "warning", message: Text(text: "\(result.rule.id): the waiver at \(waiver.location.file):\(waiver.location.line) waived nothing"), associatedRule: RuleReference(id: result.rule.id, index: index)))
                }
                if result.status == .notJudged {
                    notifications.append(Notification(level: result.missingKindsAllowed ? "note" : "error", message: Text(text: "\(result.rule.id): \(ReportText.notJudged(result))"),
                                                      associatedRule: RuleReference(id: result.rule.id, index: index)))
                }
                if result.status == .error {
                    notifications.append(Notification(level: "error", message: Text(text: "\(result.rule.id): \(FaultText.message(result) ?? "could not be evaluated")"), associatedRule: RuleReference(id: result.rule.id, index: index)))
                }
            }
            // A value that matched no job, at the place it is written.
            let ruleIndex = Dictionary(context.evaluation.results.enumerated().map { ($1.rule.id, $0) }, uniquingKeysWith: { first, _ in first })
            for warning in context.evaluation.warnings {
                notifications.append(Notification(
                    level: "warning", message: Text(text: WarningText.line(warning)),
                    associatedRule: warning.rule.flatMap { id in ruleIndex[id].map { RuleReference(id: id, index: $0) } },
                    locations: [Location(physicalLocation: PhysicalLocation(
                        artifactLocation: ArtifactLocation(uri: warning.location.file),
                        region: Region(startLine: warning.location.line, startColumn: warning.location.column)))]))
            }
            let blocked = context.evaluation.results.contains(where: \.blocksGate)
            invocations = [Invocation(executionSuccessful: s.errors == 0 && !blocked, endTimeUtc: context.evaluation.now.iso8601, toolExecutionNotifications: notifications)]
            properties = RunProperties(
                now: context.evaluation.now.iso8601, jobs: context.evaluation.jobCount,
                inputs: context.inputFiles.map { InputProperty(path: $0.path, sha256: $0.sha256) })
        }
    }

    struct Tool: Encodable {
        let driver: Driver
    }

    struct Driver: Encodable {
        let name = "backup-audit"
        let version: String
        let informationUri = "https://github.com/backup-audit/backup-audit"
        let rules: [ReportingDescriptor]
    }

    struct Text: Encodable {
        let text: String
    }

    struct ReportingDescriptor: Encodable {
        let id: String
        let shortDescription: Text
        let fullDescription: Text
        let help: Text
        let defaultConfiguration: Configuration
        let properties: RuleProperties

        init(_ rule: CompiledRule) {
            id = rule.id
            shortDescription = Text(text: rule.title ?? rule.id)
            fullDescription = Text(text: rule.description ?? rule.bodyText)
            help = Text(text: rule.remediation ?? "Rule: \(rule.bodyText)")
            defaultConfiguration = Configuration(level: SARIFReporter.level(rule.severity))
            properties = RuleProperties(tags: rule.controls, securitySeverity: SARIFReporter.securitySeverity(rule.severity),
                                        severity: rule.severity.rawValue)
        }
    }

    struct Configuration: Encodable {
        let level: String
    }

    struct RuleProperties: Encodable {
        let tags: [String]
        let securitySeverity: String
        let severity: String

        enum CodingKeys: String, CodingKey {
            case tags, severity
            case securitySeverity = "security-severity"
        }
    }

    struct Result: Encodable {
        let ruleId: String
        let ruleIndex: Int
        let level: String
        let message: Text
        let locations: [Location]
        let partialFingerprints: [String: String]
        let suppressions: [Suppression]?
        let properties: ResultProperties

        init(_ finding: Finding, rule: CompiledRule, index: Int, now: Timestamp) {
            ruleId = rule.id
            ruleIndex = index
            level = SARIFReporter.level(rule.severity)
            message = Text(text: "\(finding.subject): \(FindingText.message(finding, of: rule, now: now))")
            locations = [Location(physicalLocation: PhysicalLocation(
                artifactLocation: ArtifactLocation(uri: rule.location.file),
                region: Region(startLine: rule.location.line, startColumn: rule.location.column)))]
            // The same subject failing the same rule is the same alert from run to run.
            partialFingerprints = ["backupAuditSubject/v1": "\(rule.id)/\(finding.subject)"]
            suppressions = finding.status == .waived
                ? [Suppression(kind: "external", status: "accepted", justification: "waived until \(finding.waiver?.until ?? "?"): \(finding.waiver?.reason ?? "")")]
                : nil
            properties = ResultProperties(
                subject: finding.subject, subjectKind: rule.subject.displayName, explanation: FindingText.explanation(finding, of: rule, now: now),
                evidence: finding.evidence.map(\.id), evidenceKinds: finding.evidence.map(\.kind.rawValue))
        }
    }

    struct Location: Encodable {
        let physicalLocation: PhysicalLocation
    }

    struct PhysicalLocation: Encodable {
        let artifactLocation: ArtifactLocation
        let region: Region
    }

    struct ArtifactLocation: Encodable {
        let uri: String
    }

    struct Region: Encodable {
        let startLine: Int
        let startColumn: Int
    }

    struct Suppression: Encodable {
        let kind: String
        let status: String
        let justification: String
    }

    struct ResultProperties: Encodable {
        let subject: String
        /// `job`, `copy job`, `resource`...
        let subjectKind: String
        let explanation: String
        let evidence: [String]
        /// The kind of each evidence record, in the same order (`backupJob`, `copyJob`, `restoreJob`).
        let evidenceKinds: [String]
    }

    struct Invocation: Encodable {
        let executionSuccessful: Bool
        let endTimeUtc: String
        let toolExecutionNotifications: [Notification]
    }

    struct Notification: Encodable {
        let level: String
        let message: Text
        /// None for what concerns the data as a whole.
        let associatedRule: RuleReference?
        var locations: [Location]? = nil
    }

    struct RuleReference: Encodable {
        let id: String
        let index: Int
    }

    struct RunProperties: Encodable {
        let now: String
        let jobs: Int
        let inputs: [InputProperty]
    }

    struct InputProperty: Encodable {
        let path: String
        let sha256: String
    }
}
