import BackupJobs
import RuleLanguage

/// The jobs of a table grouped by a key (resource, account, ...): groups ordered by their id,
/// each group's rows in table order. Jobs without the key belong to no group.
struct GroupIndex: Sendable {
    /// Group ids (the subjects' ids), sorted.
    let keys: [String]
    let rows: [Int32]
    /// Group `g` is `rows[offsets[g]..<offsets[g + 1]]`.
    let offsets: [Int]
    /// The string id of each group's key, when the key is a text field (the listing's tables
    /// share their pool, so records of other kinds join on these ids).
    var keyIDs: [UInt32]? = nil

    var count: Int { keys.count }

    func rows(of group: Int) -> ArraySlice<Int32> {
        rows[offsets[group]..<offsets[group + 1]]
    }

    static func build(_ table: RecordTable, by key: GroupKey, now: Timestamp) -> GroupIndex {
        let field = key.keyField
        if case .stored(let stored) = field, stored.descriptor.type.isText {
            return byStringID(table, table.stringColumn(stored.index))
        }
        // Any other field: group by the value's text.
        let compiler = RowCompiler(table: table, now: now)
        let value = compiler.fieldValue(field)
        var groupOf: [String: Int] = [:]
        var members: [[Int32]] = []
        var names: [String] = []
        for row in 0..<table.count {
            guard let v = value(row) else { continue }
            let name = v.string(table.strings) ?? v.display(table.strings)
            if let group = groupOf[name] {
                members[group].append(Int32(row))
            } else {
                groupOf[name] = members.count
                members.append([Int32(row)])
                names.append(name)
            }
        }
        let order = names.indices.sorted { names[$0] < names[$1] }
        var rows: [Int32] = []
        var offsets = [0]
        for group in order {
            rows += members[group]
            offsets.append(rows.count)
        }
        return GroupIndex(keys: order.map { names[$0] }, rows: rows, offsets: offsets)
    }

    /// Counting sort by string id: two passes over the rows, no per-row allocation.
    private static func byStringID(_ table: RecordTable, _ column: RecordTable.Column<UInt32>) -> GroupIndex {
        let pool = table.strings
        var groupOfID = [Int32](repeating: -1, count: pool.count + 1)
        var ids: [UInt32] = []
        var counts: [Int] = []
        for row in 0..<table.count {
            guard let id = column[row] else { continue }
            var group = groupOfID[Int(id)]
            if group < 0 {
                group = Int32(ids.count)
                groupOfID[Int(id)] = group
                ids.append(id)
                counts.append(0)
            }
            counts[Int(group)] += 1
        }
        // Groups in order of their id text.
        let names = ids.map { pool[$0] }
        let order = ids.indices.sorted { names[$0] < names[$1] }
        var position = [Int](repeating: 0, count: ids.count)
        for (sorted, group) in order.enumerated() { position[group] = sorted }
        var offsets = [Int](repeating: 0, count: ids.count + 1)
        for group in ids.indices { offsets[position[group] + 1] = counts[group] }
        for index in 0..<ids.count { offsets[index + 1] += offsets[index] }
        var next = Array(offsets.dropLast())
        var rows = [Int32](repeating: 0, count: offsets.last ?? 0)
        for row in 0..<table.count {
            guard let id = column[row] else { continue }
            let slot = position[Int(groupOfID[Int(id)])]
            rows[next[slot]] = Int32(row)
            next[slot] += 1
        }
        return GroupIndex(keys: order.map { names[$0] }, rows: rows, offsets: offsets, keyIDs: order.map { ids[$0] })
    }

    /// The rows of another table (same pool) whose `field` holds each group's key: a resource's
    /// copy jobs, by their ResourceArn. Groups keyed by values that are not text relate to nothing.
    func related(_ table: RecordTable, by field: FieldIndex) -> GroupIndex {
        guard let keyIDs else { return GroupIndex(keys: keys, rows: [], offsets: [Int](repeating: 0, count: keys.count + 1)) }
        var groupOfID: [UInt32: Int] = [:]
        for (group, id) in keyIDs.enumerated() { groupOfID[id] = group }
        let column = table.stringColumn(field)
        var counts = [Int](repeating: 0, count: keys.count)
        for row in 0..<table.count {
            if let id = column[row], let group = groupOfID[id] { counts[group] += 1 }
        }
        var offsets = [0]
        offsets.reserveCapacity(keys.count + 1)
        for count in counts { offsets.append(offsets[offsets.count - 1] + count) }
        var next = Array(offsets.dropLast())
        var rows = [Int32](repeating: 0, count: offsets.last ?? 0)
        for row in 0..<table.count {
            guard let id = column[row], let group = groupOfID[id] else { continue }
            rows[next[group]] = Int32(row)
            next[group] += 1
        }
        return GroupIndex(keys: keys, rows: rows, offsets: offsets, keyIDs: keyIDs)
    }
}

/// A group index with, per related kind, the rows of that kind's table belonging to each group.
struct RelatedGroups: Sendable {
    let groups: GroupIndex
    /// By kind: the same groups, over that kind's table (the group kind's is `groups` itself).
    let byKind: [RecordKind: GroupIndex]

    /// Every kind's rows of one group, for a scope.
    func scopeRows(_ group: Int) -> [RecordKind: ArraySlice<Int32>] {
        byKind.mapValues { $0.rows(of: group) }
    }
}
