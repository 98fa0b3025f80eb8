/// Fills a `JobTable` one job at a time, merging jobs that share a BackupJobId.
///
/// A decoder opens a *pending row*, sets its fields, then commits it (or discards it to retry
/// after a refill). Committing a BackupJobId already in the table keeps whichever occurrence
/// knows the later state of the job (see `merge`) and counts a duplicate; two different versions
/// of a job that had ended are a conflict, recorded with the inputs they came from.
struct JobTableBuilder {
    private(set) var table = JobTable()
    /// For each string id that is a BackupJobId, 1 + its row; 0 otherwise.
    private var rowByJobID: [Int32] = []
    /// The names of the inputs rows come from (`beginSource`), and each row's, by index.
    private var sourceNames: [String] = []
    private var rowSources: [UInt32] = []
    /// Conflicting jobs: BackupJobId string id to the sources of the versions compared.
    private var conflicts: [UInt32: Set<UInt32>] = [:]
    private var stateCodeByStringID: [UInt32: UInt8] = [:]
    private var mapIDs: [[UInt32]: UInt32] = [:]
    private var pendingAdditional: [UInt32] = []
    private var hasPendingRow = false

    private var layout: StorageLayout { table.layout }
    private var pendingRow: Int { table.count }

    // MARK: Sources and conflicts

    /// Rows committed from now on come from this input (a file, a page of a fetch).
    mutating func beginSource(_ name: String) {
        if sourceNames.last != name { sourceNames.append(name) }
    }

    private var currentSource: UInt32 { UInt32(max(0, sourceNames.count - 1)) }

    /// The jobs whose versions conflicted, by id.
    var duplicateConflicts: [DuplicateConflict] {
        conflicts.map { id, sources in
            DuplicateConflict(jobId: table.strings[id], inputs: sourceNames.isEmpty ? [] : Set(sources.map { sourceNames[Int($0)] }).sorted())
        }.sorted { $0.jobId < $1.jobId }
    }

    // MARK: The pending row

    /// Opens a blank pending row, discarding any left from an interrupted attempt.
    mutating func beginRow() {
        if hasPendingRow { discardRow() }
        hasPendingRow = true
        table.presence.append(0)
        table.stringCells.append(contentsOf: repeatElement(0, count: layout.stringCount))
        table.timestampCells.append(contentsOf: repeatElement(0, count: layout.timestampCount))
        table.integerCells.append(contentsOf: repeatElement(0, count: layout.integerCount))
        table.booleanCells.append(contentsOf: repeatElement(0, count: layout.booleanCount))
        table.mapCells.append(contentsOf: repeatElement(0, count: layout.mapCount))
        table.stateCodes.append(JobState.missingCode)
        table.additionalIndex.append(0)
        pendingAdditional.removeAll(keepingCapacity: true)
    }

    mutating func discardRow() {
        guard hasPendingRow else { return }
        hasPendingRow = false
        table.presence.removeLast()
        table.stringCells.removeLast(layout.stringCount)
        table.timestampCells.removeLast(layout.timestampCount)
        table.integerCells.removeLast(layout.integerCount)
        table.booleanCells.removeLast(layout.booleanCount)
        table.mapCells.removeLast(layout.mapCount)
        table.stateCodes.removeLast()
        table.additionalIndex.removeLast()
    }

    /// Marks a field present; returns false when it already was (a repeated member).
    @inline(__always)
    mutating func markPresent(_ field: JobField) -> Bool {
        let bit: UInt64 = 1 << UInt64(field.rawValue)
        let before = table.presence[pendingRow]
        table.presence[pendingRow] = before | bit
        return before & bit == 0
    }

    func isPresent(_ field: JobField) -> Bool { table.has(field, at: pendingRow) }

    func pendingStringIsEmpty(_ field: JobField) -> Bool {
        guard let id = table.stringID(field, at: pendingRow) else { return true }
        return table.strings.withUTF8(id) { $0.isEmpty }
    }

