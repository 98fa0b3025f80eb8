import BackupJobs
import Foundation
import TestSupport

/// Small job sets written as listing files, with what is known about them by construction: whether
/// the chain of documents is complete (docs/inputs.md, "Complete listings"), how many distinct jobs
/// they hold, which jobs were written in conflicting versions ("The same job twice"), and whether a
/// file was damaged on purpose (an input error).
struct RandomJobs {
    var random: SplitMix64

    static let now: Int64 = 1_795_867_200_000  // 2026-11-28T12:00:00Z, the cases' --now
    static let jobIds = (1...8).map { "job-\($0)" }
    static let resources: [(arn: String, type: String)] = [
        ("arn:aws:ec2:eu-west-1:111111111111:volume/vol-0a", "EBS"), ("arn:aws:rds:us-east-1:222222222222:db:orders", "RDS"),
        ("arn:aws:s3:::evidence-bucket", "S3"), ("arn:aws:dynamodb:eu-west-1:111111111111:table/t", "DynamoDB"),
        ("arn:aws:ec2:eu-west-1:111111111111:volume/prod-db-1", "NewType"),
    ]
    static let accounts = ["111111111111", "222222222222"]
    static let vaults = ["arn:aws:backup:eu-west-1:111111111111:backup-vault:prod", "arn:aws:backup:us-east-1:222222222222:backup-vault:compliance-vault"]
    static let plans = ["plan-1", "plan-2"]
    /// Ids a waiver may name: of jobs, resources, accounts, vaults, plans and resource types.
    static let subjectIds = jobIds + resources.map(\.arn) + accounts + vaults + plans + ["EBS", "RDS"]
    static let messages = ["Access \"denied\"", "\u{1B}[31mred\u{7}", "two\nlines\r", "\u{202E}evil", "日本 🎌", "", "=HYPERLINK(\"x\")"]
    static let states = RandomRules.states + ["SUPERSEDED"]  // a state newer than the model
    /// States in which a job has ended (docs/inputs.md): two different records of it conflict.
    static let endStates: Set<String> = ["COMPLETED", "FAILED", "ABORTED", "EXPIRED", "PARTIAL", "SUPERSEDED"]

    /// A value as the decoder reads it; a JSON null is written as a missing member.
    enum Value: Equatable {
        case text(String), time(Int64), integer(Int64), bool(Bool), object([String: Value])
    }

    /// A job: `BackupJobId`, and its other members.
    struct Job: Equatable {
        var id: String
        var members: [String: Value]
        var state: String? {
            if case .text(let state)? = members["State"] { state } else { nil }
        }
    }

    enum DocumentKind { case listing, array, lines }

    struct Document {
        var kind: DocumentKind
        var jobs: [Job]
        /// `nil`: no NextToken member; `""`: an empty token, which ends a listing.
        var nextToken: String?
    }

    /// What was written, and what is known about it.
    struct Written {
        var files: [String]
        var complete: Bool
        var distinctJobs: Int
        var conflicts: Set<String>
        /// A file was damaged on purpose: the data is not readable.
        var damaged: Bool
    }

    mutating func write() -> Written {
        var unique: [Job] = []
        if !chance(0.1) {
            for id in Self.jobIds.prefix(Int.random(in: 1...6, using: &random)) { unique.append(job(id)) }
        }
        var all = unique
        for original in unique where chance(0.3) {
            all.append(chance(0.5) ? original : variant(of: original))
        }
        all.shuffle(using: &random)

        var documents: [Document] = []
        repeat {
            let take = min(all.count, Int.random(in: 0...3, using: &random))
            let kind = pick([DocumentKind.listing, .listing, .listing, .array, .lines])
            let token: String? = kind == .listing && chance(0.35) ? pick(["tok-\(documents.count)", "", "tok-\(documents.count)"]) : nil
            documents.append(Document(kind: kind == .lines && take == 0 ? .listing : kind, jobs: Array(all.prefix(take)), nextToken: token))
            all.removeFirst(take)
        } while !all.isEmpty || chance(0.2)

        // A NextToken must be followed by a listing document that continues it.
        let complete = documents.indices.allSatisfy { index in
            guard let token = documents[index].nextToken, !token.isEmpty else { return true }
            return index + 1 < documents.count && documents[index + 1].kind == .listing
        }
        var texts: [String] = []
        var start = 0
        while start < documents.count {
            let count = Int.random(in: 1...(documents.count - start), using: &random)
            var parts: [String] = []
            for document in documents[start..<(start + count)] { parts.append(text(document)) }
            texts.append(parts.joined(separator: pick(["\n", "", " \n"])))
            start += count
        }
        var damaged = false
        if chance(0.05), let index = texts.indices.randomElement(using: &random) {
            texts[index] = damage(texts[index])
            damaged = true
        }
        return Written(files: texts, complete: complete, distinctJobs: unique.count, conflicts: conflicts(among: documents.flatMap(\.jobs)), damaged: damaged)
    }

