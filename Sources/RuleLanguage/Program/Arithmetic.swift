import BackupJobs

/// A numeric value as arithmetic sees it: times (epoch milliseconds), durations (milliseconds)
/// and sizes (bytes) are exact `Int64`s; numbers and percentages are `Double`s.
public enum Amount: Hashable, Sendable {
    case integer(Int64)
    case real(Double)
}

/// What an operation gave.
public enum ArithmeticOutcome: Hashable, Sendable {
    case value(Amount)
    /// A division by zero: the value is missing, as a missing field is.
    case undefined
    /// The result lies outside the range of its kind (`ValueType.rangeDescription`).
    case overflow
}

/// The language's arithmetic, one definition for the checker's constant folding and for
/// evaluation, so `99999999999d + 99999999999d` means the same written out and computed.
///
/// - `+`, `-`, `*` and negation of times, durations and sizes are checked `Int64` operations.
/// - A duration or size times or divided by a whole number is exact (division rounds to the
///   nearest, halves away from zero); by a fraction, it is computed in `Double` and rounded to the
///   nearest whole unit.
/// - Numbers and percentages are `Double`s; a result that is not finite overflows.
/// - Any result outside its kind's range is `.overflow`; a division by zero is `.undefined`.
public enum CheckedArithmetic {
    /// `a op b`, where the checker typed the result as `result`.
    public static func apply(_ op: ArithmeticOperator, _ a: Amount, _ b: Amount, result: ValueType) -> ArithmeticOutcome {
        let exact = result.isExactKind
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            return exact ? integers(op, x, y) : reals(op, Double(x), Double(y), exact: false)
        case (.integer(let x), .real(let y)):
            if exact, let n = wholeNumber(y) { return integers(op, x, n) }
            return reals(op, Double(x), y, exact: exact)
        case (.real(let x), .integer(let y)):
            // `2 * rpo`: multiplication commutes; a number divided by a duration is not a type.
            if exact, op == .times, let n = wholeNumber(x) { return integers(op, n, y) }
            return reals(op, x, Double(y), exact: exact)
        case (.real(let x), .real(let y)):
            return reals(op, x, y, exact: exact)
        }
    }

    /// `-a`.
    public static func negate(_ a: Amount) -> ArithmeticOutcome {
        switch a {
        case .integer(let x):
            let (negated, overflow) = Int64(0).subtractingReportingOverflow(x)
            return overflow ? .overflow : .value(.integer(negated))
        case .real(let x):
            return .value(.real(-x))
        }
    }

    /// The whole number nearest to `value` (halves away from zero), or nil outside `Int64` (or
    /// not finite).
    public static func nearestInteger(_ value: Double) -> Int64? {
        let rounded = value.rounded()
        // -2^63 and 2^63 are exact Doubles; `Int64(_:)` traps outside [-2^63, 2^63).
        guard rounded >= -9_223_372_036_854_775_808.0, rounded < 9_223_372_036_854_775_808.0 else { return nil }
        return Int64(rounded)
    }

    /// The value as an `Int64` when it is a whole number that fits.
    static func wholeNumber(_ value: Double) -> Int64? {
        guard value == value.rounded() else { return nil }
        return nearestInteger(value)
    }

    static func integers(_ op: ArithmeticOperator, _ x: Int64, _ y: Int64) -> ArithmeticOutcome {
        let (value, overflow): (Int64, Bool)
        switch op {
        case .plus: (value, overflow) = x.addingReportingOverflow(y)
        case .minus: (value, overflow) = x.subtractingReportingOverflow(y)
        case .times: (value, overflow) = x.multipliedReportingOverflow(by: y)
        case .divided: return dividedRounding(x, y)
        }
        return overflow ? .overflow : .value(.integer(value))
    }

    /// `x / y` rounded to the nearest whole number, halves away from zero.
    static func dividedRounding(_ x: Int64, _ y: Int64) -> ArithmeticOutcome {
        guard y != 0 else { return .undefined }
        let (quotient, overflow) = x.dividedReportingOverflow(by: y)
        guard !overflow else { return .overflow }  // Int64.min / -1
        let remainder = x.remainderReportingOverflow(dividingBy: y).partialValue
        // Round up in magnitude when |remainder| >= |y| - |remainder|, i.e. 2|r| >= |y|, without
        // doubling. |y| >= 2 whenever the remainder is nonzero, so |quotient| <= 2^62 and the step
        // cannot overflow.
        guard remainder != 0, remainder.magnitude >= y.magnitude - remainder.magnitude else { return .value(.integer(quotient)) }
        return .value(.integer((x < 0) == (y < 0) ? quotient + 1 : quotient - 1))
    }

    static func reals(_ op: ArithmeticOperator, _ x: Double, _ y: Double, exact: Bool) -> ArithmeticOutcome {
        let value: Double
        switch op {
        case .plus: value = x + y
        case .minus: value = x - y
        case .times: value = x * y
        case .divided:
            guard y != 0 else { return .undefined }
            value = x / y
        }
        if exact { return nearestInteger(value).map { .value(.integer($0)) } ?? .overflow }
        return value.isFinite ? .value(.real(value)) : .overflow
    }
}

extension ValueType {
    /// Times, durations and sizes: exact `Int64`s.
    public var isExactKind: Bool {
        switch self {
        case .timestamp, .duration, .size: true
        default: false
        }
    }

    /// The range values of this kind take, for messages: "sizes range over ±8 EiB ...".
    public var rangeDescription: String {
        switch self {
        case .duration: "durations range over ±\(Int64.max / DurationUnit.day.milliseconds) days (about 292 million years)"
        case .timestamp: "times range over \(Int64.max / DurationUnit.day.milliseconds) days (about 292 million years) either side of 1970-01-01"
        case .size: "sizes range over ±8 EiB (9223372036854775807 bytes)"
        case .percent: "percentages range over ±1.8e308 (as fractions: 100% is 1)"
        default: "numbers range over ±1.8e308"
        }
    }
}

extension Constant {
    /// The value as arithmetic sees it; nil for text, booleans and lists.
    public var amount: Amount? {
        switch self {
        case .timestamp(let t): .integer(t.millisecondsSinceEpoch)
        case .duration(let v), .size(let v): .integer(v)
        case .number(let v), .percent(let v): .real(v)
        case .string, .boolean, .list: nil
        }
    }

    /// A constant of `type` holding `amount`; nil when the type is not numeric.
    public init?(_ amount: Amount, as type: ValueType) {
        switch (type, amount) {
        case (.timestamp, .integer(let v)): self = .timestamp(Timestamp(millisecondsSinceEpoch: v))
        case (.duration, .integer(let v)): self = .duration(v)
        case (.size, .integer(let v)): self = .size(v)
        case (.percent, .real(let v)): self = .percent(v)
        case (.number, .real(let v)): self = .number(v)
        case (.number, .integer(let v)): self = .number(Double(v))
        default: return nil
        }
    }
}
