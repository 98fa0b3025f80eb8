public import BackupJobs
public import RuleLanguage

/// Everything one evaluation found: the input to every reporter.
public struct Evaluation: Sendable {
    /// The instant rules were judged at (`--now`, or the clock once at the start).
    public var now: Timestamp
    public var results: [RuleResult]
    /// Jobs of every job kind evaluated (backup, copy and restore jobs, after merging
    /// duplicates), as reports count judged data; inventories' resources are not jobs and are
    /// not counted here (`recordCounts` has every kind).
    public var jobCount: Int
    /// Records per kind the inputs held; a kind without input has no entry (its rules are not
    /// judged), one met without records (`{"CopyJobs": []}`) has 0.
    public var recordCounts: [RecordKind: Int] = [:]
    /// Values rules compare fields with that match no job (`EvaluationWarning`); no verdict changes.
    public var warnings: [EvaluationWarning] = []

    public var summary: Summary { Summary(results) }

    public struct Summary: Sendable, Equatable {
        public var rules = 0
        public var passed = 0
        public var failed = 0
        public var waived = 0
        public var errors = 0
        /// Rules with status `empty`.
        public var empty = 0
        /// Rules with status `notJudged`.
        public var notJudged = 0
        /// Rules whose scope held no subject: those `empty`, and those failed for it (`strict`).
        public var emptyScope = 0
        public var findings = 0
        public var waivedFindings = 0

        init(_ results: [RuleResult]) {
            rules = results.count
            for result in results {
                switch result.status {
                case .pass: passed += 1
                case .fail: failed += 1
                case .waived: waived += 1
                case .error: errors += 1
                case .empty: empty += 1
                case .notJudged: notJudged += 1
                }
                if result.isEmptyScope { emptyScope += 1 }
                findings += result.failures
                waivedFindings += result.waivedCount
            }
        }
    }
}

/// The verdict on one rule.
public struct RuleResult: Sendable {
    public enum Status: String, Sendable, Codable {
        /// Every subject in scope holds, and there was at least one.
        case pass
        /// At least one subject fails and is not waived.
        case fail
        /// Subjects failed, and every failure is waived.
        case waived
        /// The rule could not be evaluated (a value overflowed): `fault` says where.
        case error
        /// No subject was in scope, or a kind it reads was given as an empty listing
        /// (`emptyKinds`), so the rule was judged on nothing: neither passed nor failed (`strict`
        /// makes it `fail`). It does not fail a gate.
        case empty
        /// A kind of record the rule reads had no input (no copy jobs were given): the rule was
        /// not run. Never a pass; it fails a gate unless every missing kind was allowed absent.
        case notJudged = "not-judged"
    }

    public var rule: CompiledRule
    public var status: Status
    /// Subjects in scope (after the rule's `where`).
    public var evaluated: Int
    /// Failing and waived subjects, ordered by subject id.
    public var findings: [Finding]
    /// Subjects in scope that passed, ordered by id; recorded only when asked for (JUnit per
    /// subject, verbose text).
    public var passedSubjects: [String]?
    /// Why the rule could not be evaluated (`status == .error`).
    public var fault: EvaluationFault?
    /// The kinds the rule reads that had no input (`status == .notJudged`), in `RecordKind` order.
    public var missingKinds: [RecordKind] = []
    /// The kinds the rule reads that the inputs held without a record (`{"CopyJobs": []}`), in
    /// `RecordKind` order. Judged on nothing of them, the rule never passes: where it would have,
    /// it is `empty` (`fail` when strict); a failure stands.
    public var emptyKinds: [RecordKind] = []
    /// Whether the user allowed every missing kind to be absent (`EvaluationOptions`): the rule is
    /// still not judged, but does not fail a gate.
    public var missingKindsAllowed = false
    /// Waivers of this rule that waived nothing.
    public var staleWaivers: [CompiledWaiver]
    /// Seconds the evaluation of this rule took.
    public var duration: Double = 0

    public var failures: Int { findings.count { $0.status == .fail } }
    public var waivedCount: Int { findings.count { $0.status == .waived } }
    /// No subject was in scope. A rule that could not be evaluated, or was not, has no scope to
    /// speak of.
    public var isEmptyScope: Bool { evaluated == 0 && status != .error && status != .notJudged }

    /// A rule not judged for want of input the user did not allow to be absent: a gate fails.
    public var blocksGate: Bool { status == .error || (status == .notJudged && !missingKindsAllowed) }
}

/// One subject that did not hold.
public struct Finding: Sendable {
    public enum Status: String, Sendable, Codable {
        case fail, waived
    }

    /// The subject's id: a BackupJobId, a ResourceArn, an account id...
    public var subject: String
    public var status: Status
    /// Why, as values: the clauses, the values seen, the figures, the nearest candidate. Reports
    /// word it (`FindingText`).
    public var detail: FindingDetail
    /// The records the verdict rests on, with their kinds: at most `evidenceLimit`, the latest
    /// of each kind first.
    public var evidence: [EvidenceRecord]
    /// The waiver that accepts this failure, or the one that did until it expired.
    public var waiver: AppliedWaiver?

    /// How many evidence records a finding keeps.
    public static let evidenceLimit = 50
}

/// A record a finding rests on: its kind and id (BackupJobId, CopyJobId, RestoreJobId).
public struct EvidenceRecord: Sendable, Hashable, CustomStringConvertible {
    public var kind: RecordKind
    public var id: String

    public init(_ kind: RecordKind, _ id: String) {
        self.kind = kind
        self.id = id
    }

    /// `copy job 7C1E…`, `job 3F2E…` (a backup job, as the language says it).
    public var description: String { "\(kind == .backupJob ? "job" : kind.noun) \(id)" }
}

public struct AppliedWaiver: Sendable {
    public var until: String
    public var expires: Timestamp
    public var reason: String
    /// The waiver had expired by `now`: the finding fails.
    public var expired: Bool
    public var location: RuleLanguage.SourceLocation
}
