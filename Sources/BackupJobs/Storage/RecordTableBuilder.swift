/// Fills a `RecordTable` one record at a time, merging records that share an id.
///
/// A decoder opens a *pending row*, sets its fields, then commits it (or discards it to retry
/// after a refill). Committing an id already in the table keeps whichever occurrence knows the
/// later state of the record (see `merge`) and counts a duplicate; two different versions of a
/// record that had ended are a conflict, recorded with the inputs they came from.
///
/// The builder interns strings into its table's pool. The builders of one listing share a pool by
/// handing it over (`ListingBuilder`): only the builder in use holds it.
struct RecordTableBuilder {
    private(set) var table: RecordTable
    private let layout: StorageLayout
    private let states: RecordStates
    private let stateField: FieldIndex?
    private let idField: FieldIndex
    /// For each string id that is a record's id, 1 + its row; 0 otherwise.
    private var rowByID: [Int32] = []
    /// The names of the inputs rows come from (`beginSource`), and each row's, by index.
    private var sourceNames: [String] = []
    private var rowSources: [UInt32] = []
    /// Conflicting records: id string id to the sources of the versions compared.
    private var conflicts: [UInt32: Set<UInt32>] = [:]
    private var stateCodeByStringID: [UInt32: UInt8] = [:]
    private var mapIDs: [[UInt32]: UInt32] = [:]
    private var integerMapIDs: [[Int64]: UInt32] = [:]
    private(set) var pendingAdditional: [UInt32] = []
    private var hasPendingRow = false

    private var pendingRow: Int { table.count }

    init(kind: RecordKind) {
        table = RecordTable(kind: kind)
        layout = table.layout
        states = table.schema.states
        stateField = states.field
        idField = table.schema.idField
    }

    var kind: RecordKind { table.kind }

    // MARK: The string pool

    /// Hands the pool over to the next builder in use.
    mutating func takeStrings() -> StringPool {
        defer { table.strings = StringPool() }
        return table.strings
    }

    mutating func receiveStrings(_ strings: StringPool) {
        table.strings = strings
    }

    // MARK: Sources and conflicts

    /// Rows committed from now on come from this input (a file, a page of a fetch).
    mutating func beginSource(_ name: String) {
        if sourceNames.last != name { sourceNames.append(name) }
    }

    private var currentSource: UInt32 { UInt32(max(0, sourceNames.count - 1)) }

    /// The records whose versions conflicted, by id.
    var duplicateConflicts: [DuplicateConflict] {
        conflicts.map { id, sources in
            DuplicateConflict(
                kind: kind, jobId: table.strings[id],
                inputs: sourceNames.isEmpty ? [] : Set(sources.map { sourceNames[Int($0)] }).sorted())
        }.sorted { $0.jobId < $1.jobId }
    }

    // MARK: The pending row

    /// Opens a blank pending row, discarding any left from an interrupted attempt.
    mutating func beginRow() {
        if hasPendingRow { discardRow() }
        hasPendingRow = true
        table.presence.append(contentsOf: repeatElement(0, count: layout.presenceWords))
        table.stringCells.append(contentsOf: repeatElement(0, count: layout.stringCount))
        table.timestampCells.append(contentsOf: repeatElement(0, count: layout.timestampCount))
        table.integerCells.append(contentsOf: repeatElement(0, count: layout.integerCount))
        table.booleanCells.append(contentsOf: repeatElement(0, count: layout.booleanCount))
        table.mapCells.append(contentsOf: repeatElement(0, count: layout.mapCount))
        table.stateCodes.append(RecordStates.missingCode)
        table.additionalIndex.append(0)
        pendingAdditional.removeAll(keepingCapacity: true)
    }

