import BackupJobs
import RuleLanguage

typealias RowPredicate = (Int) -> Bool
typealias RowValue = (Int) -> Value?

/// Turns a rule's conditions into closures over row numbers of a `RecordTable`, specialised for
/// the shapes rules use most (a string field against a literal: one integer comparison; a
/// time window: two); text tests are computed once per distinct string.
///
/// A compiler and its closures belong to one rule's evaluation (one task): the memo tables
/// inside them are not shared.
struct RowCompiler {
    let table: RecordTable
    let pool: StringPool
    /// Epoch milliseconds of `now`, fixed for the evaluation, so `now - 24h` is a constant.
    let now: Int64
    /// Remember text-test answers per distinct string: right for evaluating every job, wasted
    /// (a table of every string id) for explaining one.
    let memoizesText: Bool
    /// Where arithmetic that overflows records itself (and gives no value).
    let faults: FaultRecorder

    init(table: RecordTable, now: Timestamp, memoizesText: Bool = true, faults: FaultRecorder = FaultRecorder()) {
        self.table = table
        pool = table.strings
        self.now = now.millisecondsSinceEpoch
        self.memoizesText = memoizesText
        self.faults = faults
    }

    // MARK: Conditions

    func predicate(_ condition: Condition) -> RowPredicate {
        switch condition {
        case .clause(_, let inner):
            return predicate(inner)
        case .constant(let flag):
            return { _ in flag }
        case .and(let parts):
            let compiled = parts.map(predicate)
            if compiled.count == 2 {
                let a = compiled[0], b = compiled[1]
                return { a($0) && b($0) }
            }
            return { row in compiled.allSatisfy { $0(row) } }
        case .or(let parts):
            let compiled = parts.map(predicate)
            if compiled.count == 2 {
                let a = compiled[0], b = compiled[1]
                return { a($0) || b($0) }
            }
            return { row in compiled.contains { $0(row) } }
        case .not(let inner):
            let compiled = predicate(inner)
            return { !compiled($0) }
        case .isTrue(let operand):
            return booleanPredicate(operand)
        case .presence(let operand, let exists):
            let present = presence(operand)
            return exists ? present : { !present($0) }
        case .compare(let op, let left, let right):
            return comparison(op, left, right)
        case .text(let test, let operand, let ignoringCase):
            return textPredicate(test, operand, ignoringCase: ignoringCase)
        }
    }

    func booleanPredicate(_ operand: Operand) -> RowPredicate {
        switch operand {
        case .field(.derived(.finished)):
            let states = table.stateCodes, known = table.schema.states
            return { known.isFinished(states[$0]) }
        case .field(.derived(.inFlight)):
            let states = table.stateCodes, known = table.schema.states
            return { known.isInFlight(states[$0]) }
        case .field(.stored(let field)):
            let column = table.booleanColumn(field.index)
            return { column[$0] == 1 }
        default:
            let compiled = value(operand)
            return { if case .boolean(true)? = compiled($0) { true } else { false } }
        }
    }

    func presence(_ operand: Operand) -> RowPredicate {
        if case .field(.stored(let field)) = operand {
            let column = table.presenceColumn(field.index)
            return { column[$0] != nil }
        }
        let compiled = value(operand)
        return { compiled($0) != nil }
    }

    func comparison(_ op: ComparisonOperator, _ left: Operand, _ right: Operand) -> RowPredicate {
        // A string field against text: compare interned ids.
        if op == .equal || op == .notEqual, case .field(.stored(let field)) = left, isStringField(field),
           case .constant(.string(let text)) = right {
            let column = table.stringColumn(field.index)
            guard let id = pool.id(of: text) else {
                // The text never occurs in the data: never equal, unequal whenever present.
                return op == .equal ? { _ in false } : { column[$0] != nil }
            }
            return op == .equal ? { column[$0] == id } : { row in column[row].map { $0 != id } ?? false }
        }
        // A timestamp field against a time known now (a literal, now, now - 24h).
        if case .field(.stored(let field)) = left, isTimestampField(field), let bound = constantTime(right) {
            let column = table.timestampColumn(field.index)
            switch op {
            case .less: return { column[$0].map { $0 < bound } ?? false }
            case .lessOrEqual: return { column[$0].map { $0 <= bound } ?? false }
            case .greater: return { column[$0].map { $0 > bound } ?? false }
            case .greaterOrEqual: return { column[$0].map { $0 >= bound } ?? false }
            case .equal: return { column[$0].map { $0 == bound } ?? false }
            case .notEqual: return { column[$0].map { $0 != bound } ?? false }
            }
        }
        let l = value(left), r = value(right)
        let pool = self.pool
        return { row in
            guard let a = l(row), let b = r(row) else { return false }
            return Comparison.holds(op, a, b, pool: pool)
        }
    }

