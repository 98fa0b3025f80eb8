import Foundation
import FoundationXML
import Testing
import TestSupport

/// The gate's promise, on random rules and data (issue 9): `check` never dies by a signal, exits
/// 0, 1 or 2, exits 0 only when no report says that a rule failed or could not be judged, and
/// refuses (2, with no report) data it must not judge. Every case writes all six reports to
/// files and reads each back.
///
/// The cases are seeded: the same seeds on every run, so CI never fails by chance.
/// `BACKUP_AUDIT_PROPERTY_CASES=N` runs N cases and `BACKUP_AUDIT_PROPERTY_SEED=S` starts from
/// another seed (docs/development.md); a failure prints its seed, the rules, the data, the
/// command line and how to run that case alone.
struct CheckPropertyTests {
    static let cases: [UInt64] = {
        let environment = ProcessInfo.processInfo.environment
        let count = environment["BACKUP_AUDIT_PROPERTY_CASES"].flatMap(Int.init) ?? 30
        let first = environment["BACKUP_AUDIT_PROPERTY_SEED"].flatMap(UInt64.init) ?? 9_2026
        return (0..<UInt64(max(0, count))).map { first &+ $0 }
    }()

    static let formats = ["text": "txt", "junit": "xml", "json": "json", "csv": "csv", "markdown": "md", "sarif": "sarif"]

    /// One case: the rule file, the listing files and the flags, all from the seed.
    struct Case {
        var rules: String
        var ruleIds: [String]
        var data: RandomJobs.Written
        var flags: [String]

        init(seed: UInt64) {
            var generator = RandomRules(random: SplitMix64(seed: seed), subjectIds: RandomJobs.subjectIds)
            (rules, ruleIds) = generator.file()
            flags = generator.parameterOverrides().flatMap { ["--param", $0] }
            var jobs = RandomJobs(random: generator.random)
            data = jobs.write()
            var random = jobs.random
            for flag in ["--allow-incomplete", "--allow-empty", "--strict", "--verbose"] where Double.random(in: 0..<1, using: &random) < 0.3 {
                flags.append(flag)
            }
            if Bool.random(using: &random) { flags += ["--on-conflict", Bool.random(using: &random) ? "fail" : "resolve"] }
            if Double.random(in: 0..<1, using: &random) < 0.2 { flags += ["--junit-granularity", "subject"] }
        }

        /// Why the data must be refused before evaluation, if it must.
        var refusal: String? {
            if data.damaged { return "a listing file was damaged" }
            if !data.complete && !flags.contains("--allow-incomplete") { return "the listing is incomplete" }
            if data.distinctJobs == 0 && !flags.contains("--allow-empty") { return "the inputs hold no job" }
            if !data.conflicts.isEmpty && flags.joined(separator: " ").contains("--on-conflict fail") { return "jobs conflict under --on-conflict fail" }
            return nil
        }
    }

    /// One case at a time, each waiting for its process on a thread of its own: the cases neither
    /// load the machine with dozens of processes at once nor hold the cooperative thread pool
    /// (two threads on a 2-core machine), which the suite's async tests and their timeouts need.
    @Test(.serialized, arguments: cases)
    func checkExitsZeroOnlyWhenEveryReportSaysEveryRuleWasJudgedAndPassed(_ seed: UInt64) async throws {
        let example = Case(seed: seed)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("backup-audit-property-\(seed)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let rulesPath = directory.appendingPathComponent("case.rules").path
        try Data(example.rules.utf8).write(to: URL(fileURLWithPath: rulesPath))
        var jobPaths: [String] = []
        for (index, text) in example.data.files.enumerated() {
            jobPaths.append(directory.appendingPathComponent("jobs-\(index + 1).json").path)
            try Data(text.utf8).write(to: URL(fileURLWithPath: jobPaths[index]))
        }
        // In a folder that does not exist yet: the writer creates it.
        let reports = Self.formats.mapValues { directory.appendingPathComponent("reports/report.\($0)").path }
        let arguments = ["check", "--rules", rulesPath, "--jobs"] + jobPaths + ["--now", "2026-11-28T12:00:00Z"] + example.flags
            + reports.sorted { $0.key < $1.key }.flatMap { ["--report", "\($0.key)=\($0.value)"] }
        let result = try await Self.runOffTheCooperativePool(arguments)

        let problems = Self.problems(result, example, reports: reports)
        if problems.isEmpty {
            try? FileManager.default.removeItem(at: directory)
            return
        }
        Issue.record(Comment(rawValue: """
            case seed \(seed): \(problems.joined(separator: "; "))
            run it alone: BACKUP_AUDIT_PROPERTY_SEED=\(seed) BACKUP_AUDIT_PROPERTY_CASES=1 swift test --filter CheckPropertyTests
            files kept in \(directory.path)
            exit status \(result.status); standard error:
            \(result.error.prefix(3000))
            backup-audit \(arguments.joined(separator: " "))
            --- case.rules
            \(example.rules)
            \(example.data.files.enumerated().map { "--- jobs-\($0.offset + 1).json\n\($0.element)" }.joined(separator: "\n"))
            """))
    }

    static func runOffTheCooperativePool(_ arguments: [String]) async throws -> CLI.Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Swift.Result { try CLI.run(arguments) }) }
        }
    }

    /// Every way the run, its exit status and its reports break the gate's promise.
    static func problems(_ result: CLI.Result, _ example: Case, reports: [String: String]) -> [String] {
        var problems: [String] = []
        guard result.status < 128 else { return ["killed by signal \(result.status - 128)"] }
        guard [0, 1, 2].contains(result.status) else { return ["exit status \(result.status) is not 0, 1 or 2"] }
        let written = reports.filter { FileManager.default.fileExists(atPath: $0.value) }
        guard written.count == reports.count else {
            if !written.isEmpty { problems.append("only some reports were written: \(written.keys.sorted())") }
            if result.status != 2 { problems.append("exit status \(result.status) without reports") }
            if result.error.isEmpty { problems.append("refused without a word on standard error") }
            return problems
        }
        if let refusal = example.refusal { problems.append("judged (exit \(result.status)) although \(refusal)") }
        do {
            let reports = try Reports(reports)
            problems += reports.disagreements(with: example)
            problems += reports.contradictions(of: result.status, strict: example.flags.contains("--strict"))
        } catch {
            problems.append("a report could not be read: \(error)")
        }
        return problems
    }
}

