import BackupJobs
import RuleEngine
import RuleLanguage

/// JUnit XML for CI, written for every consumer `shared/junit/CONSUMERS.md` studies: a
/// `<testsuites>` root with one level of `<testsuite>`, counts computed from the cases written,
/// unique (classname, name), `time` with three decimals, a UTC timestamp without zone, one result
/// element per case, and at least one case.
public struct JUnitReporter: Reporter {
    public enum Granularity: String, CaseIterable, Sendable {
        /// One case per rule (the default): the file stays small and its case names stay the same
        /// from run to run, whatever the data; each failing case lists its subjects.
        case rule
        /// One suite per rule, one case per subject evaluated.
        case subject
    }

    public var granularity: Granularity
    /// Findings written into one failure body before the rest is only counted (GitLab reads at
    /// most 30 MB of JUnit per file).
    public static let findingsPerBody = 100

    public init(granularity: Granularity = .rule) {
        self.granularity = granularity
    }

    /// One `<testcase>`.
    struct Case {
        enum Outcome {
            case pass(output: String?)
            case failure(message: String, body: String)
            case error(message: String, body: String)
            case skipped(message: String)
        }
        var classname: String
        var name: String
        var time: Double
        var outcome: Outcome
    }

    struct Suite {
        var name: String
        var cases: [Case]
        var time: Double
    }

    public func render(_ context: ReportContext) throws -> [UInt8] {
        let suites: [Suite] = switch granularity {
        case .rule: [ruleSuite(context)]
        case .subject: context.evaluation.results.map { subjectSuite($0, now: context.evaluation.now) }
        }
        let header = SuiteHeader(
            // UTC, without a zone or fraction: what JUnit.xsd requires and Jenkins and Azure read as UTC.
            timestamp: String(context.evaluation.now.iso8601.prefix(19)), hostname: context.hostname,
            properties: properties(context), failureType: "ComplianceViolation")
        let notes = context.dataNotes.map(\.text)
        return try Self.document(suites.map { ($0, notes + staleWaiverLines($0, context) + warningLines($0, context)) }, header: header)
    }

    /// What every suite of a document states about the run.
    struct SuiteHeader {
        var timestamp: String
        var hostname: String
        var properties: [(String, String)]
        /// The `type` of `<failure>` elements.
        var failureType: String
    }

    /// A whole document: suites, each with extra lines for its `system-out`.
    static func document(_ suites: [(Suite, [String])], header: SuiteHeader) throws -> [UInt8] {
        let writer = try XMLWriter()
        try writer.startDocument()
        try writer.startElement("testsuites")
        for (index, (suite, output)) in suites.enumerated() {
            try write(suite, id: index, header: header, extraOutput: output, to: writer)
        }
        try writer.endElement()
        return try writer.finish()
    }

    private func staleWaiverLines(_ suite: Suite, _ context: ReportContext) -> [String] {
        var lines: [String] = []
        for result in context.evaluation.results where suite.name == "backup-audit" || suite.name == "backup-audit." + result.rule.id {
            for waiver in result.staleWaivers {
                lines.append("\(result.rule.id): stale waiver at \(waiver.location.file):\(waiver.location.line) waived nothing (\(waiver.reason))")
            }
        }
        return lines
    }

    /// Values of the suite's rules that matched no job (every warning in the one-suite document).
    private func warningLines(_ suite: Suite, _ context: ReportContext) -> [String] {
        context.evaluation.warnings.filter { suite.name == "backup-audit" || suite.name == "backup-audit." + ($0.rule ?? "") }
            .map { "warning: " + WarningText.line($0) }
    }

    // MARK: Cases

    private func ruleSuite(_ context: ReportContext) -> Suite {
        let cases = context.evaluation.results.map { result in
            Case(classname: "backup-audit." + Self.fileStem(result.rule.location.file), name: Self.caseName(result.rule),
                 time: result.duration, outcome: Self.outcome(of: result, now: context.evaluation.now))
        }
        return Suite(name: "backup-audit", cases: cases, time: context.evaluation.results.reduce(0) { $0 + $1.duration })
    }

