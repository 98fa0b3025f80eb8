import BackupJobs
import RuleEngine
import RuleLanguage

/// What the page shows of one finding. The one place the HTML report reads a `Finding`, so a change
/// to what findings carry (findings as data) touches this file alone.
struct HTMLFindingView {
    var subject: String
    /// `fail` or `waived`.
    var status: String
    var message: String
    var explanation: String
    /// Each record the verdict rests on: its kind as the language names it (`job`, `copy job`) and id.
    var evidence: [(kind: String, id: String)]
    /// The account and resource type the subject names, when it is an ARN (a resource) or an
    /// account id; nil for a job or a group of another key, which the filters then leave out
    /// when an account or type is chosen.
    var account: String?
    var resourceType: String?
    /// `waived until 2027-01-31 (expires …): reason`, or that the waiver expired.
    var waiver: String?

    /// A finding of `rule`, worded as every report words it (`FindingText`).
    init(_ finding: Finding, of rule: CompiledRule, now: Timestamp) {
        subject = finding.subject
        status = finding.status.rawValue
        message = FindingText.message(finding, of: rule, now: now)
        explanation = FindingText.explanation(finding, of: rule, now: now)
        evidence = finding.evidence.map { ($0.kind == .backupJob ? "job" : $0.kind.noun, $0.id) }
        (account, resourceType) = Self.accountAndType(of: finding.subject)
        waiver = finding.waiver.map { waiver in
            (waiver.expired ? "waiver expired \(waiver.expires.iso8601) (until \(waiver.until))" : "waived until \(waiver.until) (expires \(waiver.expires.iso8601))")
                + ": \(waiver.reason)"
        }
    }

    /// `arn:aws:rds:us-east-1:123456789012:db:orders` → (123456789012, rds); a 12-digit account id
    /// → (it, nil). The type is the ARN's service, which is what the ARN alone says.
    static func accountAndType(of subject: String) -> (String?, String?) {
        if subject.count == 12, subject.allSatisfy(\.isASCIIDigit) { return (subject, nil) }
        let parts = subject.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn" else { return (nil, nil) }
        return (parts[4].isEmpty ? nil : String(parts[4]), parts[2].isEmpty ? nil : String(parts[2]))
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