    /// A timestamp operand that is the same for every job: a literal, `now`, `now ± duration`.
    /// Nil when it overflows too: then it is computed job by job, and the first job records the
    /// fault.
    func constantTime(_ operand: Operand) -> Int64? {
        switch operand {
        case .constant(.timestamp(let t)): return t.millisecondsSinceEpoch
        case .now: return now
        case .arithmetic(let op, let a, .constant(.duration(let d)), _, _) where op == .plus || op == .minus:
            guard let base = constantTime(a) else { return nil }
            let (time, overflow) = op == .plus ? base.addingReportingOverflow(d) : base.subtractingReportingOverflow(d)
            return overflow ? nil : time
        default: return nil
        }
    }

    func isStringField(_ field: StoredField) -> Bool {
        field.descriptor.type.isText
    }

    func isTimestampField(_ field: StoredField) -> Bool {
        field.descriptor.type == .timestamp
    }

    // MARK: Text tests

    func textPredicate(_ test: TextTest, _ operand: Operand, ignoringCase: Bool) -> RowPredicate {
        let matcher = TextMatcher(test, ignoringCase: ignoringCase, pool: pool)
        // A string field: decide once per distinct string, then look the answer up.
        if memoizesText, case .field(.stored(let field)) = operand, isStringField(field) {
            let column = table.stringColumn(field.index)
            let memo = TextMemo(count: pool.count)
            return { row in
                guard let id = column[row] else { return false }
                return memo.answer(id) { matcher.matches(id: id) }
            }
        }
        let compiled = value(operand)
        return { row in compiled(row).map(matcher.matches) ?? false }
    }

    // MARK: Values

    func value(_ operand: Operand) -> RowValue {
        switch operand {
        case .constant(let constant):
            let fixed = Value(constant, pool: pool)
            return { _ in fixed }
        case .now:
            let now = self.now
            return { _ in .timestamp(now) }
        case .field(let field):
            return fieldValue(field)
        case .negate(let inner, let source):
            let compiled = value(inner)
            let faults = self.faults
            let kind = table.kind
            return { row in compiled(row).flatMap { Arithmetic.negate($0, source: source, row: row, of: kind, faults: faults) } }
        case .arithmetic(let op, let a, let b, let result, let source):
            if let time = constantTime(operand) { return { _ in .timestamp(time) } }
            let l = value(a), r = value(b)
            let faults = self.faults, kind = table.kind
            return { row in
                guard let x = l(row), let y = r(row) else { return nil }
                return Arithmetic.apply(op, x, y, result: result, source: source, row: row, of: kind, faults: faults)
            }
        case .aggregate, .pickedJobField:
            // The checker allows these only in group conditions, which GroupCompiler compiles.
            return { _ in nil }
        }
    }

    func fieldValue(_ field: FieldRef) -> RowValue {
        switch field {
        case .stored(let stored):
            // The checker resolved the field against this table's kind.
            let field = stored.index
            switch stored.descriptor.type {
            case .string, .enumeration:
                let column = table.stringColumn(field)
                return { column[$0].map(Value.textID) }
            case .timestamp:
                let column = table.timestampColumn(field)
                return { column[$0].map(Value.timestamp) }
            case .integer:
                let column = table.integerColumn(field)
                let isSize = ValueType.of(stored) == .size
                return { row in column[row].map { isSize ? .size($0) : .number(Double($0)) } }
            case .boolean:
                let column = table.booleanColumn(field)
                return { column[$0].map { .boolean($0 == 1) } }
            case .stringMap, .integerMap, .structure:
                return { _ in nil }
            }
        case .backupOption(let key):
            let column = table.mapColumn(BackupJobField.backupOptions.index)
            guard let keyID = pool.id(of: key) else { return { _ in nil } }
            let table = self.table
            return { row in column[row].flatMap { table.mapValue($0, key: keyID) }.map(Value.textID) }
        case .arnPart(let stored, let part):
            let column = table.stringColumn(stored.index)
            let parts = ARNMemo(pool: pool, part: part)
            return { row in column[row].flatMap(parts.part).map(Value.text) }
        case .additional(let path):
            let table = self.table
            return { row in table.additionalField(path, at: row).map(ExtraValue.parse) }
        case .derived(let derived):
            return derivedValue(derived)
        }
    }

    /// A string column of the table's kind by path (a field every kind with the derived field has).
    private func column(_ path: String) -> RecordTable.Column<UInt32>? {
        table.schema.index(path: path).map(table.stringColumn)
    }