    mutating func discardRow() {
        guard hasPendingRow else { return }
        hasPendingRow = false
        table.presence.removeLast(layout.presenceWords)
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
    mutating func markPresent(_ field: FieldIndex) -> Bool {
        let f = field.rawValue
        let word = pendingRow &* layout.presenceWords &+ f &>> 6
        let bit: UInt64 = 1 &<< UInt64(f & 63)
        let before = table.presence[word]
        table.presence[word] = before | bit
        return before & bit == 0
    }

    func isPresent(_ field: FieldIndex) -> Bool { table.has(field, at: pendingRow) }

    func pendingStringIsEmpty(_ field: FieldIndex) -> Bool {
        guard let id = table.stringID(field, at: pendingRow) else { return true }
        return table.strings.withUTF8(id) { $0.isEmpty }
    }

    @inline(__always)
    mutating func setString(_ field: FieldIndex, _ utf8: UnsafeBufferPointer<UInt8>) {
        let id = table.strings.intern(utf8)
        table.stringCells[pendingRow &* layout.stringCount &+ layout.slot(field)] = id
        if field == stateField { table.stateCodes[pendingRow] = stateCode(id) }
    }

    @inline(__always)
    mutating func setTimestamp(_ field: FieldIndex, _ value: Timestamp) {
        table.timestampCells[pendingRow &* layout.timestampCount &+ layout.slot(field)] = value.millisecondsSinceEpoch
    }

    @inline(__always)
    mutating func setInteger(_ field: FieldIndex, _ value: Int64) {
        table.integerCells[pendingRow &* layout.integerCount &+ layout.slot(field)] = value
    }

    @inline(__always)
    mutating func setBoolean(_ field: FieldIndex, _ value: Bool) {
        table.booleanCells[pendingRow &* layout.booleanCount &+ layout.slot(field)] = value ? 1 : 0
    }

    /// Sets a string map from alternating key and value string ids.
    mutating func setStringMap(_ field: FieldIndex, pairs: [UInt32]) {
        let id = Self.intern(Self.sortedPairs(pairs), into: &table.maps, ids: &mapIDs)
        table.mapCells[pendingRow &* layout.mapCount &+ layout.slot(field)] = id
    }

    /// Sets an integer map from alternating key string ids and values.
    mutating func setIntegerMap(_ field: FieldIndex, pairs: [Int64]) {
        let id = Self.intern(Self.sortedPairs(pairs), into: &table.integerMaps, ids: &integerMapIDs)
        table.mapCells[pendingRow &* layout.mapCount &+ layout.slot(field)] = id
    }

    /// The id (from 1) of a map's sorted pairs, stored once however many rows hold it.
    private static func intern<T: Hashable>(_ sorted: [T], into maps: inout [[T]], ids: inout [[T]: UInt32]) -> UInt32 {
        if let known = ids[sorted] { return known }
        maps.append(sorted)
        let id = UInt32(maps.count)
        ids[sorted] = id
        return id
    }

    /// Pairs ordered by key, so the same map read in another key order is interned once.
    private static func sortedPairs<T: Comparable>(_ pairs: [T]) -> [T] {
        var sorted: [T] = []
        sorted.reserveCapacity(pairs.count)
        for k in stride(from: 0, to: pairs.count, by: 2).sorted(by: { pairs[$0] < pairs[$1] }) {
            sorted += [pairs[k], pairs[k + 1]]
        }
        return sorted
    }

    /// Keeps a member outside the schema: its dotted path and the JSON text of its value.
    /// Returns false, keeping nothing, when the record already has a member at that path (a
    /// repeated member).
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

    /// The paths of the pending row's members outside the schema.
    var pendingAdditionalPaths: [String] {
        stride(from: 0, to: pendingAdditional.count, by: 2).map { table.strings[pendingAdditional[$0]] }
    }

    /// Commits the pending row. The caller has checked that the id is present.
    mutating func commitRow() {
        precondition(hasPendingRow && isPresent(idField))
        hasPendingRow = false
        if !pendingAdditional.isEmpty {
            let start = table.additionalEntries.count
            table.additionalEntries += pendingAdditional
            table.additionalRanges.append(start..<table.additionalEntries.count)
            table.additionalIndex[pendingRow] = UInt32(table.additionalRanges.count)
        }
        let recordID = Int(table.stringCells[pendingRow &* layout.stringCount &+ layout.slot(idField)])
        if rowByID.count <= recordID {
            rowByID.append(contentsOf: repeatElement(0, count: max(recordID + 1 - rowByID.count, rowByID.count)))
        }
        let existing = Int(rowByID[recordID]) - 1
        guard existing >= 0 else {
            precondition(pendingRow < Int32.max, "more than 2 billion records")
            rowByID[recordID] = Int32(pendingRow + 1)
            rowSources.append(currentSource)
            table.count += 1
            return
        }
        table.duplicatesDropped += 1
        merge(pendingRow, into: existing, recordID: UInt32(recordID))
        hasPendingRow = true
        discardRow()
    }

    /// Keeps whichever of two occurrences of a record is later in its life (see `rank`), and
    /// records a conflict when both had ended and they differ. Only duplicates pay for this.
    private mutating func merge(_ candidate: Int, into current: Int, recordID: UInt32) {
        let content = table.compareContent(candidate, current)
        guard content != 0 else { return }  // the same record twice: nothing to choose
        let (candidateRank, currentRank) = (rank(candidate), rank(current))
        if candidateRank.state == states.finishedRank && currentRank.state == states.finishedRank {
            conflicts[recordID, default: []].formUnion([rowSources[current], currentSource])
        }
        if candidateRank > currentRank || (candidateRank == currentRank && content > 0) {
            copyRow(candidate, over: current)
            rowSources[current] = currentSource
        }
    }

    /// How late in the record's life an occurrence is: a further state (RUNNING before
    /// COMPLETED), then a later completion, then a higher progress (PercentDone, where the kind has
    /// one). Rows equal in all three are ordered by their content, so the one kept never depends
    /// on the order of the inputs.
    private func rank(_ row: Int) -> Rank {
        Rank(
            state: states.rank(of: table.stateCodes[row]),
            completion: table.schema.completionField.flatMap { table.timestamp($0, at: row) }?.millisecondsSinceEpoch ?? .min,
            progress: table.schema.progressField.flatMap { table.string($0, at: row) }.flatMap { Double($0) }
                .flatMap { $0.isNaN ? nil : $0 } ?? -1)
    }

    private struct Rank: Comparable {
        var state: Int
        var completion: Int64
        var progress: Double

        static func < (a: Rank, b: Rank) -> Bool {
            (a.state, a.completion, a.progress) < (b.state, b.completion, b.progress)
        }
    }

    private mutating func copyRow(_ source: Int, over target: Int) {
        func copy<T>(_ cells: inout [T], width: Int) {
            for k in 0..<width { cells[target * width + k] = cells[source * width + k] }
        }
        copy(&table.presence, width: layout.presenceWords)
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
        let code = states.code(of: table.strings[id])
        stateCodeByStringID[id] = code
        return code
    }

    // MARK: Whole records

    /// Adds a record built in code (tests, fixtures), merging duplicates like decoding does.
    mutating func append(_ record: Record) {
        precondition(record.kind == kind, "a \(record.kind.noun) in a table of \(kind.pluralNoun)")
        beginRow()
        for descriptor in table.schema.fields {
            let field = descriptor.index
            if descriptor.type == .structure {
                if record.hasStructure(field) { _ = markPresent(field) }
                continue
            }
            guard let value = record[field] else { continue }
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
            case .integerMap(let map):
                var pairs: [Int64] = []
                for (key, value) in map { pairs += [Int64(table.strings.intern(key)), value] }
                setIntegerMap(field, pairs: pairs)
            }
        }
        for (path, json) in record.additionalFields.sorted(by: { $0.key < $1.key }) {
            _ = withUTF8(path) { pathBytes in withUTF8(json) { addAdditional(path: pathBytes, json: $0) } }
        }
        commitRow()
    }