    private func subjectSuite(_ result: RuleResult, now: Timestamp) -> Suite {
        let classname = "backup-audit." + result.rule.id
        var cases: [Case] = []
        if result.isEmptyScope {
            cases.append(Case(classname: classname, name: "(no subject in scope)", time: result.duration,
                              outcome: result.status == .fail ? .failure(message: "no subject in scope (strict)", body: Self.scopeText(result))
                                  : .skipped(message: Self.scopeText(result))))
        }
        if result.status == .error {
            cases.append(Case(classname: classname, name: "(evaluation)", time: result.duration,
                              outcome: .error(message: FaultText.message(result) ?? "could not be evaluated", body: FaultText.message(result) ?? "")))
        }
        var subjects: [(String, Case.Outcome)] = result.findings.map { finding in
            switch finding.status {
            case .fail: (finding.subject, .failure(message: ReportText.oneLine(FindingText.message(finding, of: result.rule, now: now)), body: Self.findingText(finding, of: result.rule, now: now)))
            case .waived: (finding.subject, .skipped(message: Self.waivedMessage(finding)))
            }
        }
        subjects += (result.passedSubjects ?? []).map { ($0, .pass(output: nil)) }
        subjects.sort { $0.0 < $1.0 }
        cases += Self.uniqueNames(subjects.map(\.0), taken: Set(cases.map(\.name))).enumerated().map { index, name in
            Case(classname: classname, name: name, time: 0, outcome: subjects[index].1)
        }
        if cases.isEmpty {
            // Passing subjects were not recorded: still one case, so no consumer sees an empty suite.
            cases.append(Case(classname: classname, name: Self.caseName(result.rule), time: result.duration, outcome: Self.outcome(of: result, now: now)))
        }
        return Suite(name: "backup-audit." + result.rule.id, cases: cases, time: result.duration)
    }

    /// Case names as XML will hold them, unique: distinct subjects can differ only by characters
    /// XML 1.0 cannot hold (the writer writes U+FFFD for each), and consumers merge or drop cases
    /// that share a name. A repeated name gets " (2)", " (3)"... (found by fuzzing).
    static func uniqueNames(_ subjects: [String], taken: Set<String>) -> [String] {
        var seen = Set(taken.map { Array(XMLWriter.legal($0).utf8) })
        return subjects.map { subject in
            let legal = XMLWriter.legal(subject)
            var name = legal
            var number = 1
            while !seen.insert(Array(name.utf8)).inserted {
                number += 1
                name = "\(legal) (\(number))"
            }
            return name
        }
    }

    static func outcome(of result: RuleResult, now: Timestamp) -> Case.Outcome {
        switch result.status {
        case .pass:
            return .pass(output: result.isNoRule ? result.noRuleCount : nil)
        case .empty:
            return .skipped(message: scopeText(result))
        case .notJudged where result.missingKindsAllowed:
            return .skipped(message: ReportText.notJudged(result))
        case .notJudged:
            return .error(message: ReportText.notJudged(result), body: ReportText.notJudged(result))
        case .error:
            return .error(message: FaultText.message(result) ?? "could not be evaluated", body: FaultText.message(result) ?? "")
        case .waived:
            let waived = result.findings.filter { $0.status == .waived }
            return .skipped(message: waived.count == 1 ? waivedMessage(waived[0])
                : "waived: all \(ReportText.subjects(result.rule.subject, waived.count)) that fail are waived")
        case .fail:
            if result.isEmptyScope {
                return .failure(message: "no subject in scope (strict)", body: scopeText(result))
            }
            let failing = result.findings.filter { $0.status == .fail }
            let first = failing[0]
            let count = result.isNoRule ? result.noRuleCount : "\(failing.count) of \(ReportText.subjects(result.rule.subject, result.evaluated)) failed"
            let message = "\(count); \(first.subject): \(FindingText.message(first, of: result.rule, now: now))"
            var body = ["\(result.rule.id): \(result.rule.title ?? result.rule.bodyText)", "rule: \(result.rule.bodyText)", "severity: \(result.rule.severity.rawValue)"]
            if let remediation = result.rule.remediation { body.append("remediation: \(remediation)") }
            body.append("")
            for finding in failing.prefix(findingsPerBody) {
                body.append(findingText(finding, of: result.rule, now: now))
                body.append("")
            }
            if failing.count > findingsPerBody {
                body.append("… and \(failing.count - findingsPerBody) more; the JSON report lists every finding")
            }
            return .failure(message: ReportText.oneLine(message), body: body.joined(separator: "\n"))
        }
    }

    static func findingText(_ finding: Finding, of rule: CompiledRule, now: Timestamp) -> String {
        var lines = ["\(finding.subject): \(FindingText.message(finding, of: rule, now: now))"]
        lines += FindingText.explanation(finding, of: rule, now: now).split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        if !finding.evidence.isEmpty { lines.append("  evidence: " + ReportText.evidence(finding.evidence)) }
        return lines.joined(separator: "\n")
    }

    static func waivedMessage(_ finding: Finding) -> String {
        guard let waiver = finding.waiver else { return "waived" }
        return ReportText.oneLine("waived until \(waiver.until): \(waiver.reason)")
    }

    static func scopeText(_ result: RuleResult) -> String {
        "no subject in scope: no \(result.rule.subject.displayName) matched (\(result.rule.bodyText))"
    }

