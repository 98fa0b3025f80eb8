import BackupJobs
import Testing

/// The one table of duration units and the two ways durations are written from it.
struct DurationUnitTests {
    @Test(arguments: [
        (0, "0s"), (1, "1ms"), (999, "999ms"), (1000, "1s"), (5_400_000, "1h30m"), (86_400_000, "1d"),
        (604_800_000 + 86_400_000 + 3_600_000 + 1, "1w1d1h1ms"), (-90_000, "-1m30s"),
        (Int64.min, "-15250284452w3d7h12m55s808ms"),
    ] as [(Int64, String)])
    func literalIsExactAsARuleWritesIt(_ milliseconds: Int64, _ text: String) {
        #expect(DurationUnit.literal(milliseconds) == text)
    }

    @Test(arguments: [
        (0, "0ms"), (450, "450ms"), (12_000, "12s"), (5_400_000, "1h 30m"), (115_200_000, "1d 8h"),
        (115_200_000 + 300_000, "1d 8h"), (604_800_000, "7d"), (-5_400_000, "-1h 30m"),
    ] as [(Int64, String)])
    func readableKeepsTheTwoLargestUnitsFromDaysDown(_ milliseconds: Int64, _ text: String) {
        #expect(DurationUnit.readable(milliseconds) == text)
    }

    @Test func everySymbolNamesItsUnitAndTheyAreListedSmallestFirst() {
        for unit in DurationUnit.allCases { #expect(DurationUnit(symbol: unit.symbol) == unit) }
        #expect(DurationUnit(symbol: "y") == nil)
        #expect(DurationUnit.symbols == "ms, s, m, h, d or w")
        // Largest first, each a whole number of the next: `literal` depends on that order.
        for (larger, smaller) in zip(DurationUnit.allCases, DurationUnit.allCases.dropFirst()) {
            #expect(larger.milliseconds > smaller.milliseconds && larger.milliseconds % smaller.milliseconds == 0)
        }
    }
}
