import AWSBackupClient
import BackupJobs
import Testing

/// Slices must cover every job the unsliced filter covers, however the service compares bounds:
/// inclusive or exclusive at either end, with millisecond or whole-second precision.
struct TimeSlicesTests {
    static let now = Timestamp(iso8601: "2026-11-28T12:00:00Z")!

    enum Semantics: CaseIterable {
        case halfOpen, closed, open, secondsTruncatedOpen
    }

    static func contains(_ filter: ListFilter, _ time: Int64, _ semantics: Semantics) -> Bool {
        func bound(_ timestamp: Timestamp?) -> Int64? {
            guard let value = timestamp?.millisecondsSinceEpoch else { return nil }
            return semantics == .secondsTruncatedOpen ? value - value.floorModulo1000 : value
        }
        let after = bound(filter.createdAfter), before = bound(filter.createdBefore)
        switch semantics {
        case .halfOpen: return (after.map { time >= $0 } ?? true) && (before.map { time < $0 } ?? true)
        case .closed: return (after.map { time >= $0 } ?? true) && (before.map { time <= $0 } ?? true)
        case .open, .secondsTruncatedOpen: return (after.map { time > $0 } ?? true) && (before.map { time < $0 } ?? true)
        }
    }

    /// Milliseconds around a bound where an off-by-one would lose a job.
    static let offsets: [Int64] = [-2001, -2000, -1999, -1001, -1000, -999, -500, -1, 0, 1, 500, 999, 1000, 1001, 1999, 2000, 2001]

    @Test(arguments: [2, 3, 8, 16, 64])
    func slicesCoverEveryInstantUnderEverySemantics(count: Int) throws {
        let slices = try TimeSlices.split(ListFilter(), into: count, now: Self.now)
        #expect(slices.count == count)
        #expect(slices.first?.createdAfter == nil)
        #expect(slices.last?.createdBefore == nil)
        // Every boundary, the milliseconds around it, and times far outside the window.
        var times: [Int64] = [0, Self.now.millisecondsSinceEpoch * 2, Self.now.millisecondsSinceEpoch - 400 * 86_400_000]
        for slice in slices {
            for bound in [slice.createdAfter, slice.createdBefore].compactMap({ $0?.millisecondsSinceEpoch }) {
                times += Self.offsets.map { bound + $0 }
            }
        }
        for semantics in Semantics.allCases {
            let lost = times.filter { time in !slices.contains { Self.contains($0, time, semantics) } }
            #expect(lost.isEmpty, "\(semantics): \(lost.count) instants in no slice, first \(lost.first.map { Timestamp(millisecondsSinceEpoch: $0).iso8601 } ?? "")")
        }
    }

    @Test(arguments: ListOperation.all)
    func userBoundsStayTheOuterBounds(operation: ListOperation) throws {
        var filter = ListFilter(operation)
        filter.createdAfter = Timestamp(iso8601: "2026-11-01T00:00:00Z")
        filter.createdBefore = Timestamp(iso8601: "2026-11-05T00:00:00Z")
        let state = try #require(operation.parameters.first { $0.value == .state })
        try filter.set(state.member, "FAILED")
        let slices = try TimeSlices.split(filter, into: 4, now: Self.now)
        #expect(slices.count == 4)
        #expect(slices.first?.createdAfter == filter.createdAfter)
        #expect(slices.last?.createdBefore == filter.createdBefore)
        #expect(slices.allSatisfy { $0[state.member] == .text("FAILED") })
        // Slices narrow the operation's own creation bounds.
        #expect(slices[1].queryItems.contains { $0.name == "createdAfter" && $0.value == "2026-11-01T23:59:59Z" })
        // Boundaries fall on whole seconds, one second either side of a day boundary here.
        #expect(slices[1].createdAfter == Timestamp(iso8601: "2026-11-01T23:59:59Z"))
        #expect(slices[0].createdBefore == Timestamp(iso8601: "2026-11-02T00:00:01Z"))
    }

    @Test func tooNarrowAWindowIsNotCut() throws {
        var filter = ListFilter()
        filter.createdAfter = Timestamp(iso8601: "2026-11-01T00:00:00Z")
        filter.createdBefore = Timestamp(iso8601: "2026-11-01T00:00:10Z")
        #expect(try TimeSlices.split(filter, into: 8, now: Self.now) == [filter])
    }

    /// The library function is safe on its own, not only behind FetchRequest's checks: a count
    /// of Int.max overflowed `4 * overlap * count` (a trap), and a count of 0 or less was taken
    /// for 1. Each count outside the range is a typed error; the largest the fetcher asks for cuts.
    @Test(arguments: [Int.min, -1, 0, TimeSlices.countRange.upperBound + 1, Int(Int32.max), Int.max])
    func aCountOutsideTheRangeIsAnError(count: Int) {
        #expect(throws: TimeSliceError.count(count)) { try TimeSlices.split(ListFilter(), into: count, now: Self.now) }
    }

    @Test func theLargestCountTheFetcherAsksForCuts() throws {
        let count = TimeSlices.countRange.upperBound
        #expect(count == FetchRequest.parallelRange.upperBound * 4)
        #expect(try TimeSlices.split(ListFilter(), into: count, now: Self.now).count == count)
    }

    /// Bounds at Int64's extremes overflowed `upper - lower` and `upper - lookback` (a trap):
    /// a bound outside the supported times is a typed error, whichever bound it is.
    @Test(arguments: [Int64.min, Int64.min + 1, -62_135_596_800_001, 253_402_300_800_000, Int64.max - 1, Int64.max])
    func aBoundOutsideTheSupportedTimesIsAnError(milliseconds: Int64) {
        let extreme = Timestamp(millisecondsSinceEpoch: milliseconds)
        var after = ListFilter(), before = ListFilter()
        after.createdAfter = extreme
        before.createdBefore = extreme
        for (filter, now) in [(after, Self.now), (before, Self.now), (ListFilter(), extreme)] {
            #expect(throws: TimeSliceError.timeOutOfRange(milliseconds)) { try TimeSlices.split(filter, into: 64, now: now) }
        }
    }

    /// The widest window the supported times allow, cut into the most slices: no overflow, and
    /// the slices still run from the first bound to the last.
    @Test func theWidestSupportedWindowCuts() throws {
        var filter = ListFilter()
        filter.createdAfter = Timestamp.earliestSupported
        filter.createdBefore = Timestamp.latestSupported
        let slices = try TimeSlices.split(filter, into: TimeSlices.countRange.upperBound, now: Timestamp.latestSupported)
        #expect(slices.count == TimeSlices.countRange.upperBound)
        #expect(slices.first?.createdAfter == Timestamp.earliestSupported)
        #expect(slices.last?.createdBefore == Timestamp.latestSupported)
        #expect(try TimeSlices.split(ListFilter(), into: 2, now: Timestamp.earliestSupported).count == 2)
    }
}

extension Int64 {
    var floorModulo1000: Int64 { ((self % 1000) + 1000) % 1000 }
}
