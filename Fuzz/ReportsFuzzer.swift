// libFuzzer harness for the reporters (Reports: CSV, JSON, JUnit in both granularities, SARIF,
// Markdown, text). Built and run by `Scripts/fuzz.sh reports` (not part of Package.swift).
//
// The input is read as a sequence of choices and strings (a length byte, then that many bytes as
// UTF-8, invalid bytes becoming U+FFFD) from which a ReportContext is built: rules with their
// titles, controls, remediations and files; findings with their subjects, messages,
// explanations, evidence and waivers; errors, empty scopes, stale waivers, warnings, inputs,
// parameters, the host name, gaps in the listing and conflicting duplicates. Any Unicode text a
// rule file or job data can hold can come out, controls and NUL included. The values reports can
// only see from the evaluator are built by mutating the results of one real evaluation (done once
// at start-up), kept as consistent as the evaluator keeps them: a failing rule has a failing
// finding, subjects of a rule are distinct, rule ids are rule ids.
//
// Every reporter renders it, and must not crash. Then:
//   - CSV parses as strict RFC 4180 (quotes doubled inside quoted fields, nothing after a closing
//     quote, no quote, CR or LF in an unquoted field, CRLF after every record), every row has the
//     header's columns, no cell starts like a formula, and each finding's row holds its rule id,
//     subject, message and explanation exactly (with the apostrophe that defuses a formula);
//   - JSON and SARIF parse (JSONDecoder), SARIF has the members 2.1.0 requires, and both give back the rule ids, titles, controls,
//     findings' subjects, messages, explanations and evidence, waiver reasons, input paths and
//     conflicting job ids exactly, scalar for scalar;
//   - JUnit is well-formed XML (libxml2), valid against JUnit.xsd (../shared/junit), each suite's
//     counts are its cases' and no two cases share a classname and name; the host name comes back;
//   - the text report (plain and verbose) holds no character a terminal would act on except line
//     ends, and text and Markdown have as many lines as for the same context with every string
//     replaced by "x": no value starts a line of its own.
// A broken invariant calls fatalError, which libFuzzer records as a crash with the input; the
// message says what broke and shows the output.

import BackupJobs
import CLibXML2
import Dispatch
import Foundation
import Reports
import RuleEngine
import RuleLanguage

// MARK: The template: one real evaluation

/// Rules of every shape reports tell apart: per job, per group, `no`, waived, with a stale waiver.
let templateRules = """
    rule per-job {
      title "t"
      every job satisfies State == COMPLETED
    }

    rule per-resource {
      every resource where ResourceType == "EBS" has job where State == COMPLETED
    }

    rule no-stuck {
      no job where InFlight
    }

    rule per-account {
      every account satisfies share(jobs where Finished, State != COMPLETED) <= 5%
    }

    rule per-plan {
      every group by CreatedBy.BackupPlanName satisfies count(jobs) >= 1
    }

    waive per-job for "failed-2" until 2027-01-31 because "r"
    waive no-stuck for "nobody" until 2027-01-31 because "stale"
    """

final class Box<T>: @unchecked Sendable {
    var value: T?
}

/// Runs async code to its end from the synchronous fuzzing callback (once, at start-up).
func blocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let box = Box<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        box.value = await body()
        done.signal()
    }
    done.wait()
    return box.value!
}

struct Template {
    let evaluation: Evaluation
    let rules: [CompiledRule]
    let result: RuleResult
    let finding: Finding
    let waiver: AppliedWaiver
    let staleWaiver: CompiledWaiver
    let warning: EvaluationWarning
}

