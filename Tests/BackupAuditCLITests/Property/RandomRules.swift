import TestSupport

/// Rule files written from the grammar of docs/language.md: parameters, rules over every subject
/// with every assertion, conditions with comparisons, text tests (`matches`, `like`, `ignoring
/// case`), presence tests and aggregates, arithmetic near the edges of the 64-bit ranges, and
/// waivers. Most of what it writes type-checks, so most cases reach evaluation; a few are wrong on
/// purpose (a typo, an out-of-range constant, a bad `--param`), so the refusals are exercised too.
struct RandomRules {
    var random: SplitMix64
    /// Subject ids the data generator uses, for waivers that name subjects.
    let subjectIds: [String]

    /// The declared parameters: each with its kind and the literal it is declared with.
    static let parameters: [(name: String, kind: Kind, literal: String)] = [
        ("p_dur", .duration, "24h"), ("p_size", .size, "500 MiB"), ("p_num", .number, "3"), ("p_pct", .percentage, "5%"),
        ("p_time", .time, "2026-11-27T00:00:00Z"), ("p_text", .text, "\"prod\""),
    ]

    enum Kind: CaseIterable {
        case number, duration, size, time, percentage, text
    }

    /// A group subject and the attributes a condition on it may use.
    static let groups: [(subject: String, attributes: [String])] = [
        ("resource", ["ResourceArn", "ResourceType", "ResourceName", "AccountId", "Region"]),
        ("account", ["AccountId"]),
        ("vault", ["BackupVaultArn", "BackupVaultName", "AccountId", "Region"]),
        ("plan", ["CreatedBy.BackupPlanId", "CreatedBy.BackupPlanName", "AccountId"]),
        ("resource type", ["ResourceType"]),
        ("group by CreatedBy.BackupRuleId", ["CreatedBy.BackupRuleId"]),
        ("group by BackupVaultName", ["BackupVaultName"]),
    ]

    static let states = ["CREATED", "PENDING", "RUNNING", "ABORTING", "ABORTED", "COMPLETED", "FAILED", "EXPIRED", "PARTIAL"]
    static let textFields = [
        "ResourceArn", "ResourceType", "AccountId", "BackupVaultName", "IamRoleArn", "StatusMessage", "RoleName", "Region",
        "MessageCategory", "CreatedBy.BackupPlanId", "ResourceName", "PercentDone", "BackupOptions.WindowsVSS",
    ]
    static let textValues = [
        "\"EBS\"", "\"RDS\"", "\"prod\"", "\"111111111111\"", "\"222222222222\"", "\"AWSBackup\"", "\"eu-west-1\"", "\"\"",
        "\"SUCCESS\"", "\"plan-1\"", "\"Access \\\"denied\\\"\\n\"", "\"\\u{1B}[31m\"", "\"日本\"", "p_text",
    ]
    static let patterns = [
        "\"^arn:aws:ec2:\"", "\"vol-[0-9a-f]+$\"", "\"(?i)backup\"", "\"^([A-Za-z]+ ?)+$\"", "\"\\\\d{12}\"", "\"\"",
        "\"[[:alpha:]]+\"", "\"\\\\pL\"", "\"a{1000}\"",
    ]
    static let globs = ["\"prod-*\"", "\"*\"", "\"arn:aws:*:volume/*\"", "\"?\"", "\"\"", "\"*-db-?\"", "\"\\\\*\""]

    // MARK: Files

    /// A rule file of one to three rules, the parameters, and perhaps waivers.
    mutating func file() -> (text: String, ruleIds: [String]) {
        var lines = Self.parameters.map { "param \($0.name) = \($0.literal)" }
        var ids: [String] = []
        for number in 1...Int.random(in: 1...3, using: &random) {
            let id = "r\(number)"
            ids.append(id)
            let (body, groupIndex) = self.body()
            lines.append("""

                rule \(id) {
                  title "Rule \(number)"
                  severity \(pick(["info", "low", "medium", "high", "critical"]))
                  \(body)
                }
                """)
            if chance(0.3) { lines.append(waiver(for: id, groupIndex: groupIndex)) }
        }
        var text = lines.joined(separator: "\n") + "\n"
        if rare() { text = damaged(text) }
        return (text, ids)
    }

