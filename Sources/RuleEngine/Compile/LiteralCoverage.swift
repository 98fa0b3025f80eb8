import BackupJobs
import RuleLanguage

/// Finds the values rules compare fields with that no job of the table holds
/// (`AccountId == "000000000000"`), so reports can say a rule selected nothing through them.
///
/// Each field is read once however many rules and values name it: one pass over its column counts
/// how often each distinct value occurs (by string id, without making strings), every value
/// compared with the field is looked up in the counts, and the counts are dropped before the next
/// field is read.
enum LiteralCoverage {
    /// A value compared with a field, and the rule that compares it (`nil`: a query).
    typealias Use = (rule: String?, literal: LiteralComparison)

    static func warnings(_ uses: [Use], in table: RecordTable) -> [EvaluationWarning] {
        // An empty listing matches nothing at all; what to say of it is the data's business.
        guard table.count > 0 else { return [] }
        var byField: [FieldRef: [Int]] = [:]
        var fieldOrder: [FieldRef] = []
        for (index, use) in uses.enumerated() {
            if byField[use.literal.field] == nil { fieldOrder.append(use.literal.field) }
            byField[use.literal.field, default: []].append(index)
        }
        var found: [(index: Int, warning: EvaluationWarning)] = []
        for field in fieldOrder {
            let histogram = FieldHistogram(field, table)
            var seen: (values: [String], more: Int)?
            for index in byField[field] ?? [] {
                let (rule, literal) = uses[index]
                guard !histogram.contains(literal.value, ignoringCase: literal.ignoringCase) else { continue }
                seen = seen ?? histogram.mostFrequent(EvaluationWarning.valuesShown)
                found.append((index, EvaluationWarning(
                    rule: rule, location: literal.location, field: field.path, value: literal.value, ignoringCase: literal.ignoringCase,
                    valuesSeen: seen?.values ?? [], moreValues: seen?.more ?? 0)))
            }
        }
        return found.sorted { $0.index < $1.index }.map(\.warning)
    }

    /// The warnings of each rule's scope, each value looked for in the table of the kind whose
    /// field it is compared with (the subject's, or a related kind's in a group's scope), in rule order.
    static func warnings(for rules: [CompiledRule], in listing: Listing) -> [EvaluationWarning] {
        warnings(rules.flatMap { rule in rule.literals.map { (rule: Optional(rule.id), literal: $0) as Use } }, in: listing,
                 order: Dictionary(rules.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: min))
    }

    /// A query's warnings, or any values, each looked for in its kind's table.
    static func warnings(_ uses: [Use], in listing: Listing, order position: [String: Int] = [:]) -> [EvaluationWarning] {
        var found: [(rule: Int, warning: EvaluationWarning)] = []
        for kind in RecordKind.allCases {
            guard let table = listing[kind] else { continue }
            found += warnings(uses.filter { $0.literal.kind == kind }, in: table).map { (position[$0.rule ?? ""] ?? 0, $0) }
        }
        // Rule order, then each rule's own order (the sort is stable).
        return found.enumerated().sorted { ($0.element.rule, $0.offset) < ($1.element.rule, $1.offset) }.map(\.element.warning)
    }
}

/// How often each value of one text field occurs in a table.
struct FieldHistogram {
    /// Occurrences by string id, for stored fields: index `id`, 0 for ids the field never holds.
    private var idCounts: [UInt32] = []
    /// Occurrences by value, for values computed from stored ones (Region, BackupOptions.KEY).
    private var textCounts: [String: Int] = [:]
    private let pool: StringPool