let template: Template = {
    let (program, diagnostics) = RuleSet.compile([SourceFile(name: "rules/template.rules", text: templateRules)])
    guard let program else { fatalError("the template rules do not compile: \(diagnostics)") }
    func job(_ id: String, _ state: BackupJobState, resource: String) -> BackupJob {
        var job = BackupJob(backupJobId: id)
        job.state = state
        job.resourceArn = resource
        job.resourceType = "EBS"
        job.accountId = "111111111111"
        return job
    }
    let table = RecordTable([
        job("ok-1", .completed, resource: "arn:aws:ec2:eu-west-1:111111111111:volume/vol-1"),
        job("failed-1", .failed, resource: "arn:aws:ec2:eu-west-1:111111111111:volume/vol-2"),
        job("failed-2", .failed, resource: "arn:aws:ec2:eu-west-1:111111111111:volume/vol-3"),
    ])
    let now = Timestamp(iso8601: "2026-11-28T12:00:00Z")!
    let evaluation = blocking { await Evaluator.evaluate(program, listing: Listing(table), now: now, options: EvaluationOptions(recordPasses: true)) }
    let findings = evaluation.results.flatMap(\.findings)
    guard let result = evaluation.results.first,
          let finding = findings.first,
          let waiver = findings.compactMap(\.waiver).first,
          let staleWaiver = evaluation.results.flatMap(\.staleWaivers).first
    else { fatalError("the template evaluation lacks a finding, a waiver or a stale waiver") }
    let warning = EvaluationWarning(
        rule: "per-resource", location: program.rules[1].location, field: "ResourceType", value: "EBS", ignoringCase: false,
        valuesSeen: [], moreValues: 0)
    return Template(evaluation: evaluation, rules: program.rules, result: result, finding: finding, waiver: waiver,
                    staleWaiver: staleWaiver, warning: warning)
}()

// MARK: Reading the input

/// The input as a sequence of choices and strings. With `dummy`, every string is "x" (the
/// choices and lengths read are the same), for the reference context of the line-count check.
struct Input {
    let data: UnsafeBufferPointer<UInt8>
    let dummy: Bool
    var index = 0

    mutating func byte() -> UInt8 {
        guard index < data.count else { return 0 }
        defer { index += 1 }
        return data[index]
    }

    mutating func int(_ bound: Int) -> Int { Int(byte()) % bound }
    mutating func bool() -> Bool { byte() & 1 == 1 }

    /// Any text: a length byte, then that many bytes as UTF-8.
    mutating func text(_ limit: Int = 48) -> String {
        let length = int(limit)
        let start = min(index, data.count)
        let end = min(start + length, data.count)
        index = end
        guard !dummy else { return "x" }
        return String(decoding: UnsafeBufferPointer(rebasing: data[start..<end]), as: UTF8.self)
    }

    /// A path or a host name: text without NUL, which no C string holds.
    mutating func path() -> String {
        String(String.UnicodeScalarView(text().unicodeScalars.filter { $0 != "\0" }))
    }

    /// A rule id as the language spells them: letters, digits, `-` and `_`, from a letter.
    mutating func ruleID(_ position: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_".unicodeScalars)
        var id = "r"
        for _ in 0..<int(24) { id.unicodeScalars.append(alphabet[int(alphabet.count)]) }
        return dummy ? "x\(position)" : "\(id)-\(position)"
    }

    /// A date as a waiver's `until` is written: digits and `-`.
    mutating func date() -> String {
        // The bytes are read in both modes, so the choices after a date stay the same.
        let date = String(format: "%04d-%02d-%02d", 1 + int(9999), 1 + int(12), 1 + int(31))
        return dummy ? "x" : date
    }

    mutating func timestamp() -> Timestamp {
        var bits: UInt64 = 0
        for _ in 0..<6 { bits = bits << 8 | UInt64(byte()) }
        let span = UInt64(Timestamp.latestSupported.millisecondsSinceEpoch - Timestamp.earliestSupported.millisecondsSinceEpoch)
        return Timestamp(millisecondsSinceEpoch: Timestamp.earliestSupported.millisecondsSinceEpoch + Int64(bits % span))
    }

    mutating func location(_ base: SourceLocation) -> SourceLocation {
        var location = base
        location.file = path()
        location.line = 1 + int(200)
        location.column = 1 + int(80)
        return location
    }

    /// Distinct texts: the subjects of one rule are distinct (by their bytes, as the evaluator
    /// tells them apart), so are the ids of conflicting jobs.
    mutating func distinctTexts(_ count: Int, avoiding taken: inout Set<[UInt8]>) -> [String] {
        (0..<count).map { _ in
            var text = self.text()
            while !taken.insert(Array(text.utf8)).inserted { text += "#" }
            return text
        }
    }

    /// Any 64-bit pattern: huge, negative and extreme numbers.
    mutating func int64() -> Int64 {
        var bits: UInt64 = 0
        for _ in 0..<8 { bits = bits << 8 | UInt64(byte()) }
        return Int64(bitPattern: bits)
    }

