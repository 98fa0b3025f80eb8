/// What a listing of one kind holds: the first thing to look at in a new export.
public struct RecordSummary: Sendable, Equatable {
    public var kind: RecordKind
    /// Distinct jobs (by their id) after merging duplicates.
    public var jobs = 0
    public var duplicatesDropped = 0
    public var earliestCreation: Timestamp?
    public var latestCreation: Timestamp?
    public var jobsWithoutCreationDate = 0
    /// Distinct resources (ResourceArn; a restore job's SourceResourceArn).
    public var distinctResources = 0
    /// States of jobs under way (backup jobs: CREATED, PENDING, RUNNING).
    public var inFlight = 0
    /// States jobs end in (backup jobs: COMPLETED, FAILED, ABORTED, EXPIRED, PARTIAL).
    public var finished = 0
    /// Any other known state (a backup job's ABORTING), a state newer than the model, or no state.
    public var otherStates = 0
    public var byState: [String: Int] = [:]
    public var byResourceType: [String: Int] = [:]
    public var byAccount: [String: Int] = [:]
    public var byRegion: [String: Int] = [:]
    /// By the vault's ARN (the name alone repeats across accounts and Regions): BackupVaultArn, a
    /// copy job's SourceBackupVaultArn.
    public var byVault: [String: Int] = [:]

    /// The key for jobs that lack the field being counted.
    public static let missing = "(missing)"

    public init(kind: RecordKind) {
        self.kind = kind
    }

    /// Counts a table in one pass over its columns; strings are compared by id.
    public init(_ table: RecordTable) {
        kind = table.kind
        let schema = table.schema
        let typeField = schema.index(path: "ResourceType"), accountField = schema.index(path: "AccountId")
        jobs = table.count
        duplicatesDropped = table.duplicatesDropped
        var states: [UInt8: Int] = [:]
        var types: [UInt32: Int] = [:]
        var accounts: [UInt32: Int] = [:]
        var vaults: [UInt32: Int] = [:]
        // Region of a job: its vault ARN's, else its resource ARN's (S3 ARNs name none).
        let vaultColumn = table.stringColumn(schema.vaultField), resourceColumn = table.stringColumn(schema.resourceField)
        let creationColumn = table.timestampColumn(schema.creationField)
        var regionNames: [String] = [Self.missing]
        var regionCounts: [Int] = [0]
        var regionIndexByARN: [UInt32: Int] = [:]
        func regionIndex(_ arn: UInt32?) -> Int {
            guard let arn else { return 0 }
            if let index = regionIndexByARN[arn] { return index }
            var index = 0
            if let region = ARN.region(of: table.strings[arn]) {
                index = regionNames.firstIndex(of: region) ?? regionNames.count
                if index == regionNames.count {
                    regionNames.append(region)
                    regionCounts.append(0)
                }
            }
            regionIndexByARN[arn] = index
            return index
        }
        var resources = Set<UInt32>()
        var earliest = Int64.max, latest = Int64.min
        for row in 0..<table.count {
            states[table.stateCodes[row], default: 0] += 1
            types[typeField.flatMap { table.stringID($0, at: row) } ?? 0, default: 0] += 1
            accounts[accountField.flatMap { table.stringID($0, at: row) } ?? 0, default: 0] += 1
            vaults[vaultColumn[row] ?? 0, default: 0] += 1
            if let resource = resourceColumn[row] { resources.insert(resource) }
            if let created = creationColumn[row] {
                earliest = min(earliest, created)
                latest = max(latest, created)
            } else if schema.creationField != nil {
                jobsWithoutCreationDate += 1
            }
            let vaultRegion = regionIndex(vaultColumn[row])
            regionCounts[vaultRegion != 0 ? vaultRegion : regionIndex(resourceColumn[row])] += 1
        }
        if earliest <= latest {
            earliestCreation = Timestamp(millisecondsSinceEpoch: earliest)
            latestCreation = Timestamp(millisecondsSinceEpoch: latest)
        }
        distinctResources = resources.count
        func name(_ id: UInt32) -> String { id == 0 ? Self.missing : table.strings[id] }
        let known = schema.states
        // Inventories have no state: nothing to count by it.
        if known.field == nil { states = [:] }
        for (code, count) in states {
            if known.isFinished(code) { finished += count }
            else if known.isInFlight(code) { inFlight += count }
            else { otherStates += count }
            if code == RecordStates.unknownCode { continue }
            byState[known.value(of: code) ?? Self.missing, default: 0] += count
        }
        // Unknown states are counted by their own names.
        for row in 0..<table.count where table.stateCodes[row] == RecordStates.unknownCode {
            byState[known.field.flatMap { table.string($0, at: row) } ?? Self.missing, default: 0] += 1
        }
        for (id, count) in types { byResourceType[name(id), default: 0] += count }
        for (id, count) in accounts { byAccount[name(id), default: 0] += count }
        for (id, count) in vaults { byVault[name(id), default: 0] += count }
        for (index, count) in regionCounts.enumerated() where count > 0 { byRegion[regionNames[index]] = count }
    }
}