/// The six reports of a run, read back.
struct Reports {
    let json: [String: Any]
    let rules: [[String: Any]]
    let suites: [(tests: Int, failures: Int, errors: Int, skipped: Int)]
    let text: String
    let csv: [[String: String]]
    let markdown: String
    let sarif: [String: Any]

    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    init(_ paths: [String: String]) throws {
        func contents(_ format: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: paths[format]!)) }
        func object(_ data: Data, _ what: String) throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw Unreadable(description: "\(what) is not an object") }
            return object
        }
        json = try object(try contents("json"), "the JSON report")
        rules = json["rules"] as? [[String: Any]] ?? []
        let junit = try XMLDocument(data: try contents("junit"))
        suites = try junit.nodes(forXPath: "/testsuites/testsuite").compactMap { $0 as? XMLElement }.map { suite in
            func count(_ name: String) -> Int { suite.attribute(forName: name)?.stringValue.flatMap(Int.init) ?? -1 }
            return (count("tests"), count("failures"), count("errors"), count("skipped"))
        }
        text = String(decoding: try contents("text"), as: UTF8.self)
        let records = csvRecords(String(decoding: try contents("csv"), as: UTF8.self))
        guard let header = records.first else { throw Unreadable(description: "the CSV report has no header") }
        csv = records.dropFirst().map { Dictionary(zip(header, $0), uniquingKeysWith: { first, _ in first }) }
        markdown = String(decoding: try contents("markdown"), as: UTF8.self)
        sarif = try object(try contents("sarif"), "the SARIF report")
    }

    var summary: [String: Any] { json["summary"] as? [String: Any] ?? [:] }
    func summary(_ key: String) -> Int { summary[key] as? Int ?? -1 }

    /// Rule ids by their status in the JSON report.
    func rules(_ status: String) -> Set<String> {
        Set(rules.filter { $0["status"] as? String == status }.compactMap { $0["id"] as? String })
    }

    /// What the JSON report says about the data, against what was written.
    func disagreements(with example: CheckPropertyTests.Case) -> [String] {
        var problems: [String] = []
        let data = json["data"] as? [String: Any] ?? [:]
        let conflicts = Set((data["conflicts"] as? [[String: Any]] ?? []).compactMap { $0["jobId"] as? String })
        if data["complete"] as? Bool != example.data.complete { problems.append("data.complete is \(data["complete"] ?? "absent"), the listing was written \(example.data.complete ? "complete" : "incomplete")") }
        if data["empty"] as? Bool != (example.data.distinctJobs == 0) { problems.append("data.empty is \(data["empty"] ?? "absent") for \(example.data.distinctJobs) jobs") }
        if summary("jobs") != example.data.distinctJobs { problems.append("summary.jobs is \(summary("jobs")), \(example.data.distinctJobs) distinct jobs were written") }
        if conflicts != example.data.conflicts || data["conflictCount"] as? Int != conflicts.count {
            problems.append("data.conflicts is \(conflicts.sorted()) (count \(data["conflictCount"] ?? "absent")); written in conflicting versions: \(example.data.conflicts.sorted())")
        }
        let judged = Set(rules.compactMap { $0["id"] as? String })
        if judged != Set(example.ruleIds) { problems.append("the JSON report has rules \(judged.sorted()), the file \(example.ruleIds)") }
        return problems
    }

    /// Where a report says something the exit status contradicts, or the reports disagree.
    func contradictions(of status: Int32, strict: Bool) -> [String] {
        var problems: [String] = []
        let failed = rules("fail"), errors = rules("error")
        let allowed: Set<String> = strict ? ["pass", "waived", "fail", "error"] : ["pass", "waived", "empty", "fail", "error"]
        for rule in rules where !allowed.contains(rule["status"] as? String ?? "") {
            problems.append("rule \(rule["id"] ?? "?") has status \(rule["status"] ?? "none")\(strict ? " under --strict" : "")")
        }
        if summary("failed") != failed.count || summary("errors") != errors.count {
            problems.append("summary says \(summary("failed")) failed and \(summary("errors")) errors, the rules \(failed.count) and \(errors.count)")
        }

        // The exit status: 0 only when nothing failed or was unjudged, 2 only when a rule could
        // not be evaluated (the reports were written, so the data was accepted), else 1.
        let expected: Int32 = !errors.isEmpty ? 2 : !failed.isEmpty ? 1 : 0
        if status != expected {
            problems.append("exit status \(status), but the JSON report has \(failed.count) failed and \(errors.count) unjudged rules (expected \(expected))")
        }

        // Every other report says the same.
        let junitFailures = suites.reduce(0) { $0 + $1.failures }, junitErrors = suites.reduce(0) { $0 + $1.errors }
        if (junitFailures > 0) != !failed.isEmpty || junitErrors != errors.count {
            problems.append("JUnit has \(junitFailures) failures and \(junitErrors) errors for \(failed.count) failed and \(errors.count) unjudged rules")
        }
        if suites.count == 1, suites[0].tests == rules.count, suites[0].failures != failed.count {
            problems.append("JUnit counts \(suites[0].failures) failing rules, JSON \(failed.count)")
        }
        let textMarks = text.split(separator: "\n").filter { $0.hasPrefix("✗ FAIL ") || $0.hasPrefix("! ERROR ") }
        if textMarks.count != failed.count + errors.count {
            problems.append("the text report marks \(textMarks.count) rules FAIL or ERROR, JSON \(failed.count + errors.count)")
        }
        if !text.contains("\(summary("passed")) passed, \(failed.count) failed") {
            problems.append("the text report's summary does not say \(summary("passed")) passed, \(failed.count) failed")
        }
        let csvFailing = Set(csv.filter { $0["status"] == "fail" }.compactMap { $0["rule"] })
        let csvErrors = Set(csv.filter { $0["status"] == "error" }.compactMap { $0["rule"] })
        let failedWithFindings = Set(rules.filter { $0["status"] as? String == "fail" && $0["emptyScope"] as? Bool != true }.compactMap { $0["id"] as? String })
        if csvFailing != failedWithFindings || csvErrors != errors {
            problems.append("CSV has fail rows for \(csvFailing.sorted()) and error rows for \(csvErrors.sorted()); JSON: \(failedWithFindings.sorted()), \(errors.sorted())")
        }
        let verdict = markdown.split(separator: "\n").first.map(String.init) ?? ""
        if verdict.contains("❌") == (failed.isEmpty && errors.isEmpty) {
            problems.append("the Markdown verdict '\(verdict)' for \(failed.count) failed and \(errors.count) unjudged rules")
        }
        let run = (sarif["runs"] as? [[String: Any]])?.first ?? [:]
        let unsuppressed = (run["results"] as? [[String: Any]] ?? []).filter { ($0["suppressions"] as? [Any] ?? []).isEmpty }
        let sarifFailing = Set(unsuppressed.compactMap { $0["ruleId"] as? String })
        let invocation = (run["invocations"] as? [[String: Any]])?.first ?? [:]
        let sarifErrors = (invocation["toolExecutionNotifications"] as? [[String: Any]] ?? []).filter { $0["level"] as? String == "error" }
        if sarifFailing != failedWithFindings || sarifErrors.count != errors.count || invocation["executionSuccessful"] as? Bool != errors.isEmpty {
            problems.append("SARIF has unsuppressed results for \(sarifFailing.sorted()) and \(sarifErrors.count) error notifications; JSON: \(failedWithFindings.sorted()), \(errors.sorted())")
        }
        return problems
    }
}
