public import BackupJobs
public import Reports
public import RuleEngine
public import RuleLanguage

/// The CI gate as a value: it refuses data it cannot judge, evaluates a program over a listing,
/// renders the reports through the format registry, and decides the run's outcome. It prints
/// nothing and knows no flag: the command line builds its options, writes the reports it renders
/// and maps its decision to an exit status.
public struct Gate: Sendable {
    public struct Options: Sendable {
        /// Failing rules of this severity or higher fail the gate; below it they are reported only.
        public var failOn: RuleSeverity
        /// A rule with no subject in scope fails instead of being reported empty.
        public var strict: Bool
        /// Judge a listing that holds no record of a kind the rules read (the rules reading it are
        /// then empty) instead of refusing it.
        public var allowsEmptyData: Bool
        /// Judge a listing known to be incomplete (pages missing: a rule could pass on what is
        /// there and fail on what is not) instead of refusing it; its reports say so.
        public var allowsIncompleteData: Bool
        /// Record passing subjects, for reports that list them.
        public var recordsPasses: Bool
        /// Kinds of records the inputs may lack: rules reading one are still not judged, but do
        /// not fail the gate.
        public var absentKindsAllowed: Set<RecordKind>

        public init(
            failOn: RuleSeverity = .info, strict: Bool = false, allowsEmptyData: Bool = false, allowsIncompleteData: Bool = false,
            recordsPasses: Bool = false, absentKindsAllowed: Set<RecordKind> = []
        ) {
            self.failOn = failOn
            self.strict = strict
            self.allowsEmptyData = allowsEmptyData
            self.allowsIncompleteData = allowsIncompleteData
            self.recordsPasses = recordsPasses
            self.absentKindsAllowed = absentKindsAllowed
        }
    }

    /// Why the gate will not judge the data at all.
    public enum Refusal: Error, Equatable, Sendable {
        /// The inputs hold no record of any kind the rules read (none at all, or only kinds no rule
        /// reads): a fetch with a wrong Region, account or filter finds none, and every rule would
        /// be empty or not judged.
        case noJobs
        /// Some kinds the rules read were given as listings without a record (`{"BackupJobs":
        /// []}` beside copy jobs): the rules reading them would be judged on nothing.
        case emptyKinds([EmptyKind])
        /// Pages of the listing are missing (a NextToken nothing continues, a saved part missing).
        case incomplete([ListingGap])
    }

    /// A kind given without a record, and the rules that read it.
    public struct EmptyKind: Equatable, Sendable {
        public var kind: RecordKind
        public var rules: [String]

        public init(kind: RecordKind, rules: [String]) {
            self.kind = kind
            self.rules = rules
        }
    }

    /// A rule the evaluation could not judge, and why, as values: Reports words them
    /// (`NotJudgedText`, `FaultText`).
    public struct UnjudgedRule: Equatable, Sendable {
        public enum Cause: Equatable, Sendable {
            /// It reads kinds of records the inputs lacked (not allowed absent).
            case missingKinds([RecordKind])
            /// It could not be evaluated: a value overflowed, or an engine defect.
            case fault(EvaluationFault)
        }

        public var id: String
        public var cause: Cause

        public init(id: String, cause: Cause) {
            self.id = id
            self.cause = cause
        }

        /// The kinds it reads that the inputs lacked; empty when it could not be evaluated.
        public var missingKinds: [RecordKind] {
            if case .missingKinds(let kinds) = cause { kinds } else { [] }
        }
    }

    /// What the run comes to.
    public enum Decision: Equatable, Sendable {
        /// Every rule passes, is waived or empty, or fails below the threshold.
        case passed
        /// These rules fail at or above the threshold.
        case failed(rules: [String])
        /// These rules could not be evaluated, so the gate is not judged either: not a pass, and
        /// not a plain failure a severity threshold could wave through.
        case notJudged(rules: [UnjudgedRule])
    }

    /// What the run is made on besides the program and the data, for the reports.
    public struct Provenance: Sendable {
        public var ruleFiles: [String]
        public var toolVersion: String
        public var hostname: String

        public init(ruleFiles: [String], toolVersion: String, hostname: String) {
            self.ruleFiles = ruleFiles
            self.toolVersion = toolVersion
            self.hostname = hostname
        }
    }

