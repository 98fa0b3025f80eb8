import BackupJobs
import Testing

@testable import RuleLanguage

/// The language's arithmetic at the edges of Int64, for every operator and kind; and the checker
/// refusing constants beyond their range.
struct CheckedArithmeticTests {
    static let max = Int64.max, min = Int64.min

    struct Row: Sendable, CustomTestStringConvertible {
        var op: ArithmeticOperator
        var a: Amount
        var b: Amount
        var result: ValueType
        var expected: ArithmeticOutcome
        var testDescription: String { "\(a) \(op.rawValue) \(b) as \(result)" }
    }

    static func row(_ a: Amount, _ op: ArithmeticOperator, _ b: Amount, _ result: ValueType, _ expected: ArithmeticOutcome) -> Row {
        Row(op: op, a: a, b: b, result: result, expected: expected)
    }

    static func int(_ v: Int64) -> Amount { .integer(v) }
    static func real(_ v: Double) -> Amount { .real(v) }
    static func whole(_ v: Int64) -> ArithmeticOutcome { .value(.integer(v)) }
    static func double(_ v: Double) -> ArithmeticOutcome { .value(.real(v)) }

    static let rows: [Row] = [
        // Durations: duration ± duration, duration × and ÷ number.
        row(int(max - 1), .plus, int(1), .duration, whole(max)),
        row(int(max), .plus, int(1), .duration, .overflow),
        row(int(min + 1), .minus, int(1), .duration, whole(min)),
        row(int(min), .minus, int(1), .duration, .overflow),
        row(int(0), .minus, int(min), .duration, .overflow),
        row(int(max / 2), .times, real(2), .duration, whole(max - 1)),
        row(int(max / 2 + 1), .times, real(2), .duration, .overflow),
        row(real(2), .times, int(max / 2 + 1), .duration, .overflow),
        row(int(min), .times, real(-1), .duration, .overflow),
        row(int(min), .divided, real(-1), .duration, .overflow),
        row(int(min), .divided, real(1), .duration, whole(min)),
        row(int(max), .divided, real(2), .duration, whole(max / 2 + 1)),  // 4611686018427387903.5 rounds away from zero
        row(int(-7), .divided, real(2), .duration, whole(-4)),
        row(int(7), .divided, real(-2), .duration, whole(-4)),
        row(int(5), .divided, real(3), .duration, whole(2)),
        row(int(max), .divided, real(0), .duration, .undefined),
        row(int(max), .times, real(1.5), .duration, .overflow),
        row(int(1000), .times, real(1.5), .duration, whole(1500)),
        row(int(1), .times, real(.greatestFiniteMagnitude), .duration, .overflow),
        row(int(max), .times, real(99_999_999_999_999), .duration, .overflow),
        // Sizes: the same operations.
        row(int(max), .plus, int(0), .size, whole(max)),
        row(int(max), .plus, int(1), .size, .overflow),
        row(int(min), .minus, int(1), .size, .overflow),
        row(int(5_000_000_000_000_000_000), .plus, int(5_000_000_000_000_000_000), .size, .overflow),
        row(int(5_000_000_000), .times, real(99_999_999_999), .size, .overflow),
        row(int(9_007_199_254_740_993), .times, real(1), .size, whole(9_007_199_254_740_993)),  // exact, not through Double
        row(int(max), .divided, real(0.5), .size, .overflow),
        row(int(min), .divided, real(-0.0), .size, .undefined),
        // Times: time ± duration, time − time.
        row(int(max - 5), .plus, int(5), .timestamp, whole(max)),
        row(int(max), .plus, int(1), .timestamp, .overflow),
        row(int(1), .plus, int(max), .timestamp, .overflow),
        row(int(min), .minus, int(1), .timestamp, .overflow),
        row(int(max), .minus, int(min), .duration, .overflow),
        row(int(-1), .minus, int(max), .duration, whole(min)),
        // Ratios of durations and sizes are numbers.
        row(int(max), .divided, int(min), .number, double(Double(max) / Double(min))),
        row(int(1), .divided, int(0), .number, .undefined),
        // Numbers and percentages: Doubles that must stay finite.
        row(real(.greatestFiniteMagnitude), .plus, real(.greatestFiniteMagnitude), .number, .overflow),
        row(real(-.greatestFiniteMagnitude), .minus, real(.greatestFiniteMagnitude), .number, .overflow),
        row(real(1e308), .times, real(10), .number, .overflow),
        row(real(1e308), .divided, real(0.1), .number, .overflow),
        row(real(1), .divided, real(0), .number, .undefined),
        row(real(1e308), .times, real(1), .number, double(1e308)),
        row(real(.greatestFiniteMagnitude), .times, real(2), .percent, .overflow),
        row(real(0.5), .times, real(3), .percent, double(1.5)),
        row(real(0.5), .divided, real(0), .percent, .undefined),
    ]

    @Test(arguments: rows)
    func computesOrOverflows(_ row: Row) {
        #expect(CheckedArithmetic.apply(row.op, row.a, row.b, result: row.result) == row.expected)
    }