    consuming func finish() -> RecordTable {
        discardRow()
        return table
    }
}

private func withUTF8<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    var string = string
    return string.withUTF8(body)
}

/// The table builders of one listing, one per kind met, sharing one `StringPool`: a string has
/// the same id in every table, so rules can join kinds on ids.
///
/// The builder of the kind being filled (`current`) holds the pool; selecting another kind hands
/// the pool over, which costs nothing (kinds change between documents, not between fields).
struct ListingBuilder {
    /// The builder of the selected kind: decoders fill its pending row.
    var current = RecordTableBuilder(kind: .backupJob)
    private var parked: [RecordKind: RecordTableBuilder] = [:]
    /// The kinds met so far: a table each, even an empty one (`{"CopyJobs": []}`).
    private(set) var kinds: Set<RecordKind> = []
    private var source: String?

    /// Rows added from now on come from this input.
    mutating func beginSource(_ name: String) {
        source = name
        current.beginSource(name)
    }

    /// Makes `kind` the kind rows are added to, and marks it met.
    mutating func select(_ kind: RecordKind) {
        kinds.insert(kind)
        guard kind != current.kind else { return }
        let strings = current.takeStrings()
        let next = parked.removeValue(forKey: kind) ?? RecordTableBuilder(kind: kind)
        parked[current.kind] = current
        current = next
        current.receiveStrings(strings)
        if let source { current.beginSource(source) }
    }

    /// Adds a record built in code.
    mutating func append(_ record: Record) {
        select(record.kind)
        current.append(record)
    }

    /// The tables of the kinds met, in `RecordKind` order, sharing the pool; and their conflicts.
    consuming func finish() -> (tables: [RecordTable], conflicts: [DuplicateConflict]) {
        let strings = current.takeStrings()
        parked[current.kind] = current
        var tables: [RecordTable] = []
        var conflicts: [DuplicateConflict] = []
        for kind in RecordKind.allCases where kinds.contains(kind) {
            guard var builder = parked.removeValue(forKey: kind) else { continue }
            builder.receiveStrings(strings)
            conflicts += builder.duplicateConflicts
            tables.append(builder.finish())
        }
        return (tables, conflicts)
    }
}