    /// An evaluation with the context its reports are made from and the decision it comes to.
    public struct Verdict: Sendable {
        public var context: ReportContext
        public var decision: Decision
        public var evaluation: Evaluation { context.evaluation }
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Evaluates `program` over the listing at `time`; throws `Refusal` for data it cannot judge.
    /// An incomplete listing is refused as `incomplete` unless incomplete data is allowed; a
    /// listing without any record of the kinds the rules read (empty, or only other kinds) is
    /// refused as `noJobs`, and one holding a kind they read as an empty listing as
    /// `emptyKinds`, unless empty data is allowed (those rules then never pass: `empty`). A kind with no
    /// input at all is not empty but missing: its rules are not judged (`absentKindsAllowed`).
    public func evaluate(_ program: RuleProgram, listing: Listing, at time: Timestamp, provenance: Provenance) async throws(Refusal) -> Verdict {
        if !options.allowsIncompleteData, case .incomplete(let gaps) = listing.completeness { throw .incomplete(gaps) }
        let read = Self.kindsRead(by: program)
        if !options.allowsEmptyData {
            if !read.contains(where: { (listing[$0]?.count ?? 0) > 0 }) { throw .noJobs }
            let empty = Self.emptyKinds(read: program, in: listing)
            if !empty.isEmpty { throw .emptyKinds(empty) }
        }
        let evaluation = await Evaluator.evaluate(
            program, listing: listing, now: time,
            options: EvaluationOptions(recordPasses: options.recordsPasses, strict: options.strict, absentKindsAllowed: options.absentKindsAllowed))
        let context = ReportContext(
            evaluation: evaluation, inputs: listing.inputs, ruleFiles: provenance.ruleFiles, parameters: program.parameters,
            toolVersion: provenance.toolVersion, hostname: provenance.hostname, completeness: listing.completeness,
            conflicts: listing.conflicts, window: Self.window(of: listing), backupJobs: listing.tables.first { $0.kind == .backupJob })
        return Verdict(context: context, decision: decide(evaluation))
    }

    /// The span of the backup jobs' CreationDates, which the reports state: one pass over one
    /// column, whatever reports were asked for.
    static func window(of listing: Listing) -> ClosedRange<Timestamp>? {
        guard let jobs = listing.tables.first(where: { $0.kind == .backupJob }) else { return nil }
        let created = jobs.timestampColumn(jobs.schema.creationField)
        var earliest = Int64.max, latest = Int64.min
        for row in 0..<jobs.count {
            guard let time = created[row] else { continue }
            earliest = min(earliest, time)
            latest = max(latest, time)
        }
        guard earliest <= latest else { return nil }
        return Timestamp(millisecondsSinceEpoch: earliest)...Timestamp(millisecondsSinceEpoch: latest)
    }

    /// The kinds of records a program's rules read, in `RecordKind` order.
    public static func kindsRead(by program: RuleProgram) -> [RecordKind] {
        RecordKind.allCases.filter { kind in program.rules.contains { $0.kinds.contains(kind) } }
    }

    /// The kinds the rules read that the listing holds without a record, with those rules.
    public static func emptyKinds(read program: RuleProgram, in listing: Listing) -> [EmptyKind] {
        kindsRead(by: program).filter { listing[$0]?.count == 0 }.map { kind in
            EmptyKind(kind: kind, rules: program.rules.filter { $0.kinds.contains(kind) }.map(\.id))
        }
    }

    /// The decision on an evaluation: rules not judged first (could not be evaluated, or read a
    /// kind the inputs lacked and that was not allowed absent), then failures at the threshold.
    public func decide(_ evaluation: Evaluation) -> Decision {
        let unjudged = evaluation.results.filter(\.blocksGate)
        if !unjudged.isEmpty {
            return .notJudged(rules: unjudged.compactMap { result in
                if result.status == .notJudged { return UnjudgedRule(id: result.rule.id, cause: .missingKinds(result.missingKinds)) }
                // Status error always holds its fault (RuleRunner.unjudged).
                return result.fault.map { UnjudgedRule(id: result.rule.id, cause: .fault($0)) }
            })
        }
        let failing = evaluation.results.filter { $0.status == .fail && $0.rule.severity >= options.failOn }
        return failing.isEmpty ? .passed : .failed(rules: failing.map(\.rule.id))
    }

    /// Every report asked for, rendered: all of them or, when one cannot be, none (the error).
    public func render(_ verdict: Verdict, as reports: [(format: ReportFormat, options: ReportOptions)]) throws -> [[UInt8]] {
        try reports.map { try $0.format.reporter($0.options).render(verdict.context) }
    }
}