    /// `--param` overrides: of the right kind mostly, rarely out of range, of another kind or
    /// of no parameter.
    mutating func parameterOverrides() -> [String] {
        guard chance(0.25) else { return [] }
        return (0..<Int.random(in: 1...2, using: &random)).map { _ in
            rare() ? pick(["p_dur=106751991168d", "p_dur=5%", "p_num=1e400", "p_time=2027-02-30", "p_missing=1"])
                : pick(["p_dur=48h", "p_dur=106751991167d", "p_size=8388607 TiB", "p_size=0 B", "p_num=1e308", "p_num=-7", "p_pct=150%",
                        "p_time=9999-12-31T23:59:59.999Z", "p_time=0001-01-01", "p_text=\"\"", "p_text=\"x\\u{202E}y\""])
        }
    }

    /// A rule body, and the group its subject is (nil for jobs).
    mutating func body() -> (String, Int?) {
        if chance(0.4) {
            if chance(0.3) { return ("no job where \(condition(depth: 2))", nil) }
            let scope = chance(0.5) ? " where \(condition(depth: 1))" : ""
            return ("every job\(scope) satisfies \(condition(depth: 2))", nil)
        }
        let index = Int.random(in: 0..<Self.groups.count, using: &random)
        let subject = Self.groups[index].subject
        if chance(0.2) { return ("no \(subject) where \(groupCondition(index, depth: 2))", index) }
        let scope = chance(0.5) ? " where \(groupCondition(index, depth: 1))" : ""
        return ("every \(subject)\(scope) \(assertion(index))", index)
    }