    static func caseName(_ rule: CompiledRule) -> String {
        ReportText.oneLine(rule.id + (rule.title.map { ": " + $0 } ?? ""), limit: 500)
    }

    /// `rules/aws-backup-baseline.rules` → `aws-backup-baseline`.
    static func fileStem(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.hasSuffix(".rules") ? String(name.dropLast(6)) : name
    }

    // MARK: Writing

    private static func write(_ suite: Suite, id: Int, header: SuiteHeader, extraOutput: [String], to writer: XMLWriter) throws {
        var failures = 0, errors = 0, skipped = 0
        for testCase in suite.cases {
            switch testCase.outcome {
            case .failure: failures += 1
            case .error: errors += 1
            case .skipped: skipped += 1
            case .pass: break
            }
        }
        try writer.startElement("testsuite")
        try writer.attribute("name", suite.name)
        try writer.attribute("package", "backup-audit")
        try writer.attribute("id", String(id))
        try writer.attribute("tests", String(suite.cases.count))
        try writer.attribute("failures", String(failures))
        try writer.attribute("errors", String(errors))
        try writer.attribute("skipped", String(skipped))
        try writer.attribute("time", ReportText.seconds(suite.time))
        try writer.attribute("timestamp", header.timestamp)
        try writer.attribute("hostname", hostnameAttribute(header.hostname))
        try writer.startElement("properties")
        for (name, value) in header.properties {
            try writer.startElement("property")
            try writer.attribute("name", name)
            try writer.attribute("value", value)
            try writer.endElement()
        }
        try writer.endElement()
        for testCase in suite.cases {
            try writer.startElement("testcase")
            try writer.attribute("classname", testCase.classname)
            try writer.attribute("name", testCase.name)
            try writer.attribute("time", ReportText.seconds(testCase.time))
            switch testCase.outcome {
            case .pass: break
            case .failure(let message, let body):
                try result("failure", message: message, type: header.failureType, body: body, writer)
            case .error(let message, let body):
                try result("error", message: message, type: "EvaluationError", body: body, writer)
            case .skipped(let message):
                // The reason as the message (Azure, Jenkins) and as the text (GitLab, jenkins-junit.xsd).
                try writer.startElement("skipped")
                try writer.attribute("message", message)
                try writer.text(message)
                try writer.endElement()
            }
            try writer.endElement()
        }
        // JUnit.xsd requires these; outputs of passing cases go here (no testcase system-out there).
        let outputs = suite.cases.compactMap { testCase -> String? in
            if case .pass(let output?) = testCase.outcome { return "\(testCase.name): \(output)" }
            return nil
        } + extraOutput
        try writer.startElement("system-out")
        try writer.text(outputs.joined(separator: "\n"))
        try writer.endElement()
        try writer.startElement("system-err")
        try writer.text("")
        try writer.endElement()
        try writer.endElement()
    }

    /// JUnit.xsd wants a host name of at least one character once blanks are collapsed, and
    /// `localhost` when it cannot be determined: a machine can be named "" (sethostname(2)).
    static func hostnameAttribute(_ hostname: String) -> String {
        hostname.unicodeScalars.allSatisfy { [" ", "\t", "\n", "\r"].contains($0) } ? "localhost" : hostname
    }

    private static func result(_ element: String, message: String, type: String, body: String, _ writer: XMLWriter) throws {
        try writer.startElement(element)
        try writer.attribute("message", message)
        try writer.attribute("type", type)
        try writer.text(body)
        try writer.endElement()
    }

    private func properties(_ context: ReportContext) -> [(String, String)] {
        var properties: [(String, String)] = [
            ("backup-audit.version", context.toolVersion),
            ("backup-audit.now", context.evaluation.now.iso8601),
            ("backup-audit.jobs", String(context.evaluation.jobCount)),
        ]
        for file in context.inputFiles {
            properties.append(("backup-audit.input", "\(file.path) sha256:\(file.sha256) jobs:\(file.jobsRead)"))
        }
        for gap in context.completeness.gaps { properties.append(("backup-audit.data.incomplete", gap.description)) }
        if context.evaluation.jobCount == 0 { properties.append(("backup-audit.data.empty", "true")) }
        if !context.conflicts.isEmpty {
            properties.append(("backup-audit.data.conflicts", "\(context.conflicts.count): " + context.conflicts.prefix(20).map(\.jobId).joined(separator: " ")))
        }
        for file in context.ruleFiles { properties.append(("backup-audit.rules", file)) }
        for (name, value) in context.parameters.sorted(by: { $0.key < $1.key }) {
            properties.append(("backup-audit.param." + name, ReportText.constant(value)))
        }
        return properties
    }
}