    mutating func constant(depth: Int = 0) -> Constant {
        switch int(depth == 0 ? 8 : 7) {
        case 0: .string(text())
        // Numbers are finite in the language; any finite double, 1e308 and 5e-324 included.
        case 1: .number({ let n = Double(bitPattern: UInt64(bitPattern: int64())); return n.isFinite ? n : 0 }())
        case 2: .boolean(bool())
        case 3: .timestamp(timestamp())
        case 4: .duration(int64())
        case 5: .size(int64() & Int64.max)
        case 6: .percent(Double(byte()) / 100)
        default: .list((0..<int(3)).map { _ in constant(depth: 1) })
        }
    }
}

// MARK: Building a context

func makeContext(_ input: inout Input) -> ReportContext {
    var evaluation = template.evaluation
    evaluation.now = input.timestamp()
    let strict = input.bool()
    let recordPasses = input.bool()
    var results: [RuleResult] = []
    for position in 0..<(1 + input.int(4)) {
        var result = template.result
        var rule = template.rules[input.int(template.rules.count)]
        rule.id = input.ruleID(position)
        rule.title = input.bool() ? input.text() : nil
        rule.description = input.bool() ? input.text() : nil
        rule.remediation = input.bool() ? input.text() : nil
        rule.controls = (0..<input.int(3)).map { _ in input.text(24) }
        rule.severity = RuleSeverity.allCases[input.int(RuleSeverity.allCases.count)]
        rule.location = input.location(rule.location)
        // The formatter writes a body's strings as literals (StringLiteral.quoted).
        rule.bodyText += " and StatusMessage != " + StringLiteral.quoted(input.text())
        result.rule = rule
        result.duration = Double(input.byte()) / 1000
        result.fault = nil
        result.findings = []
        result.passedSubjects = recordPasses ? [] : nil
        var subjects = Set<[UInt8]>()
        switch input.int(8) {
        case 0:
            result.status = .error
            let cause: EvaluationFault.Cause = switch input.int(3) {
            case 0: .overflow(expression: input.text(), type: .size,
                              record: input.int(2) == 0 ? nil : EvidenceRecord(.copyJob, input.text(24)))
            case 1: .unrelatedKind(RecordKind.allCases[input.int(RecordKind.allCases.count)])
            default: .noGroupIndex
            }
            result.fault = EvaluationFault(subjectName: result.rule.subject.displayName,
                                           subject: input.int(4) == 0 ? nil : input.text(), cause: cause)
            result.evaluated = input.int(5)
        case 1:
            result.evaluated = 0
            result.status = strict ? .fail : .empty
        default:
            let count = input.int(5)
            for subject in input.distinctTexts(count, avoiding: &subjects) {
                var finding = template.finding
                finding.subject = subject
                // Hostile text wherever a finding's words take values from the rules or the data.
                let record = RecordFacts(kind: .backupJob, id: input.text(24), state: input.text(12), created: input.timestamp(),
                                         statusMessage: input.text(96))
                finding.detail = .record(RecordFailure(
                    matched: input.int(2) == 0, failed: [input.text()],
                    observed: [ObservedValue(field: input.text(24), value: .string(input.text())), ObservedValue(field: input.text(24), value: nil)],
                    scope: input.int(2) == 0 ? input.text() : nil,
                    clauses: [ClauseCheck(text: input.text(), outcome: input.int(2) == 0 ? .failed : .overflow(expression: input.text()), observed: [])],
                    record: record))
                finding.evidence = (0..<input.int(3)).map { _ in
                    EvidenceRecord(RecordKind.allCases[input.int(RecordKind.allCases.count)], input.text(24))
                }
                finding.waiver = nil
                finding.status = input.int(3) == 0 ? .waived : .fail
                if finding.status == .waived || input.int(4) == 0 {
                    var waiver = template.waiver
                    waiver.until = input.date()
                    waiver.expires = input.timestamp()
                    waiver.reason = input.text()
                    waiver.expired = finding.status == .fail
                    waiver.location = input.location(waiver.location)
                    finding.waiver = waiver
                }
                result.findings.append(finding)
            }
            let passed = input.distinctTexts(input.int(4), avoiding: &subjects)
            result.passedSubjects = recordPasses ? passed : nil
            result.evaluated = result.findings.count + passed.count
            if result.evaluated == 0 {
                result.status = strict ? .fail : .empty
            } else {
                result.status = result.findings.contains { $0.status == .fail } ? .fail : result.findings.isEmpty ? .pass : .waived
            }
        }
        result.staleWaivers = (0..<input.int(2)).map { _ in
            var waiver = template.staleWaiver
            waiver.rule = rule.id
            waiver.untilText = input.date()
            waiver.reason = input.text()
            waiver.location = input.location(waiver.location)
            return waiver
        }
        results.append(result)
    }
    evaluation.results = results
    evaluation.jobCount = input.int(4) == 0 ? 0 : input.bool() ? 1 + input.int(1000) : Int(input.int64() & Int64.max)
    evaluation.warnings = (0..<input.int(3)).map { _ in
        EvaluationWarning(
            rule: input.bool() ? results[input.int(results.count)].rule.id : nil,
            location: input.location(template.warning.location), field: ["ResourceType", "AccountId", "BackupOptions.WindowsVSS", "Region"][input.int(4)],
            value: input.text(), ignoringCase: input.bool(), valuesSeen: (0..<input.int(4)).map { _ in input.text(24) },
            moreValues: input.int(3) == 0 ? input.int(100) : 0)
    }
    let inputs = (0..<(1 + input.int(2))).map { _ -> InputRecord in
        var record = InputRecord(path: input.path())
        record.files = (0..<(1 + input.int(2))).map { _ in
            InputFile(path: input.path(), sha256: String(repeating: "0123456789abcdef", count: 4), storedBytes: input.int(5000),
                      bytes: input.int(5000), jobsRead: input.int(50), isCompressed: input.bool())
        }
        return record
    }
    let ruleFiles = (0..<(1 + input.int(2))).map { _ in input.path() }
    var parameters: [String: Constant] = [:]
    for k in 0..<input.int(3) { parameters["p\(k)"] = input.constant() }
    let hostname = input.path()
    var gaps: [ListingGap] = []
    for _ in 0..<(input.int(4) == 0 ? 1 + input.int(2) : 0) {
        let kind: ListingGap.Kind = switch input.int(3) {
        case 0: .endsWithNextToken
        case 1: .notContinued(next: input.path(), what: "an array of jobs")
        default: .missingPart(next: input.path(), startingToken: input.text())
        }
        gaps.append(ListingGap(kind: kind, after: input.bool() ? input.path() : nil, resumeToken: input.bool() ? input.text() : nil))
    }
    var conflictIDs = Set<[UInt8]>()
    let conflicts = input.distinctTexts(input.int(4) == 0 ? 1 + input.int(3) : 0, avoiding: &conflictIDs).map {
        DuplicateConflict(jobId: $0, inputs: [input.path(), input.path()].sorted())
    }
    return ReportContext(
        evaluation: evaluation, inputs: inputs, ruleFiles: ruleFiles, parameters: parameters, toolVersion: "0.0.0-fuzz",
        hostname: hostname, completeness: gaps.isEmpty ? .complete : .incomplete(gaps), conflicts: conflicts)
}