    @Test(arguments: [
        (Amount.integer(.min), ArithmeticOutcome.overflow),
        (.integer(.max), .value(.integer(-.max))),
        (.integer(.min + 1), .value(.integer(.max))),
        (.real(-.greatestFiniteMagnitude), .value(.real(.greatestFiniteMagnitude))),
    ])
    func negates(_ amount: Amount, _ expected: ArithmeticOutcome) {
        #expect(CheckedArithmetic.negate(amount) == expected)
    }

    @Test func nearestIntegerStaysInsideInt64() {
        #expect(CheckedArithmetic.nearestInteger(9_223_372_036_854_775_808.0) == nil)  // 2^63
        #expect(CheckedArithmetic.nearestInteger(9_223_372_036_854_774_784.0) == 9_223_372_036_854_774_784)  // the Double below 2^63
        #expect(CheckedArithmetic.nearestInteger(-9_223_372_036_854_775_808.0) == .min)
        #expect(CheckedArithmetic.nearestInteger(-9_223_372_036_854_777_856.0) == nil)  // the Double below -2^63
        #expect(CheckedArithmetic.nearestInteger(.nan) == nil)
        #expect(CheckedArithmetic.nearestInteger(-.infinity) == nil)
        #expect(CheckedArithmetic.nearestInteger(2.5) == 3 && CheckedArithmetic.nearestInteger(-2.5) == -3)
    }

    /// Random operands near the edges, for every operator and kind: never a trap, and integer
    /// results are exactly the wide (128-bit) result when it fits, an overflow when it does not.
    @Test func randomOperandsNearTheBoundsMatchWideArithmetic() {
        var random = RobustnessTests.SplitMix64(state: 0x0BAD_5EED)
        let kinds: [(ArithmeticOperator, ValueType)] = [
            (.plus, .duration), (.minus, .duration), (.plus, .size), (.minus, .size), (.plus, .timestamp), (.minus, .timestamp),
            (.minus, .duration), (.times, .duration), (.times, .size), (.divided, .duration), (.divided, .size),
        ]
        for _ in 0..<20_000 {
            let (op, kind) = kinds[Int(random.next() % UInt64(kinds.count))]
            let x = random.nearEdge()
            var y = random.nearEdge()
            let b: Amount
            if op == .times || op == .divided {
                // The factor is a number (a Double): compare with the whole number it holds.
                guard let exact = Int64(exactly: Double(random.smallOrEdge())) else { continue }
                y = exact
                b = .real(Double(exact))
            } else {
                b = .integer(y)
            }
            let outcome = CheckedArithmetic.apply(op, .integer(x), b, result: kind)
            let wide: Int128? = switch op {
            case .plus: Int128(x) + Int128(y)
            case .minus: Int128(x) - Int128(y)
            case .times: Int128(x) * Int128(y)
            case .divided: y == 0 ? nil : Self.roundedQuotient(Int128(x), Int128(y))
            }
            let expected: ArithmeticOutcome = wide.map { Int64(exactly: $0).map { .value(.integer($0)) } ?? .overflow } ?? .undefined
            #expect(outcome == expected, "\(x) \(op.rawValue) \(y) as \(kind)")
        }
        // Fractions and huge numbers: a value when the Double result rounds into Int64 or stays
        // finite, an overflow otherwise.
        for _ in 0..<20_000 {
            let x = random.nearEdge()
            let factor = Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF) * (random.next() % 2 == 0 ? 1 : -1)
            let duration = CheckedArithmetic.apply(.times, .integer(x), .real(factor), result: .duration)
            if let product = CheckedArithmetic.nearestInteger(Double(x) * factor) {
                #expect(duration == .value(.integer(product)) || (factor == factor.rounded() && duration != .undefined))
            } else {
                #expect(duration == .overflow || (factor == factor.rounded() && duration != .undefined))
            }
            let number = CheckedArithmetic.apply(.times, .real(Double(x)), .real(factor), result: .number)
            #expect(number == ((Double(x) * factor).isFinite ? .value(.real(Double(x) * factor)) : .overflow))
        }
    }

    /// `x / y` rounded to the nearest, halves away from zero.
    static func roundedQuotient(_ x: Int128, _ y: Int128) -> Int128 {
        let (q, r) = x.quotientAndRemainder(dividingBy: y)
        guard r != 0, r.magnitude * 2 >= y.magnitude else { return q }
        return (x < 0) == (y < 0) ? q + 1 : q - 1
    }
}

/// Operands for the random test, from the robustness tests' seeded generator (the same numbers
/// on every run).
extension RobustnessTests.SplitMix64 {
    /// Within 2^20 of Int64.min, 0 or Int64.max, or anywhere.
    mutating func nearEdge() -> Int64 {
        let offset = Int64(next() % (1 << 20))
        switch next() % 4 {
        case 0: return .max - offset
        case 1: return .min + offset
        case 2: return next() % 2 == 0 ? offset : -offset
        default: return Int64(bitPattern: next())
        }
    }