    init(_ field: FieldRef, _ table: RecordTable) {
        pool = table.strings
        switch field {
        case .stored(let stored):
            idCounts = Self.count(table.stringColumn(stored.index), rows: table.count, pool: pool)
        case .backupOption(let key):
            let maps = table.mapColumn(BackupJobField.backupOptions.index)
            var mapCounts: [UInt32: Int] = [:]
            for row in 0..<table.count {
                if let map = maps[row] { mapCounts[map, default: 0] += 1 }
            }
            guard let keyID = pool.id(of: key) else { break }
            for (map, count) in mapCounts {
                if let value = table.mapValue(map, key: keyID) { textCounts[pool[value], default: 0] += count }
            }
        case .derived(.roleName):
            guard let role = table.schema.index(path: "IamRoleArn") else { break }
            let roles = Self.count(table.stringColumn(role), rows: table.count, pool: pool)
            for (id, count) in roles.enumerated() where count > 0 {
                textCounts[DerivedText.roleName(ofRoleArn: pool[UInt32(id)]), default: 0] += Int(count)
            }
        case .derived(.region):
            textCounts = Self.regions(table)
        case .arnPart(let stored, let part):
            let counts = Self.count(table.stringColumn(stored.index), rows: table.count, pool: pool)
            let parts = ARNMemo(pool: pool, part: part)
            for (id, count) in counts.enumerated() where count > 0 {
                if let value = parts.part(UInt32(id)) { textCounts[value, default: 0] += Int(count) }
            }
        case .derived, .additional:
            break
        }
    }

    /// Counts of each string id of a column.
    private static func count(_ column: RecordTable.Column<UInt32>, rows: Int, pool: StringPool) -> [UInt32] {
        var counts = [UInt32](repeating: 0, count: pool.count + 1)
        for row in 0..<rows {
            if let id = column[row] { counts[Int(id)] &+= 1 }
        }
        return counts
    }

    /// Region as the evaluator derives it: the vault ARN's Region, else the resource ARN's.
    private static func regions(_ table: RecordTable) -> [String: Int] {
        let pool = table.strings
        let vaults = table.stringColumn(table.schema.vaultField), resources = table.stringColumn(table.schema.resourceField)
        let vaultCounts = count(vaults, rows: table.count, pool: pool)
        var vaultRegion: [UInt32: String] = [:]
        var regions: [String: Int] = [:]
        for (id, count) in vaultCounts.enumerated() where count > 0 {
            guard let region = ARN.region(of: pool[UInt32(id)]) else { continue }
            vaultRegion[UInt32(id)] = region
            regions[region, default: 0] += Int(count)
        }
        // Jobs whose vault gives no Region fall back to the resource's.
        var resourceCounts: [UInt32: Int] = [:]
        for row in 0..<table.count {
            if let vault = vaults[row], vaultRegion[vault] != nil { continue }
            if let resource = resources[row] { resourceCounts[resource, default: 0] += 1 }
        }
        for (id, count) in resourceCounts {
            if let region = ARN.region(of: pool[id]) { regions[region, default: 0] += count }
        }
        return regions
    }

    func contains(_ value: String, ignoringCase: Bool) -> Bool {
        if !ignoringCase {
            if idCounts.isEmpty { return textCounts[value] != nil }
            guard let id = pool.id(of: value) else { return false }
            return idCounts[Int(id)] > 0
        }
        let folded = value.lowercased()
        if idCounts.isEmpty { return textCounts.keys.contains { $0.lowercased() == folded } }
        return idCounts.indices.contains { idCounts[$0] > 0 && pool[UInt32($0)].lowercased() == folded }
    }

    /// The `limit` most frequent values (ties in string order), and how many distinct values
    /// there are beyond them.
    func mostFrequent(_ limit: Int) -> (values: [String], more: Int) {
        var top: [(value: String, count: Int)] = []
        var distinct = 0
        func offer(_ count: Int, _ value: () -> String) {
            distinct += 1
            // Most of a large field's values are rare: skip them before making their string.
            if top.count == limit, let last = top.last, count < last.count { return }
            let candidate = (value: value(), count: count)
            let position = top.firstIndex { ($0.count, candidate.value) < (candidate.count, $0.value) } ?? top.count
            top.insert(candidate, at: position)
            if top.count > limit { top.removeLast() }
        }
        if idCounts.isEmpty {
            for (value, count) in textCounts { offer(count) { value } }
        } else {
            for (id, count) in idCounts.enumerated() where count > 0 { offer(Int(count)) { pool[UInt32(id)] } }
        }
        return (top.map(\.value), distinct - top.count)
    }
}

/// Fields derived from text, computed the same way wherever they are needed.
enum DerivedText {
    /// RoleName: the last segment of IamRoleArn, after the last '/'.
    static func roleName(ofRoleArn arn: String) -> String {
        arn.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? arn
    }
}