// MARK: Checks

struct Broken: Error {
    var what: String
}

func check(_ condition: Bool, _ what: @autoclosure () -> String) throws(Broken) {
    if !condition { throw Broken(what: what()) }
}

/// Exact equality: scalar for scalar (Swift's `==` calls canonically equivalent strings equal).
func same(_ a: String?, _ b: String?) -> Bool {
    a.map { Array($0.utf8) } == b.map { Array($0.utf8) }
}

func sameList(_ a: Any?, _ b: [String]) -> Bool {
    guard let a = a as? [String], a.count == b.count else { return false }
    return zip(a, b).allSatisfy { same($0, $1) }
}

let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

/// How the CSV writer must write a value: a formula-looking one behind an apostrophe.
func defused(_ value: String) -> String {
    value.unicodeScalars.first.map(formulaStarts.contains) == true ? "'" + value : value
}

/// RFC 4180, strictly, on the bytes.
func parseCSV(_ bytes: [UInt8]) throws(Broken) -> [[String]] {
    var records: [[String]] = [], record: [String] = [], field: [UInt8] = []
    var index = 0
    let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(0x0D), lf = UInt8(0x0A)
    while index < bytes.count {
        if bytes[index] == quote {
            index += 1
            while true {
                try check(index < bytes.count, "CSV: a quoted field is not closed")
                if bytes[index] == quote {
                    if index + 1 < bytes.count && bytes[index + 1] == quote {
                        field.append(quote)
                        index += 2
                        continue
                    }
                    index += 1
                    break
                }
                field.append(bytes[index])
                index += 1
            }
        } else {
            while index < bytes.count, bytes[index] != comma, bytes[index] != cr, bytes[index] != lf {
                try check(bytes[index] != quote, "CSV: a quote inside an unquoted field at byte \(index)")
                field.append(bytes[index])
                index += 1
            }
        }
        record.append(String(decoding: field, as: UTF8.self))
        field = []
        try check(index < bytes.count, "CSV: the last record does not end with CRLF")
        if bytes[index] == comma {
            index += 1
            continue
        }
        try check(bytes[index] == cr && index + 1 < bytes.count && bytes[index + 1] == lf,
                  "CSV: byte \(index) after a field is neither a comma nor CRLF")
        index += 2
        records.append(record)
        record = []
    }
    return records
}

