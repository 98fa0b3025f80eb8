public import BackupJobs

/// Cuts the creation-date window of a fetch into slices fetched side by side.
///
/// The first and last slices are open-ended (or end at the user's own bounds), so the slices
/// together cover every job the unsliced request would return, whatever the window. Inner
/// boundaries fall on whole seconds and neighbouring slices overlap by one second on each side:
/// a job at a boundary is fetched twice rather than never, whether the service treats the bounds
/// as inclusive or exclusive and whatever precision it compares with. Duplicates merge by the kind's id (BackupJobId, CopyJobId, RestoreJobId).
public enum TimeSlices {
    /// How far back inner boundaries reach when the filter has no lower bound: AWS Backup lists
    /// jobs of about the last 30 days (backup, copy and restore jobs alike).
    public static let defaultLookback: Int64 = 30 * DurationUnit.day.milliseconds
    static let overlap: Int64 = 1000

    /// How many slices a window may be cut into: as many as the fetcher ever asks for (64
    /// requests in flight, 4 slices each, for one Region).
    public static let countRange = 1...(FetchRequest.parallelRange.upperBound * JobFetcher.slicesPerRequest)

    /// `count` filters, each the given filter narrowed to one slice. Throws for a count outside
    /// `countRange`, or a bound (the filter's, or `now`) outside the supported times (years
    /// 0001–9999): within them no step below can overflow (spans under 2^49 ms, times 256).
    public static func split(_ filter: ListFilter, into count: Int, now: Timestamp) throws(TimeSliceError) -> [ListFilter] {
        guard countRange.contains(count) else { throw .count(count) }
        let supported = Timestamp.earliestSupported...Timestamp.latestSupported
        for bound in [filter.createdAfter, filter.createdBefore, now].compactMap(\.self) where !supported.contains(bound) {
            throw .timeOutOfRange(bound.millisecondsSinceEpoch)
        }
        guard count > 1 else { return [filter] }
        let upper = filter.createdBefore?.millisecondsSinceEpoch ?? now.millisecondsSinceEpoch
        let lower = filter.createdAfter?.millisecondsSinceEpoch ?? (upper - defaultLookback)
        let span = upper - lower
        // Too narrow a window to cut: slices must be longer than their overlaps.
        guard span > 4 * overlap * Int64(count) else { return [filter] }
        let boundaries = (1..<count).map { index in
            let exact = lower + span * Int64(index) / Int64(count)
            return exact - exact.floorModulo(1000)
        }
        return (0..<count).map { index in
            var slice = filter
            if index > 0 { slice.createdAfter = Timestamp(millisecondsSinceEpoch: boundaries[index - 1] - overlap) }
            if index < count - 1 { slice.createdBefore = Timestamp(millisecondsSinceEpoch: boundaries[index] + overlap) }
            return slice
        }
    }
}

/// Why a window could not be cut into time slices.
public enum TimeSliceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A slice count outside `TimeSlices.countRange`.
    case count(Int)
    /// A bound of the window (milliseconds since the epoch) outside the supported times.
    case timeOutOfRange(Int64)

    public var description: String {
        switch self {
        case .count(let count):
            "cannot cut a fetch into \(count) time slices: \(TimeSlices.countRange.lowerBound) to \(TimeSlices.countRange.upperBound)"
        case .timeOutOfRange(let milliseconds):
            "cannot cut a fetch into time slices at \(milliseconds) ms since the epoch: times range over the years 0001 to 9999"
        }
    }
}