    @inline(__always)
    mutating func setString(_ field: JobField, _ utf8: UnsafeBufferPointer<UInt8>) {
        let id = table.strings.intern(utf8)
        table.stringCells[pendingRow &* layout.stringCount &+ layout.slot(field)] = id
        if field == .state { table.stateCodes[pendingRow] = stateCode(id) }
    }

    @inline(__always)
    mutating func setTimestamp(_ field: JobField, _ value: Timestamp) {
        table.timestampCells[pendingRow &* layout.timestampCount &+ layout.slot(field)] = value.millisecondsSinceEpoch
    }

    @inline(__always)
    mutating func setInteger(_ field: JobField, _ value: Int64) {
        table.integerCells[pendingRow &* layout.integerCount &+ layout.slot(field)] = value
    }

    @inline(__always)
    mutating func setBoolean(_ field: JobField, _ value: Bool) {
        table.booleanCells[pendingRow &* layout.booleanCount &+ layout.slot(field)] = value ? 1 : 0
    }

    /// Sets a map from alternating key and value string ids.
    mutating func setStringMap(_ field: JobField, pairs: [UInt32]) {
        var sorted: [UInt32] = []
        sorted.reserveCapacity(pairs.count)
        let order = stride(from: 0, to: pairs.count, by: 2).sorted { pairs[$0] < pairs[$1] }
        for k in order { sorted += [pairs[k], pairs[k + 1]] }
        let id: UInt32
        if let known = mapIDs[sorted] {
            id = known
        } else {
            table.maps.append(sorted)
            id = UInt32(table.maps.count)
            mapIDs[sorted] = id
        }
        table.mapCells[pendingRow &* layout.mapCount &+ layout.slot(field)] = id
    }

    /// Keeps a member outside the schema: its dotted path and the JSON text of its value. Returns
    /// false, keeping nothing, when the job already has a member at that path (a repeated member).
    mutating func addAdditional(path: UnsafeBufferPointer<UInt8>, json: UnsafeBufferPointer<UInt8>) -> Bool {
        let pathID = table.strings.intern(path)
        guard !stride(from: 0, to: pendingAdditional.count, by: 2).contains(where: { pendingAdditional[$0] == pathID }) else { return false }
        pendingAdditional.append(pathID)
        pendingAdditional.append(table.strings.intern(json))
        return true
    }

    mutating func intern(_ utf8: UnsafeBufferPointer<UInt8>) -> UInt32 {
        table.strings.intern(utf8)
    }

    /// Commits the pending row. The caller has checked that BackupJobId is present.
    mutating func commitRow() {
        precondition(hasPendingRow && isPresent(.backupJobId))
        hasPendingRow = false
        if !pendingAdditional.isEmpty {
            let start = table.additionalEntries.count
            table.additionalEntries += pendingAdditional
            table.additionalRanges.append(start..<table.additionalEntries.count)
            table.additionalIndex[pendingRow] = UInt32(table.additionalRanges.count)
        }
        let jobID = Int(table.stringCells[pendingRow &* layout.stringCount &+ layout.slot(.backupJobId)])
        if rowByJobID.count <= jobID {
            rowByJobID.append(contentsOf: repeatElement(0, count: max(jobID + 1 - rowByJobID.count, rowByJobID.count)))
        }
        let existing = Int(rowByJobID[jobID]) - 1
        guard existing >= 0 else {
            precondition(pendingRow < Int32.max, "more than 2 billion jobs")
            rowByJobID[jobID] = Int32(pendingRow + 1)
            rowSources.append(currentSource)
            table.count += 1
            return
        }
        table.duplicatesDropped += 1
        merge(pendingRow, into: existing, jobID: UInt32(jobID))
        hasPendingRow = true
        discardRow()
    }