func checkCSV(_ context: ReportContext, _ bytes: [UInt8]) throws(Broken) {
    let rows = try parseCSV(bytes)
    try check(rows.first == CSVReporter.header, "CSV: the header row is not the header")
    for (number, row) in rows.enumerated() {
        try check(row.count == CSVReporter.header.count, "CSV: row \(number) has \(row.count) cells")
        for cell in row {
            try check(cell.unicodeScalars.first.map(formulaStarts.contains) != true, "CSV: a cell starts like a formula: \(cell.debugDescription)")
        }
    }
    var findingRows = 0
    for result in context.evaluation.results {
        for finding in result.findings {
            findingRows += 1
            let found = rows.contains { row in
                same(row[1], defused(result.rule.id)) && same(row[5], finding.status.rawValue) && same(row[7], defused(finding.subject))
                    && same(row[8], defused(FindingText.message(finding, of: result.rule, now: context.evaluation.now)))
                    && same(row[9], defused(FindingText.explanation(finding, of: result.rule, now: context.evaluation.now)))
            }
            try check(found, "CSV: no row holds exactly the finding \(finding.subject.debugDescription) of \(result.rule.id)")
        }
    }
    try check(rows.count { $0[5] == "fail" || $0[5] == "waived" } == findingRows, "CSV: not one row per finding")
}

/// Any JSON value, read with JSONDecoder. Not JSONSerialization: on Linux it drops a U+FEFF
/// that starts a string or follows an escape ("\u000b\u{FEFF}x" reads back as "\u{0B}x").
enum JSONValue: Decodable {
    case string(String), number(Double), bool(Bool), null, array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// As JSONSerialization gives it: strings, numbers, arrays and dictionaries as `Any`.
    var any: Any {
        switch self {
        case .string(let value): value
        case .number(let value): value
        case .bool(let value): value
        case .null: NSNull()
        case .array(let values): values.map(\.any)
        case .object(let members): members.mapValues(\.any)
        }
    }
}

func jsonObject(_ bytes: [UInt8], _ format: String) throws(Broken) -> [String: Any] {
    let parsed: Any
    do {
        parsed = try JSONDecoder().decode(JSONValue.self, from: Data(bytes)).any
    } catch {
        throw Broken(what: "\(format): not JSON: \(error)")
    }
    guard let object = parsed as? [String: Any] else { throw Broken(what: "\(format): not a JSON object") }
    return object
}