    /// Ids with two versions that are both ended and differ.
    func conflicts(among jobs: [Job]) -> Set<String> {
        let byId = Dictionary(grouping: jobs, by: \.id)
        return Set(byId.compactMap { id, versions in
            let ended = versions.filter { $0.state.map(Self.endStates.contains) ?? false }
            return ended.contains { one in ended.contains { $0 != one } } ? id : nil
        })
    }

    // MARK: Jobs

    mutating func job(_ id: String) -> Job {
        let resource = pick(Self.resources)
        var members: [String: Value] = [
            "ResourceArn": .text(resource.arn), "AccountId": .text(pick(Self.accounts)), "BackupVaultArn": .text(pick(Self.vaults)),
            "BackupVaultName": .text(pick(["prod", "compliance-vault"])),
        ]
        if chance(0.9) { members["State"] = .text(pick(Self.states)) }
        if chance(0.9) { members["ResourceType"] = .text(chance(0.9) ? resource.type : pick(["EBS", "Aurora", "Rds"])) }
        let created = time()
        if let created { members["CreationDate"] = .time(created) }
        if chance(0.7), let completed = completion(after: created) { members["CompletionDate"] = .time(completed) }
        if chance(0.3), let startBy = time() { members["StartBy"] = .time(startBy) }
        if chance(0.8) { members["BackupSizeInBytes"] = .integer(size()) }
        if chance(0.5) { members["BytesTransferred"] = .integer(size()) }
        if chance(0.8) { members["IamRoleArn"] = .text(pick(["arn:aws:iam::111111111111:role/AWSBackupDefaultServiceRole", "arn:aws:iam::111111111111:role/tmp-role", "no-slash"])) }
        if chance(0.4) { members["StatusMessage"] = .text(pick(Self.messages)) }
        if chance(0.7) {
            members["CreatedBy"] = .object(["BackupPlanId": .text(pick(Self.plans)), "BackupRuleId": .text(pick(["daily", "weekly"]))])
        }
        if chance(0.4) { members["RecoveryPointLifecycle"] = .object(["DeleteAfterDays": .integer(pick([0, 35, 9_223_372_036_854_775_807, -1]))]) }
        if chance(0.3) { members["BackupOptions"] = .object(["WindowsVSS": .text(pick(["enabled", "disabled"]))]) }
        if chance(0.3) { members["MessageCategory"] = .text(pick(["SUCCESS", "ACCESS_DENIED", "Success"])) }
        if chance(0.3) { members["PercentDone"] = .text(pick(["100.0", "42.5", ""])) }
        if chance(0.2) { members["IsParent"] = .bool(chance(0.5)) }
        if chance(0.2) { members["ScanStatus"] = .text(pick(["CLEAN", "INFECTED"])) }
        return Job(id: id, members: members)
    }

    /// Another version of a job: later in its life, or a contradicting record of it.
    mutating func variant(of job: Job) -> Job {
        var changed = job
        switch Int.random(in: 0..<3, using: &random) {
        case 0: changed.members["State"] = .text(pick(Self.states.filter { $0 != job.state }))
        case 1: changed.members["CompletionDate"] = .time((completion(after: Self.now - 3_600_000) ?? Self.now) + 1000)
        default: changed.members["StatusMessage"] = .text("retried " + (pick(Self.messages)))
        }
        return changed
    }