    /// A small factor (−4…4), or a large one.
    mutating func smallOrEdge() -> Int64 {
        next() % 2 == 0 ? Int64(next() % 9) - 4 : nearEdge()
    }
}

/// Constants beyond their kind's range are checker errors at the expression, naming the range.
struct OutOfRangeDiagnosticTests {
    static let durations = "durations range over ±106751991167 days (about 292 million years)"
    static let sizes = "sizes range over ±8 EiB (9223372036854775807 bytes)"

    @Test(arguments: [
        ("every job satisfies Duration < 1️⃣99999999999d + 99999999999d", "99999999999d + 99999999999d is out of range: \(durations)"),
        ("every job satisfies Duration < 1️⃣106751991168d", "the duration 106751991168d is out of range: \(durations)"),
        ("every job satisfies Duration < 1️⃣99999999999999999999ms", "the duration 99999999999999999999ms is out of range: \(durations)"),
        ("every job satisfies Duration < 1️⃣2 * 99999999999d", "2 * 99999999999d is out of range: \(durations)"),
        ("every job satisfies Duration < 1️⃣-(0s - 9223372036854775807ms - 1ms)", "-(0s - 9223372036854775807ms - 1ms) is out of range: \(durations)"),
        // 8388608 TiB is 2^63 bytes; this fraction rounds up to it.
        ("every job satisfies BackupSizeInBytes < 1️⃣8388607.99999999999999999 TiB", "the size 8388607.99999999999999999 TiB is out of range: \(sizes)"),
        ("every job satisfies BackupSizeInBytes < 1️⃣8388607.99999999999999999TiB", "the size 8388607.99999999999999999TiB is out of range: \(sizes)"),
        ("every job satisfies BackupSizeInBytes < 1️⃣9999999 TiB", "the size 9999999 TiB is out of range: \(sizes)"),
        ("every job satisfies BackupSizeInBytes < 1️⃣8 TiB * 9999999", "8 TiB * 9999999 is out of range: \(sizes)"),
        ("every job satisfies CreationDate before 1️⃣2026-01-01 + 99999999999d + 99999999999d",
         "2026-01-01 + 99999999999d + 99999999999d is out of range: times range over 106751991167 days (about 292 million years) either side of 1970-01-01"),
        ("every job satisfies Duration * 1️⃣1\(String(repeating: "0", count: 400)) > 1h",
         "the number 1\(String(repeating: "0", count: 400)) is out of range: numbers range over ±1.8e308"),
        ("every account satisfies share(jobs, Finished) < 1️⃣1\(String(repeating: "0", count: 400))%",
         "the percentage 1\(String(repeating: "0", count: 400))% is out of range: percentages range over ±1.8e308 (as fractions: 100% is 1)"),
    ])
    func constantsBeyondTheirRangeAreErrors(_ body: String, _ message: String) {
        assertDiagnostics(rule(body), [DiagnosticSpec(.outOfRange, message: message)])
    }

    @Test(arguments: [
        "every job satisfies Duration < 106751991167d and Duration > -106751991167d",
        "every job satisfies Duration > 0s - 9223372036854775807ms - 1ms",
        "every job satisfies BackupSizeInBytes < 8388607 TiB and BackupSizeInBytes < 8388607.99999999TiB",
        "every job satisfies CreationDate before now + 99999999999d",
        "every job satisfies Duration < 99999999999d / 0",
    ])
    func constantsAtTheEdgesCompile(_ body: String) {
        _ = compileClean(rule(body))
    }

    @Test func parametersAndOverridesAreCheckedToo() {
        // The parameter is then unknown to the rule as well.
        assertDiagnostics("param huge = 1️⃣99999999999d + 99999999999d\n" + rule("every job satisfies Duration < huge"),
                          [DiagnosticSpec(.outOfRange, message: "99999999999d + 99999999999d is out of range: \(Self.durations)")],
                          ignoring: [.unknownField])
        assertDiagnostics("param rpo = 24h\n" + rule("every job satisfies CreationDate within rpo"),
                          [DiagnosticSpec(.outOfRange, at: nil, message: "99999999999d + 99999999999d is out of range: \(Self.durations)")],
                          overrides: [("rpo", "99999999999d + 99999999999d")])
    }

    @Test func aTestJobsTimesAreTimesDataCanHold() {
        let text = rule("every job satisfies Finished")
            + "\ntest \"t\" {\n  now 2026-11-28T12:00:00Z\n  job { CreationDate = 1️⃣2026-01-01 + 99999999999d }\n  expect r passes\n}\n"
        assertDiagnostics(text, [DiagnosticSpec(
            .outOfRange, message: "2026-01-01 + 99999999999d is not a time a job can have: jobs' times lie in the years 0001 to 9999")])
    }

    @Test func dayCountsAreBounded() {
        assertDiagnostics(rule("every resource has job in each of the last 1️⃣3661 days"), [DiagnosticSpec(
            .invalidCount, message: "the number of days must be a whole number from 1 to 3660, found 3661")],
            ignoring: [.windowBeyondRetention])
        _ = compileClean(rule("every resource has job in each of the last 3660 days"))
    }
}