func checkJSON(_ context: ReportContext, _ bytes: [UInt8]) throws(Broken) {
    let document = try jsonObject(bytes, "JSON")
    let rules = document["rules"] as? [[String: Any]] ?? []
    let results = context.evaluation.results
    try check(rules.count == results.count, "JSON: \(rules.count) rules for \(results.count) results")
    for (rule, result) in zip(rules, results) {
        try check(same(rule["id"] as? String, result.rule.id), "JSON: rule id \(result.rule.id)")
        try check(same(rule["title"] as? String, result.rule.title), "JSON: the title of \(result.rule.id)")
        try check(same(rule["remediation"] as? String, result.rule.remediation), "JSON: the remediation of \(result.rule.id)")
        try check(same(rule["error"] as? String, FaultText.message(result)), "JSON: the error of \(result.rule.id)")
        try check(sameList(rule["controls"], result.rule.controls), "JSON: the controls of \(result.rule.id)")
        let findings = rule["findings"] as? [[String: Any]] ?? []
        try check(findings.count == result.findings.count, "JSON: the findings of \(result.rule.id)")
        for (entry, finding) in zip(findings, result.findings) {
            try check(same(entry["subject"] as? String, finding.subject), "JSON: subject \(finding.subject.debugDescription)")
            let message = FindingText.message(finding, of: result.rule, now: context.evaluation.now)
            let explanation = FindingText.explanation(finding, of: result.rule, now: context.evaluation.now)
            try check(same(entry["message"] as? String, message), "JSON: message \(message.debugDescription)")
            try check(same(entry["explanation"] as? String, explanation), "JSON: explanation \(explanation.debugDescription)")
            let evidence = entry["evidence"] as? [String: Any]
            try check(sameList(evidence?["jobs"], finding.evidence.filter { $0.kind == .backupJob }.map(\.id)),
                      "JSON: evidence jobs of \(finding.subject.debugDescription)")
            let records = evidence?["records"] as? [[String: Any]] ?? []
            try check(sameList(records.map { $0["id"] as? String ?? "\u{0}missing" }, finding.evidence.map(\.id))
                      && sameList(records.map { $0["kind"] as? String ?? "" }, finding.evidence.map(\.kind.rawValue)),
                      "JSON: evidence records of \(finding.subject.debugDescription)")
            try check(same((entry["waiver"] as? [String: Any])?["reason"] as? String, finding.waiver?.reason), "JSON: waiver reason")
        }
        let stale = rule["staleWaivers"] as? [[String: Any]] ?? []
        try check(stale.count == result.staleWaivers.count && zip(stale, result.staleWaivers).allSatisfy { same($0["reason"] as? String, $1.reason) },
                  "JSON: the stale waivers of \(result.rule.id)")
    }
    let inputs = document["inputs"] as? [[String: Any]] ?? []
    try check(sameList(inputs.map { $0["path"] ?? "" }, context.inputFiles.map(\.path)), "JSON: input paths")
    try check(sameList(document["ruleFiles"], context.ruleFiles), "JSON: rule files")
    let data = document["data"] as? [String: Any] ?? [:]
    let conflicts = data["conflicts"] as? [[String: Any]] ?? []
    try check(sameList(conflicts.map { $0["jobId"] ?? "" }, context.conflicts.map(\.jobId)), "JSON: conflicting job ids")
    let gaps = data["gaps"] as? [[String: Any]] ?? []
    try check(sameList(gaps.map { $0["resumeToken"] ?? "" }, context.completeness.gaps.map { $0.resumeToken ?? "" }), "JSON: resume tokens")
    let warnings = document["warnings"] as? [[String: Any]] ?? []
    try check(sameList(warnings.map { $0["value"] ?? "" }, context.evaluation.warnings.map(\.value)), "JSON: warning values")
}