    func derivedValue(_ field: DerivedField) -> RowValue {
        let schema = table.schema
        switch field {
        case .duration:
            let created = table.timestampColumn(schema.creationField), completed = table.timestampColumn(schema.completionField)
            return { row in
                // Both lie in the years 0001–9999 (decoders and test jobs refuse others), so the
                // difference is far inside Int64. A completion before the creation measures
                // nothing: missing, so `Duration <= 4h` does not pass such a record.
                guard let start = created[row], let end = completed[row], end >= start else { return nil }
                return .duration(end - start)
            }
        case .region:
            let vault = table.stringColumn(schema.vaultField), resource = table.stringColumn(schema.resourceField)
            let regions = ARNMemo(pool: pool, part: .region)
            return { row in
                (vault[row].flatMap(regions.part) ?? resource[row].flatMap(regions.part)).map(Value.text)
            }
        case .roleName:
            guard let role = column("IamRoleArn") else { return { _ in nil } }
            let pool = self.pool
            return { row in
                role[row].map { .text(DerivedText.roleName(ofRoleArn: pool[$0])) }
            }
        case .finished, .inFlight:
            let states = table.stateCodes, known = schema.states
            return field == .finished ? { .boolean(known.isFinished(states[$0])) } : { .boolean(known.isInFlight(states[$0])) }
        case .completedWithIssues:
            let states = table.stateCodes
            guard let category = column("MessageCategory") else { return { _ in .boolean(false) } }
            let success = pool.id(of: "SUCCESS")
            let completed = schema.states.code(of: "COMPLETED")
            return { row in
                guard states[row] == completed, let id = category[row] else { return .boolean(false) }
                return .boolean(id != success)
            }
        case .crossRegion, .crossAccount:
            // Missing unless both vaults' ARNs have the part: such a copy is neither cross nor not.
            guard let source = column("SourceBackupVaultArn"), let destination = column("DestinationBackupVaultArn") else { return { _ in nil } }
            let parts = ARNMemo(pool: pool, part: field == .crossRegion ? .region : .account)
            return { row in
                guard let from = source[row].flatMap(parts.part), let to = destination[row].flatMap(parts.part) else { return nil }
                return .boolean(from != to)
            }
        case .isRestoreTest:
            guard let plan = schema.index(path: "CreatedBy.RestoreTestingPlanArn").map(table.presenceColumn) else { return { _ in .boolean(false) } }
            return { .boolean(plan[$0] != nil) }
        }
    }
}

/// Answers for text tests by string id: 0 not yet known, 1 false, 2 true.
final class TextMemo {
    private var answers: [UInt8]

    init(count: Int) {
        answers = [UInt8](repeating: 0, count: count + 1)
    }

    @inline(__always)
    func answer(_ id: UInt32, _ compute: () -> Bool) -> Bool {
        let known = answers[Int(id)]
        if known != 0 { return known == 2 }
        let result = compute()
        answers[Int(id)] = result ? 2 : 1
        return result
    }
}

/// A part (Region, account) of an ARN by string id, computed once per ARN.
final class ARNMemo {
    private let pool: StringPool
    private let part: ARNPart
    private var parts: [UInt32: String?] = [:]

    init(pool: StringPool, part: ARNPart) {
        self.pool = pool
        self.part = part
    }

    func part(_ id: UInt32) -> String? {
        if let known = parts[id] { return known }
        let text = pool[id]
        let value = switch part {
        case .region: ARN.region(of: text)
        case .account: ARN.account(of: text)
        }
        parts[id] = value
        return value
    }
}

/// Arithmetic on values: the language's checked arithmetic (`CheckedArithmetic`, shared with
/// the checker's constant folding), with the result kind the checker gave.
enum Arithmetic {
    /// `x op y`; nil for a division by zero (a missing value) and for an overflow, which is
    /// recorded in `faults` under `source`, with the row (-1: none) of the table of `kind` it read.
    @inline(__always)
    static func apply(
        _ op: ArithmeticOperator, _ x: Value, _ y: Value, result: ValueType, source: String, row: Int, of kind: RecordKind, faults: FaultRecorder
    ) -> Value? {
        guard let a = x.amount, let b = y.amount else { return nil }
        switch CheckedArithmetic.apply(op, a, b, result: result) {
        case .value(let amount): return Value(amount, as: result)
        case .undefined: return nil
        case .overflow:
            faults.overflow(source, result, row: row >= 0 ? (kind, row) : nil)
            return nil
        }
    }

    /// `-value`; nil for an overflow (`-x` where x is Int64.min), which is recorded.
    static func negate(_ value: Value, source: String, row: Int, of recordKind: RecordKind, faults: FaultRecorder) -> Value? {
        guard let amount = value.amount, let kind = value.kind else { return value }
        guard case .value(let negated) = CheckedArithmetic.negate(amount) else {
            faults.overflow(source, kind, row: row >= 0 ? (recordKind, row) : nil)
            return nil
        }
        return Value(negated, as: kind)
    }
}

/// `extra("Field")`: the JSON text of a member outside the schema, as a value.
enum ExtraValue {
    static func parse(_ json: String) -> Value {
        if json.hasPrefix("\""), json.hasSuffix("\""), json.count >= 2 {
            // The decoder kept the text as written: undo the common escapes.
            let inner = json.dropFirst().dropLast()
            return .text(inner.replacingEscapes())
        }
        if json == "true" || json == "false" { return .boolean(json == "true") }
        // `1e999` reads as infinity, which no number is: keep such text as text.
        if let number = Double(json), number.isFinite { return .number(number) }
        return .text(json)
    }
}

extension Substring {
    fileprivate func replacingEscapes() -> String {
        guard contains("\\") else { return String(self) }
        var out = ""
        var escaping = false
        for character in self {
            if escaping {
                switch character {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
