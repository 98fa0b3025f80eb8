public import BackupJobs
public import RuleEngine
public import RuleLanguage

/// How a finding reads, in every report and in rule test failures: a one-line message and an
/// explanation of several lines, worded from the values the evaluator found (`FindingDetail`).
/// Ages (`32h ago`) are measured from `now`, the instant the rules were judged at.
public enum FindingText {
    /// One line: the failed clauses and the values they read, `State == COMPLETED does not hold
    /// (State = "FAILED")`; `no copy job where CrossRegion; latest job 3F2E8A41… COMPLETED at …`.
    public static func message(_ finding: Finding, of rule: CompiledRule, now: Timestamp) -> String {
        let words = Words(subjectKind: rule.subject.recordKind, now: now)
        var message = switch finding.detail {
        case .record(let failure): words.message(failure)
        case .group(let failure): words.message(failure)
        }
        if let waiver = finding.waiver, waiver.expired, finding.status == .fail {
            message += " (the waiver until \(waiver.until) has expired)"
        }
        return message
    }

    /// Why, line by line: the subject, the scope, each clause with ✓ or ✗ and its values, the
    /// records looked at.
    public static func explanation(_ finding: Finding, of rule: CompiledRule, now: Timestamp) -> String {
        let words = Words(subjectKind: rule.subject.recordKind, now: now)
        var lines = switch finding.detail {
        case .record(let failure): words.lines(failure, subject: "\(rule.subject.displayName) \(finding.subject)")
        case .group(let failure): words.lines(failure, subject: "\(rule.subject.displayName) \(finding.subject)")
        }
        if let waiver = finding.waiver, waiver.expired, finding.status == .fail {
            lines.append("A waiver applied until \(waiver.until) (\(waiver.reason)); it expired on \(waiver.until) and no longer applies.")
        }
        return lines.joined(separator: "\n")
    }

    /// `needs at least 7`, `allows at most 0`.
    static func bound(_ bound: CountBound) -> String {
        switch bound {
        case .atLeast(let n): "needs at least \(n)"
        case .atMost(let n): "allows at most \(n)"
        case .exactly(let n): "needs exactly \(n)"
        }
    }

    /// The wording, for the subject kind of one rule at one instant.
    struct Words {
        /// The kind of the rule's subject records (backup jobs for groups): other kinds' records
        /// are named with their kind.
        let subjectKind: RecordKind
        let now: Timestamp

        // MARK: Record rules

        func message(_ failure: RecordFailure) -> String {
            if failure.matched { return "matches \(failure.failed.joined(separator: "; "))" + parenthesized(failure.observed.map(observed)) }
            if failure.failed.isEmpty { return "does not hold" }
            return failure.failed.joined(separator: "; ") + " does not hold" + parenthesized(failure.observed.map(observed))
        }

        func lines(_ failure: RecordFailure, subject: String) -> [String] {
            var lines = [subject]
            if let scope = failure.scope { lines.append("in scope: \(scope)") }
            lines += failure.clauses.map(clause)
            lines.append(describe(failure.record))
            return lines
        }

        // MARK: Group rules

        func message(_ failure: GroupFailure) -> String {
            var message: String
            switch failure.outcome {
            case .matched(let condition, let figures, _):
                message = "matches \(condition)" + parenthesized(figures.map(figure))
            case .unsatisfied(let failed, let figures, _):
                message = failed.joined(separator: "; ") + " does not hold" + parenthesized(figures.map(figure))
            case .count(let bound, let count, let records, _):
                let condition = records.filter.map { " where \($0)" } ?? ""
                let nouns = count == 1 ? records.noun : records.pluralNoun
                message = switch bound {
                case .atLeast(1): "no \(records.noun)\(condition)"
                case .exactly(0): "\(count) \(nouns)\(condition), none allowed"
                default: "\(count) \(nouns)\(condition); \(FindingText.bound(bound))"
                }
            case .eachDay(let days, let bound, let records, let counts):
                let missing = counts.filter { !bound.admits($0.count) }
                let what = Self.what(records)
                message = (bound == .atLeast(1) ? "no \(what)" : "\(FindingText.bound(bound)) \(what)s not met")
                    + " on \(missing.map { day($0.day) }.joined(separator: ", ")) (\(missing.count) of the last \(days) days)"
            case .latest(let records, let condition, let latest):
                if let shown = latest.first(where: { !$0.holds }) ?? latest.first {
                    message = "latest \(Self.what(records)), \(describe(shown.record, short: true)), does not satisfy \(condition)"
                        + parenthesized(shown.observed.map(observed))
                } else {
                    message = "no \(Self.what(records))"
                }
            }
            // For "has job" rules the latest job is the nearest candidate: say what it was.
            if let latest = failure.latestRecord {
                switch failure.outcome {
                case .count(_, _, let records, _) where records.kind == subjectKind, .eachDay(_, _, let records, _) where records.kind == subjectKind:
                    message += "; latest job \(describe(latest, short: true))"
                default:
                    break
                }
            }
            return message
        }