    mutating func assertion(_ group: Int) -> String {
        let filter = chance(0.6) ? " where \(condition(depth: 1))" : ""
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return "satisfies \(groupCondition(group, depth: 2))"
        case 1: return "has job\(filter)"
        case 2:
            let count = rare() ? pick(["1e308", "1.5", "-1"]) : pick(["0", "1", "2", "7", "p_num"])
            return "has \(pick(["at least", "at most", "exactly"])) \(count) jobs\(filter)"
        case 3: return "has no job\(filter)"
        case 4: return "has job\(filter) in each of the last \(rare() ? pick(["3661", "0"]) : pick(["1", "7", "30", "3660"])) days"
        default: return "latest job\(filter) satisfies \(condition(depth: 1))"
        }
    }

    mutating func waiver(for id: String, groupIndex: Int?) -> String {
        let until = rare() ? "2027-02-30" : pick(["2027-01-31", "2026-01-01", "2026-11-28T12:00:00Z", "9999-12-31"])
        let target: String
        if chance(0.5) {
            target = "for " + (0..<Int.random(in: 1...2, using: &random)).map { _ in "\"\(pick(subjectIds))\"" }.joined(separator: ", ")
        } else {
            target = "where " + (groupIndex.map { groupCondition($0, depth: 1) } ?? condition(depth: 1))
        }
        return "\nwaive \(id) \(target)\n  until \(until) because \"\(pick(["known", "OPS-1234", "decommissioning"]))\""
    }

    /// The text with one token's worth of damage: a character removed or doubled.
    mutating func damaged(_ text: String) -> String {
        var characters = Array(text)
        let index = Int.random(in: 0..<characters.count, using: &random)
        if chance(0.5) { characters.remove(at: index) } else { characters.insert(characters[index], at: index) }
        return String(characters)
    }

    // MARK: Conditions

    /// A condition on a job.
    mutating func condition(depth: Int) -> String {
        if depth > 0 && chance(0.35) {
            switch Int.random(in: 0..<3, using: &random) {
            case 0: return "\(condition(depth: depth - 1)) and \(condition(depth: depth - 1))"
            case 1: return "(\(condition(depth: depth - 1)) or \(condition(depth: depth - 1)))"
            default: return "not (\(condition(depth: depth - 1)))"
            }
        }
        switch Int.random(in: 0..<10, using: &random) {
        case 0: return pick(["Finished", "InFlight", "CompletedWithIssues", "IsParent", "IsEncrypted", "IsParent == false"])
        case 1:
            let states = (0..<Int.random(in: 1...3, using: &random)).map { _ in pick(Self.states) }
            return pick(["State == \(states[0])", "State != \(states[0])", "State in [\(states.joined(separator: ", "))]",
                         "State not in [\(states.joined(separator: ", "))]"])
        case 2: return rare() ? "ResourceType == \"rds\""
            : pick(["ResourceType == \"EBS\"", "ResourceType in [\"RDS\", \"Aurora\"]", "ResourceType like \"NewType\"",
                    "AccountId == \"000000000000\"", "AccountId in [\"111111111111\", p_text]", "extra(\"ScanStatus\") == \"CLEAN\""])
        case 3: return textTest(pick(Self.textFields))
        case 4: return timeTest(computed(.time))
        case 5: return pick(Self.textFields + ["CreationDate", "CompletionDate", "BackupSizeInBytes", "CreatedBy", "Duration"])
            + pick([" exists", " is missing"])
        default:
            let kind = pick([Kind.number, .duration, .size, .time])
            // Numbers compare with sizes and percentages too.
            let right = kind == .number && chance(0.3) ? constant(pick([.size, .percentage])) : chance(0.7) ? constant(kind) : computed(kind)
            return "\(computed(kind)) \(order()) \(right)"
        }
    }

    /// A condition on a group: its attributes and aggregates of its jobs.
    mutating func groupCondition(_ group: Int, depth: Int) -> String {
        if depth > 0 && chance(0.3) {
            let left = groupCondition(group, depth: depth - 1), right = groupCondition(group, depth: depth - 1)
            return pick(["\(left) and \(right)", "(\(left) or \(right))", "not (\(left))"])
        }
        let jobs = chance(0.5) ? "jobs" : "jobs where \(condition(depth: 1))"
        switch Int.random(in: 0..<9, using: &random) {
        case 0: return textTest(pick(Self.groups[group].attributes))
        case 1: return "count(\(jobs)) \(order()) \(constant(.number))"
        case 2: return "share(\(jobs), \(condition(depth: 1))) \(order()) \(constant(.percentage))"
        case 3: return "ratio(\(jobs), jobs where \(condition(depth: 0))) \(order()) \(constant(.percentage))"
        case 4:
            let which = pick(["latest", "earliest"])
            return pick(["\(which)(\(jobs)).State == \(pick(Self.states))", "\(which)(\(jobs)).CompletionDate within \(constant(.duration))",
                         "\(which)(\(jobs)).BackupSizeInBytes \(order()) \(constant(.size))", "\(which)(\(jobs)).StatusMessage is missing"])
        case 5:
            let time = "\(pick(["min", "max", "median"]))(\(jobs), \(pick(["CreationDate", "CompletionDate", "CreationDate + 106751991167d"])))"
            return chance(0.5) ? "\(time) \(pick(["within", "older than"])) \(constant(.duration))" : "\(time) \(order()) \(constant(.time))"
        case 6:
            let (value, kind) = pick([("Duration", Kind.duration), ("BackupSizeInBytes", .size), ("BackupSizeInBytes * 3", .size),
                                      ("RecoveryPointLifecycle.DeleteAfterDays", .number), ("BytesTransferred + BackupSizeInBytes", .size),
                                      ("Duration * 99999999999", .duration)])
            let aggregate = "\(pick(["sum", "avg", "min", "max", "median"]))(\(jobs), \(value))"
            return "\(aggregate)\(chance(0.3) ? " * \(pick(["2", "99999999999", "1.5"]))" : "") \(order()) \(constant(kind))"
        case 7: return "distinct(\(jobs), \(pick(["ResourceArn", "State", "CreationDate"]))) \(order()) \(constant(.number))"
        default: return "count(\(jobs)) \(order()) count(jobs where \(condition(depth: 0)))"
        }
    }

    mutating func textTest(_ field: String) -> String {
        let ignoring = chance(0.3) ? " ignoring case" : ""
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return "\(field) \(pick(["==", "!="])) \(pick(Self.textValues))\(ignoring)"
        case 1: return "\(field) \(pick(["in", "not in"])) [\(pick(Self.textValues)), \(pick(Self.textValues))]\(ignoring)"
        case 2: return "\(field) \(pick(["contains", "starts with", "ends with"])) \(pick(Self.textValues))\(ignoring)"
        case 3: return "\(field) matches \(rare() ? pick(["\"(a\"", "\"(?=x)\"", "\"\\\\1\""]) : pick(Self.patterns))\(ignoring)"
        case 4: return "\(field) like \(rare() ? "\"x\\\\\"" : pick(Self.globs))\(ignoring)"
        default: return "\(field) == \(pick(Self.textFields))"
        }
    }

    mutating func timeTest(_ time: String) -> String {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return "\(time) within \(constant(.duration))"
        case 1: return "\(time) older than \(constant(.duration))"
        case 2: return "\(time) \(pick(["before", "after"])) \(constant(.time))"
        default: return "\(time) \(order()) \(chance(0.5) ? constant(.time) : computed(.time))"
        }
    }

    mutating func order() -> String { pick(["<", "<=", ">", ">=", "==", "!="]) }

    // MARK: Values

    /// A value written out: literals and parameters near the edges of their ranges; rarely an
    /// expression of them beyond the range, which the checker refuses.
    mutating func constant(_ kind: Kind) -> String {
        switch kind {
        case .number:
            rare() ? pick(["1e308 * 10", "p_num * 1e308"]) : pick(["0", "7", "1.5", "-1", "1e308", "-1e308", "9007199254740993", "p_num", "(2 * -1)"])
        case .duration:
            rare() ? pick(["106751991167d + p_dur", "106751991167d + 1ms"])
                : pick(["24h", "1h30m", "500ms", "7d", "2w", "0s", "106751991167d", "-106751991167d", "9223372036854775807ms", "p_dur", "(p_dur - 1h)"])
        case .size:
            rare() ? "8388607 TiB + 8388607 TiB" : pick(["500 MiB", "1 TiB", "0 B", "8388607 TiB", "9223372036854775807 B", "1.5 GB", "p_size", "(p_size * 2)"])
        case .time:
            rare() ? pick(["9999-12-31 + 106751991167d", "0001-01-01 - 106751991167d"])
                : pick(["now", "2026-11-28", "2026-11-28T11:00Z", "0001-01-01", "9999-12-31T23:59:59.999Z", "p_time", "(now - 24h)", "(9999-12-31 + 1d)"])
        case .percentage:
            pick(["5%", "99.9%", "0%", "100%", "p_pct", "0.5"])
        case .text:
            pick(Self.textValues)
        }
    }

    /// A value computed from a job's fields, often beyond its kind's range for the edge values
    /// of the data (a duration times 99999999999, two sizes of 5e18 bytes, a time of the year 9999
    /// plus a day): the rule is then not judged.
    mutating func computed(_ kind: Kind) -> String {
        switch kind {
        case .number:
            pick(["RecoveryPointLifecycle.DeleteAfterDays", "RecoveryPointLifecycle.DeleteAfterDays * 1e308", "RecoveryPointLifecycle.DeleteAfterDays / 0",
                  "(Duration / \(pick(["Duration", "1h", "0s"])))", "(BackupSizeInBytes / \(pick(["1 GiB", "BytesTransferred", "0 B"])))"])
        case .duration:
            pick(["Duration", "Duration * 99999999999", "Duration * -1", "Duration * 1.5", "Duration / 0", "Duration / 3", "-Duration",
                  "(Duration + 9223372036854775807ms)", "(Duration - 106751991167d)", "(CompletionDate - CreationDate)", "(now - StartBy)",
                  "(CompletionDate - 0001-01-01)"])
        case .size:
            pick(["BackupSizeInBytes", "BytesTransferred", "BackupSizeInBytes * 99999999999", "BackupSizeInBytes * 2", "(BackupSizeInBytes + BytesTransferred)",
                  "(BackupSizeInBytes - 8388607 TiB)", "BackupSizeInBytes / 0", "BackupSizeInBytes * 0.5"])
        case .time:
            pick(["CreationDate", "CompletionDate", "StartBy", "ExpectedCompletionDate", "InitiationDate", "(CreationDate + \(constant(.duration)))",
                  "(CompletionDate - \(constant(.duration)))", "(now - Duration)"])
        case .percentage, .text:
            constant(kind)
        }
    }

    // MARK: Choice

    mutating func pick<T>(_ options: [T]) -> T {
        options[Int.random(in: 0..<options.count, using: &random)]
    }

    mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &random) < probability
    }

    /// A mistake on purpose, rarely enough that most cases reach evaluation.
    mutating func rare() -> Bool {
        chance(0.02)
    }
}