    /// Keeps whichever of two occurrences of a job is later in its life (see `rank`), and records
    /// a conflict when both had ended and they differ. Only duplicates pay for this.
    private mutating func merge(_ candidate: Int, into current: Int, jobID: UInt32) {
        let content = table.compareContent(candidate, current)
        guard content != 0 else { return }  // the same record twice: nothing to choose
        let (candidateRank, currentRank) = (rank(candidate), rank(current))
        if candidateRank.state == Self.endedRank && currentRank.state == Self.endedRank {
            conflicts[jobID, default: []].formUnion([rowSources[current], currentSource])
        }
        if candidateRank > currentRank || (candidateRank == currentRank && content > 0) {
            copyRow(candidate, over: current)
            rowSources[current] = currentSource
        }
    }

    /// The lifecycle rank of every state a job ends in.
    private static let endedRank = JobState.completed.lifecycleRank

    /// How late in the job's life an occurrence is: a further state (RUNNING before COMPLETED),
    /// then a later CompletionDate, then a higher PercentDone. Rows equal in all three are
    /// ordered by their content, so the one kept never depends on the order of the inputs.
    private func rank(_ row: Int) -> Rank {
        Rank(
            state: table.state(at: row)?.lifecycleRank ?? 0,
            completion: table.timestamp(.completionDate, at: row)?.millisecondsSinceEpoch ?? .min,
            percent: table.string(.percentDone, at: row).flatMap { Double($0) }.flatMap { $0.isNaN ? nil : $0 } ?? -1)
    }

    private struct Rank: Comparable {
        var state: Int
        var completion: Int64
        var percent: Double

        static func < (a: Rank, b: Rank) -> Bool {
            (a.state, a.completion, a.percent) < (b.state, b.completion, b.percent)
        }
    }

    private mutating func copyRow(_ source: Int, over target: Int) {
        func copy<T>(_ cells: inout [T], width: Int) {
            for k in 0..<width { cells[target * width + k] = cells[source * width + k] }
        }
        copy(&table.presence, width: 1)
        copy(&table.stringCells, width: layout.stringCount)
        copy(&table.timestampCells, width: layout.timestampCount)
        copy(&table.integerCells, width: layout.integerCount)
        copy(&table.booleanCells, width: layout.booleanCount)
        copy(&table.mapCells, width: layout.mapCount)
        copy(&table.stateCodes, width: 1)
        copy(&table.additionalIndex, width: 1)
    }

    private mutating func stateCode(_ id: UInt32) -> UInt8 {
        if let code = stateCodeByStringID[id] { return code }
        let code = JobState(rawValue: table.strings[id]).code
        stateCodeByStringID[id] = code
        return code
    }

    // MARK: Whole jobs

    /// Adds a job built in code (tests, other sources), merging duplicates like decoding does.
    mutating func append(_ job: BackupJob) {
        beginRow()
        for descriptor in JobSchema.fields {
            let field = descriptor.field
            if layout.kind(field) == .structure {
                if job.hasStructure(field) { _ = markPresent(field) }
                continue
            }
            guard let value = job[field] else { continue }
            _ = markPresent(field)
            switch value {
            case .string(let text): withUTF8(text) { setString(field, $0) }
            case .timestamp(let time): setTimestamp(field, time)
            case .integer(let number): setInteger(field, number)
            case .boolean(let flag): setBoolean(field, flag)
            case .stringMap(let map):
                var pairs: [UInt32] = []
                for (key, value) in map { pairs += [table.strings.intern(key), table.strings.intern(value)] }
                setStringMap(field, pairs: pairs)
            }
        }
        for (path, json) in job.additionalFields.sorted(by: { $0.key < $1.key }) {
            _ = withUTF8(path) { pathBytes in withUTF8(json) { addAdditional(path: pathBytes, json: $0) } }
        }
        commitRow()
    }

    consuming func finish() -> JobTable {
        discardRow()
        return table
    }
}

private func withUTF8<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    var string = string
    return string.withUTF8(body)
}