func checkSARIF(_ context: ReportContext, _ bytes: [UInt8]) throws(Broken) {
    let log = try jsonObject(bytes, "SARIF")
    // The members SARIF 2.1.0 requires: version, runs, each run's tool.driver.name, each result's message.
    try check(log["version"] as? String == "2.1.0", "SARIF: no version 2.1.0")
    try check((log["runs"] as? [[String: Any]])?.count == 1, "SARIF: not one run")
    let run = (log["runs"] as? [[String: Any]])?.first ?? [:]
    try check((((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["name"] as? String)?.isEmpty == false, "SARIF: no tool.driver.name")
    for entry in run["results"] as? [[String: Any]] ?? [] {
        try check((entry["message"] as? [String: Any])?["text"] is String, "SARIF: a result without message.text")
        for location in entry["locations"] as? [[String: Any]] ?? [] {
            let physical = location["physicalLocation"] as? [String: Any]
            try check((physical?["artifactLocation"] as? [String: Any])?["uri"] is String, "SARIF: a location without artifactLocation.uri")
            if let line = (physical?["region"] as? [String: Any])?["startLine"] {
                try check((line as? Double).map { $0 >= 1 && $0 == $0.rounded() } == true, "SARIF: startLine \(line) is not a positive integer")
            }
        }
    }
    let descriptors = ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]] ?? []
    let results = context.evaluation.results
    try check(descriptors.count == results.count, "SARIF: \(descriptors.count) rules for \(results.count) results")
    for (descriptor, result) in zip(descriptors, results) {
        try check(same(descriptor["id"] as? String, result.rule.id), "SARIF: rule id \(result.rule.id)")
        try check(same((descriptor["shortDescription"] as? [String: Any])?["text"] as? String, result.rule.title ?? result.rule.id),
                  "SARIF: the title of \(result.rule.id)")
        try check(sameList((descriptor["properties"] as? [String: Any])?["tags"], result.rule.controls), "SARIF: the controls of \(result.rule.id)")
    }
    let entries = run["results"] as? [[String: Any]] ?? []
    let findings = results.flatMap { result in result.findings.map { (result.rule, $0) } }
    try check(entries.count == findings.count, "SARIF: \(entries.count) results for \(findings.count) findings")
    for (entry, (rule, finding)) in zip(entries, findings) {
        try check(same(entry["ruleId"] as? String, rule.id), "SARIF: ruleId of \(finding.subject.debugDescription)")
        let message = FindingText.message(finding, of: rule, now: context.evaluation.now)
        try check(same((entry["message"] as? [String: Any])?["text"] as? String, "\(finding.subject): \(message)"),
                  "SARIF: message of \(finding.subject.debugDescription)")
        let properties = entry["properties"] as? [String: Any] ?? [:]
        try check(same(properties["subject"] as? String, finding.subject), "SARIF: subject \(finding.subject.debugDescription)")
        try check(same(properties["explanation"] as? String, FindingText.explanation(finding, of: rule, now: context.evaluation.now)),
                  "SARIF: explanation of \(finding.subject.debugDescription)")
        try check(sameList(properties["evidence"], finding.evidence.map(\.id))
                  && sameList(properties["evidenceKinds"], finding.evidence.map(\.kind.rawValue)),
                  "SARIF: evidence of \(finding.subject.debugDescription)")
    }
}

/// XML 1.0's characters: what the JUnit writer keeps (it writes U+FFFD for the others).
func xmlLegal(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: scalar
        default: "\u{FFFD}"
        }
    }))
}

/// JUnit.xsd, parsed once; nil (and said once) when ../shared/junit is not there.
nonisolated(unsafe) let junitSchema: OpaquePointer? = {
    let environment = ProcessInfo.processInfo.environment
    let shared = environment["BACKUP_AUDIT_SHARED"] ?? (environment["BACKUP_AUDIT_ROOT"] ?? FileManager.default.currentDirectoryPath) + "/../shared"
    let path = shared + "/junit/JUnit.xsd"
    guard FileManager.default.fileExists(atPath: path), let parser = xmlSchemaNewParserCtxt(path) else {
        FileHandle.standardError.write(Data("ReportsFuzzer: \(path) not found; JUnit is checked for well-formedness only\n".utf8))
        return nil
    }
    defer { xmlSchemaFreeParserCtxt(parser) }
    guard let schema = xmlSchemaParse(parser), let validator = xmlSchemaNewValidCtxt(schema) else { fatalError("cannot load \(path)") }
    return validator
}()

final class Messages {
    var lines: [String] = []
}

func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
    guard let value = xmlGetProp(node, name) else { return nil }
    // libxml2's allocator is malloc's unless a program sets another (xmlFree itself is a global
    // variable Swift 6 will not read).
    defer { free(value) }
    return String(cString: value)
}

func elements(_ node: xmlNodePtr?) -> [xmlNodePtr] {
    var out: [xmlNodePtr] = []
    var child = node?.pointee.children
    while let current = child {
        if current.pointee.type == XML_ELEMENT_NODE { out.append(current) }
        child = current.pointee.next
    }
    return out
}

func name(_ node: xmlNodePtr) -> String { String(cString: node.pointee.name) }