    /// Mostly hours before now; sometimes the first or last instant a job's time can be.
    mutating func time() -> Int64? {
        switch Int.random(in: 0..<12, using: &random) {
        case 0: nil
        case 1: Timestamp.latestSupported.millisecondsSinceEpoch
        case 2: Timestamp.earliestSupported.millisecondsSinceEpoch
        case 3: Self.now + Int64.random(in: 0...86_400_000, using: &random)
        default: Self.now - Int64.random(in: 0...(400 * 3_600_000), using: &random)
        }
    }

    mutating func completion(after created: Int64?) -> Int64? {
        guard let created else { return time() }
        switch Int.random(in: 0..<8, using: &random) {
        case 0: return Timestamp.latestSupported.millisecondsSinceEpoch
        case 1: return max(Timestamp.earliestSupported.millisecondsSinceEpoch, created - 3_600_000)  // before it started
        default: return min(Timestamp.latestSupported.millisecondsSinceEpoch, created + Int64.random(in: 0...(10 * 3_600_000), using: &random))
        }
    }

    mutating func size() -> Int64 {
        pick([0, 1, 1_073_741_824, 5_000_000_000_000_000_000, 9_223_372_036_854_775_807, -1, 42])
    }

    // MARK: Text

    mutating func text(_ document: Document) -> String {
        var jobs: [String] = []
        for job in document.jobs { jobs.append(text(job)) }
        switch document.kind {
        case .lines: return jobs.joined(separator: "\n")
        case .array: return "[" + jobs.joined(separator: ", ") + "]"
        case .listing:
            let token = document.nextToken.map { $0.isEmpty && chance(0.5) ? ", \"NextToken\": null" : ", \"NextToken\": \(Self.quoted($0))" } ?? ""
            return "{\"BackupJobs\": [" + jobs.joined(separator: ", ") + "]" + token + "}"
        }
    }

    /// A job object: `BackupJobId` first (so a JSON Lines document reads as a job), then its
    /// members, timestamps as epoch seconds (the API) or ISO 8601 (the AWS CLI).
    mutating func text(_ job: Job) -> String {
        let iso = chance(0.5)
        let members = job.members.sorted { $0.key < $1.key }.map { "\(Self.quoted($0.key)): \(text($0.value, iso: iso))" }
        return "{" + (["\"BackupJobId\": \(Self.quoted(job.id))"] + members).joined(separator: ", ") + "}"
    }

    func text(_ value: Value, iso: Bool) -> String {
        switch value {
        case .text(let text): Self.quoted(text)
        case .integer(let number): String(number)
        case .bool(let flag): String(flag)
        case .object(let members): "{" + members.sorted { $0.key < $1.key }.map { "\(Self.quoted($0.key)): \(text($0.value, iso: iso))" }.joined(separator: ", ") + "}"
        case .time(let milliseconds):
            if iso {
                Self.quoted(Timestamp(millisecondsSinceEpoch: milliseconds).iso8601)
            } else {
                (milliseconds < 0 ? "-" : "") + String(milliseconds.magnitude / 1000) + "." + String(String(milliseconds.magnitude % 1000 + 1000).dropFirst())
            }
        }
    }

    static func quoted(_ text: String) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed])) ?? Data("\"\"".utf8), as: UTF8.self)
    }

    /// Damage the decoder must refuse (docs/inputs.md, "Errors").
    mutating func damage(_ text: String) -> String {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return text.isEmpty ? "{" : String(text.dropLast())  // truncated, or no value at all
        case 1: return text + "\n{\"BackupJobs\": [{\"BackupJobId\": \"x\", \"BackupSizeInBytes\": 1e40}]}"
        case 2: return text + "\n{\"BackupJobs\": [{\"BackupJobId\": \"x\", \"CreationDate\": \"soon\"}]}"
        default: return text + "\n{\"BackupJobs\": [{\"BackupJobId\": \"x\", \"BackupJobId\": \"y\"}]}"
        }
    }

    // MARK: Choice

    mutating func pick<T>(_ options: [T]) -> T {
        options[Int.random(in: 0..<options.count, using: &random)]
    }

    mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &random) < probability
    }
}
