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

    /// `count` filters, each the given filter narrowed to one slice.
    public static func split(_ filter: ListFilter, into count: Int, now: Timestamp) -> [ListFilter] {
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