        func lines(_ failure: GroupFailure, subject: String) -> [String] {
            var lines = ["\(subject): \(ReportText.count(failure.records, "job"))"
                + failure.related.map { ", \($0.count) \($0.count == 1 ? $0.kind.noun : $0.kind.pluralNoun)" }.joined()]
            if let scope = failure.scope { lines.append("in scope: \(scope)") }
            switch failure.outcome {
            case .matched(_, _, let clauses), .unsatisfied(_, _, let clauses):
                lines += clauses.map { "\($0.held ? "✓" : "✗") \($0.text)" + parenthesized($0.figures.map(figure)) }
            case .count(let bound, let count, let records, let candidate):
                let condition = records.filter.map { " where \($0)" } ?? ""
                lines.append("\(count) \(count == 1 ? records.noun : records.pluralNoun)\(condition); \(FindingText.bound(bound))")
                if let candidate {
                    lines.append("nearest candidate, the latest \(records.noun):")
                    lines += candidate.map { "  " + clause($0) }
                }
            case .eachDay(_, let bound, let records, let counts):
                for count in counts {
                    lines.append("\(day(count.day)): \(count.count) \(count.count == 1 ? records.noun : records.pluralNoun)\(bound.admits(count.count) ? "" : "  ✗")")
                }
            case .latest(let records, _, let latest):
                for chosen in latest {
                    lines.append("latest \(Self.what(records)): \(describe(chosen.record))")
                    lines += chosen.clauses.map { "  " + clause($0) }
                }
            }
            if let latest = failure.latestRecord { lines.append("latest job: \(describe(latest))") }
            if failure.evidenceCount > Finding.evidenceLimit {
                lines.append("evidence: the latest \(Finding.evidenceLimit) of \(failure.evidenceCount) jobs")
            }
            return lines
        }

        /// `copy job where State == COMPLETED`, `job`.
        static func what(_ records: RecordsLooked) -> String {
            records.filter.map { "\(records.noun) where \($0)" } ?? records.noun
        }

        // MARK: Parts

        /// `✓ State == COMPLETED (State = "COMPLETED")`, `! Size * 2 > 1 GiB: Size * 2 overflows (…)`.
        func clause(_ clause: ClauseCheck) -> String {
            let values = parenthesized(clause.observed.map(observed))
            return switch clause.outcome {
            case .held: "✓ \(clause.text)" + values
            case .failed: "✗ \(clause.text)" + values
            case .overflow(let expression): "! \(clause.text): \(expression) overflows" + values
            }
        }

        /// `State = "FAILED"`, `CreationDate = 2026-11-27T03:10:00.000Z, 32h ago`, `Size is missing`.
        func observed(_ value: ObservedValue) -> String {
            guard let shown = value.value else { return "\(value.field) is missing" }
            guard case .timestamp(let time) = shown else { return "\(value.field) = \(shown.readable)" }
            let difference = now.millisecondsSinceEpoch - time.millisecondsSinceEpoch
            return "\(value.field) = \(shown.readable)" + (difference >= 0 ? ", \(DurationUnit.readable(difference)) ago" : ", in \(DurationUnit.readable(-difference))")
        }

        /// `count = 3 (copy jobs where CrossRegion)`, `share = 7.2%: 13 of 180 jobs satisfy …`.
        func figure(_ figure: AggregateFigure) -> String {
            switch figure {
            case .count(let count, let records):
                return "count = \(count)" + (records.filter.map { " (\(records.pluralNoun) where \($0))" } ?? (records.kind == subjectKind ? "" : " (\(records.pluralNoun))"))
            case .share(let share, let matching, let total, let records, let condition):
                return "share = \(Percentages.describe(share)): \(matching) of \(total) \(records.pluralNoun)\(records.filter.map { " where \($0)" } ?? "") satisfy \(condition)"
            case .ratio(let a, let b, let divisor):
                return "ratio = \(a) / \(b)" + (b == 0 ? " (no \(divisor.pluralNoun) to divide by)" : " = \(Percentages.describe(Double(a) / Double(b)))")
            case .statistic(let name, let value):
                return "\(name) = \(value?.readable ?? "none (no values)")"
            case .distinct(let value):
                return "distinct = \(value?.readable ?? "0")"
            case .picked(let which, let records, let record, let field, let value):
                return "\(which) \(records.noun) \(describe(record, short: true)): \(field) = \(value?.readable ?? "missing")"
            case .nonePicked(let which, let records):
                return "no \(which) \(records.noun)" + (records.filter.map { " where \($0)" } ?? "")
            case .overflow(let expression):
                return "\(expression) overflows"
            }
        }

        /// `3F2E8A41… FAILED at 2026-11-27T03:10:00.000Z (32h ago): "Access denied…"`; the full
        /// form names the whole id and the status message uncut. A record of another kind than
        /// the subject's is named with its kind (`copy job 7C1E… COMPLETED at …`).
        func describe(_ record: RecordFacts, short: Bool = false) -> String {
            var text = short && record.id.count > 12 ? String(record.id.prefix(8)) + "…" : record.id
            if record.kind != subjectKind { text = "\(record.kind.noun) " + text }
            if let state = record.state { text += " \(state)" }
            if let created = record.created {
                text += " at \(created.iso8601)"
                let age = now.millisecondsSinceEpoch - created.millisecondsSinceEpoch
                if age >= 0 { text += " (\(DurationUnit.readable(age)) ago)" }
            }
            if let status = record.statusMessage, !status.isEmpty {
                let shown = short && status.count > 60 ? String(status.prefix(60)) + "…" : status
                text += ": " + StringLiteral.quoted(shown)
            }
            return text
        }

        /// `2026-11-27`.
        func day(_ time: Timestamp) -> String { String(time.iso8601.prefix(10)) }

        /// ` (a, b)` or nothing.
        func parenthesized(_ parts: [String]) -> String {
            parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
        }
    }
}
