import BackupJobs
import RuleLanguage

/// A value met while evaluating: a field of a job, an aggregate of a group, a constant.
enum Value: Sendable {
    /// A string of the job table, by id.
    case textID(UInt32)
    /// Any other string (a literal absent from the data, a Region, a role name).
    case text(String)
    case number(Double)
    case boolean(Bool)
    case timestamp(Int64)
    case duration(Int64)
    case size(Int64)
    case percent(Double)

    init(_ constant: Constant, pool: StringPool) {
        switch constant {
        case .string(let s): self = pool.id(of: s).map(Value.textID) ?? .text(s)
        case .number(let n): self = .number(n)
        case .boolean(let b): self = .boolean(b)
        case .timestamp(let t): self = .timestamp(t.millisecondsSinceEpoch)
        case .duration(let d): self = .duration(d)
        case .size(let s): self = .size(s)
        case .percent(let p): self = .percent(p)
        case .list: self = .text("")  // lists only appear in membership tests, handled there
        }
    }

    /// The value as a Double, for ordering values of different numeric kinds.
    var numeric: Double? {
        switch self {
        case .number(let v), .percent(let v): v
        case .timestamp(let v), .duration(let v), .size(let v): Double(v)
        default: nil
        }
    }

    /// The value as arithmetic sees it; nil for text and booleans.
    var amount: Amount? {
        switch self {
        case .timestamp(let v), .duration(let v), .size(let v): .integer(v)
        case .number(let v), .percent(let v): .real(v)
        default: nil
        }
    }

    /// The kind of a numeric value; nil for text and booleans.
    var kind: ValueType? {
        switch self {
        case .timestamp: .timestamp
        case .duration: .duration
        case .size: .size
        case .number: .number
        case .percent: .percent
        default: nil
        }
    }

    /// A value of `type` holding `amount` (what arithmetic gave for that type).
    init(_ amount: Amount, as type: ValueType) {
        switch (type, amount) {
        case (.timestamp, .integer(let v)): self = .timestamp(v)
        case (.duration, .integer(let v)): self = .duration(v)
        case (.size, .integer(let v)): self = .size(v)
        case (.percent, .real(let v)): self = .percent(v)
        case (_, .real(let v)): self = .number(v)
        case (_, .integer(let v)): self = .number(Double(v))
        }
    }

    var exactInteger: Int64? {
        switch self {
        case .timestamp(let v), .duration(let v), .size(let v): v
        default: nil
        }
    }

    func string(_ pool: StringPool) -> String? {
        switch self {
        case .textID(let id): pool[id]
        case .text(let s): s
        case .boolean(let b): b ? "true" : "false"
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        default: nil
        }
    }

    /// The value as a constant of the language: what query columns and findings report.
    func constant(_ pool: StringPool) -> Constant {
        switch self {
        case .textID, .text: .string(string(pool) ?? "")
        case .number(let n): .number(n)
        case .boolean(let b): .boolean(b)
        case .timestamp(let t): .timestamp(Timestamp(millisecondsSinceEpoch: t))
        case .duration(let d): .duration(d)
        case .size(let s): .size(s)
        case .percent(let p): .percent(p)
        }
    }

    /// How the value reads in an explanation, and as a group's name.
    func display(_ pool: StringPool) -> String { constant(pool).readable }
}

/// Equality and order of two values; `nil` when they cannot be compared.
enum Comparison {
    static func equal(_ a: Value, _ b: Value, pool: StringPool, ignoringCase: Bool = false) -> Bool {
        switch (a, b) {
        case (.textID(let x), .textID(let y)) where !ignoringCase: return x == y
        case (.boolean(let x), .boolean(let y)): return x == y
        default:
            if let x = a.exactInteger, let y = b.exactInteger { return x == y }
            if let x = a.numeric, let y = b.numeric { return x == y }
            guard let x = a.string(pool), let y = b.string(pool) else { return false }
            return ignoringCase ? x.lowercased() == y.lowercased() : x == y
        }
    }

    /// Negative, zero or positive like `a - b`; `nil` for values without an order.
    static func order(_ a: Value, _ b: Value) -> Int? {
        if let x = a.exactInteger, let y = b.exactInteger { return x < y ? -1 : x > y ? 1 : 0 }
        if let x = a.numeric, let y = b.numeric { return x < y ? -1 : x > y ? 1 : 0 }
        return nil
    }

    static func holds(_ op: ComparisonOperator, _ a: Value, _ b: Value, pool: StringPool) -> Bool {
        switch op {
        case .equal: return equal(a, b, pool: pool)
        case .notEqual: return !equal(a, b, pool: pool)
        default:
            guard let order = order(a, b) else { return false }
            switch op {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            default: return order >= 0
            }
        }
    }
}

enum Sizes {
    static func describe(_ bytes: Int64) -> String {
        // Up to EiB: the largest size, Int64.max bytes, reads "8 EiB".
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes)
        var unit = 0
        while abs(value) >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : "\(Decimals.format(value, places: 1)) \(units[unit])"
    }
}

/// A fraction as a percentage with at most one decimal (`7.2%`): how explanations and reports
/// write shares and ratios.
public enum Percentages {
    public static func describe(_ fraction: Double) -> String {
        Decimals.format(fraction * 100, places: 1) + "%"
    }
}

enum Decimals {
    /// A number with at most `places` decimals, trailing zeros dropped (`7.2`, `5`).
    static func format(_ value: Double, places: Int) -> String {
        // Huge numbers have no decimals to show: 1e+40, not forty digits.
        if !(abs(value) < 1e15) { return String(value) }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
        var text = String(rounded)
        if let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) > places + 1 {
            text = String(text[..<text.index(dot, offsetBy: places + 1)])
        }
        return text
    }
}