func checkJUnit(_ context: ReportContext, _ bytes: [UInt8]) throws(Broken) {
    let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
    let document = bytes.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { xmlReadMemory($0.baseAddress, Int32($0.count), "report.xml", nil, options) }
    }
    guard let document else {
        let detail = xmlGetLastError().flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "?"
        throw Broken(what: "JUnit: not well-formed XML: \(detail)")
    }
    defer { xmlFreeDoc(document) }
    if let junitSchema {
        let messages = Messages()
        xmlSchemaSetValidStructuredErrors(junitSchema, { context, error in
            guard let context, let error, let message = error.pointee.message else { return }
            Unmanaged<Messages>.fromOpaque(context).takeUnretainedValue().lines.append(String(cString: message))
        }, Unmanaged.passUnretained(messages).toOpaque())
        let status = withExtendedLifetime(messages) { xmlSchemaValidateDoc(junitSchema, document) }
        try check(status == 0, "JUnit: invalid against JUnit.xsd: \(messages.lines.prefix(3))")
    }
    var cases = Set<[UInt8]>()
    for suite in elements(xmlDocGetRootElement(document)) where name(suite) == "testsuite" {
        // JUnit.xsd: `localhost` when the host name is not known (blank).
        let blank = context.hostname.unicodeScalars.allSatisfy { [" ", "\t", "\n", "\r"].contains($0) }
        try check(same(attribute(suite, "hostname"), blank ? "localhost" : xmlLegal(context.hostname)), "JUnit: the host name does not come back")
        let testCases = elements(suite).filter { name($0) == "testcase" }
        func count(_ outcome: String) -> String { String(testCases.count { elements($0).contains { name($0) == outcome } }) }
        try check(attribute(suite, "tests") == String(testCases.count), "JUnit: tests= is not the number of cases")
        try check(attribute(suite, "failures") == count("failure"), "JUnit: failures= is not the number of failures")
        try check(attribute(suite, "errors") == count("error"), "JUnit: errors= is not the number of errors")
        try check(attribute(suite, "skipped") == count("skipped"), "JUnit: skipped= is not the number of skipped cases")
        for testCase in testCases {
            let key = Array((attribute(testCase, "classname") ?? "").utf8) + [0] + Array((attribute(testCase, "name") ?? "").utf8)
            try check(cases.insert(key).inserted,
                      "JUnit: two cases named \((attribute(testCase, "classname") ?? "").debugDescription) \((attribute(testCase, "name") ?? "").debugDescription)")
        }
    }
}

/// Nothing a terminal would act on, except line ends (TerminalText's rule, which the reporter follows).
func checkTerminalSafe(_ bytes: [UInt8], _ format: String) throws(Broken) {
    for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars where scalar != "\n" {
        try check(!TerminalText.needsEscape(scalar), "\(format): the character U+\(String(scalar.value, radix: 16, uppercase: true)) reaches the terminal")
    }
}

func lineCount(_ bytes: [UInt8]) -> Int { bytes.count { $0 == 0x0A } }

func render(_ reporter: any Reporter, _ context: ReportContext) throws(Broken) -> [UInt8] {
    do {
        return try reporter.render(context)
    } catch {
        throw Broken(what: "\(type(of: reporter)) failed: \(error)")
    }
}

// MARK: The entry point

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    var input = Input(data: buffer, dummy: false)
    let context = makeContext(&input)
    var reference = Input(data: buffer, dummy: true)
    let plain = makeContext(&reference)
    var output: [UInt8] = []
    do throws(Broken) {
        output = try render(CSVReporter(), context)
        try checkCSV(context, output)
        output = try render(JSONReporter(), context)
        try checkJSON(context, output)
        output = try render(SARIFReporter(), context)
        try checkSARIF(context, output)
        for granularity in JUnitReporter.Granularity.allCases {
            output = try render(JUnitReporter(granularity: granularity), context)
            try checkJUnit(context, output)
        }
        output = try render(TextReporter(verbose: true), context)
        try checkTerminalSafe(output, "text --verbose")
        output = try render(TextReporter(), context)
        try checkTerminalSafe(output, "text")
        let textLines = try lineCount(render(TextReporter(), plain))
        try check(lineCount(output) == textLines, "text: \(lineCount(output)) lines, \(textLines) with every value \"x\"")
        output = try render(MarkdownReporter(), context)
        try checkTerminalSafe(output, "Markdown")
        let markdownLines = try lineCount(render(MarkdownReporter(), plain))
        try check(lineCount(output) == markdownLines, "Markdown: \(lineCount(output)) lines, \(markdownLines) with every value \"x\"")
    } catch {
        fatalError("""
            \(error.what)
            --- output (escaped) ---
            \(String(decoding: output.prefix(6000), as: UTF8.self).debugDescription)
            """)
    }
    return 0
}
