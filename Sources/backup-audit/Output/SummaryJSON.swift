import BackupJobs
import Foundation

/// `jobs summary --format json`: a stable, versioned document for scripts. The counts are by kind
/// of job (`kinds.backupJob`, `kinds.copyJob`, `kinds.restoreJob`); still version 1, as the
/// document has not been released in another form (docs/reports.md says what raises a version).
struct SummaryJSON: Encodable {
    let schemaVersion = 1
    let tool = Tool()
    let inputs: [Input]
    /// Every part of the listing of every kind is there; otherwise `gaps` says where parts are missing.
    let complete: Bool
    let gaps: [ListingGap]
    /// Jobs of every kind, after duplicates were merged.
    let jobs: Int
    /// Jobs read in versions that contradict each other.
    let conflictCount: Int
    let conflicts: [DuplicateConflict]
    /// One summary per kind the inputs held (backup jobs when they held none).
    let kinds: [String: Kind]

    struct Tool: Encodable {
        let name = "backup-audit"
        let version = BackupAuditVersion.current
    }

    struct CreationRange: Encodable {
        let earliest: String
        let latest: String
    }

    struct File: Encodable {
        let path: String
        let sha256: String
        let bytes: Int
        let jobsRead: Int
    }

    struct Input: Encodable {
        let path: String
        let files: [File]
        let skippedFiles: [String]
        let format: String
        let bytes: Int
        let storedBytes: Int
        let documents: Int
        let jobsRead: Int
        /// Jobs read by kind.
        let kinds: [String: Int]
    }

    struct Kind: Encodable {
        /// The listing member (`CopyJobs`).
        let member: String
        let complete: Bool
        let gaps: [ListingGap]
        let jobs: Int
        let duplicatesDropped: Int
        let conflictCount: Int
        let conflicts: [DuplicateConflict]
        let creationDate: CreationRange?
        let jobsWithoutCreationDate: Int
        let distinctResources: Int
        let inFlight: Int
        let finished: Int
        let otherStates: Int
        let byState: [String: Int]
        let byResourceType: [String: Int]
        let byAccount: [String: Int]
        let byRegion: [String: Int]
        let byVault: [String: Int]

        init(_ summary: RecordSummary, listing: Listing) {
            let completeness = listing.completeness(of: summary.kind)
            let conflicts = listing.conflicts(of: summary.kind)
            member = summary.kind.member
            complete = completeness.isComplete
            gaps = completeness.gaps
            jobs = summary.jobs
            duplicatesDropped = summary.duplicatesDropped
            conflictCount = conflicts.count
            self.conflicts = conflicts
            creationDate = summary.earliestCreation.flatMap { earliest in
                summary.latestCreation.map { CreationRange(earliest: earliest.iso8601, latest: $0.iso8601) }
            }
            jobsWithoutCreationDate = summary.jobsWithoutCreationDate
            distinctResources = summary.distinctResources
            inFlight = summary.inFlight
            finished = summary.finished
            otherStates = summary.otherStates
            byState = summary.byState
            byResourceType = summary.byResourceType
            byAccount = summary.byAccount
            byRegion = summary.byRegion
            byVault = summary.byVault
        }
    }

    init(summaries: [RecordSummary], listing: Listing) {
        inputs = listing.inputs.map {
            Input(
                path: $0.path, files: $0.files.map { File(path: $0.path, sha256: $0.sha256, bytes: $0.storedBytes, jobsRead: $0.jobsRead) },
                skippedFiles: $0.skippedFiles, format: $0.formatDescription, bytes: $0.bytes, storedBytes: $0.storedBytes,
                documents: $0.listingDocuments + $0.arrays, jobsRead: $0.jobsRead,
                kinds: Dictionary(uniqueKeysWithValues: $0.jobsReadByKind.map { ($0.key.rawValue, $0.value) }))
        }
        complete = listing.completeness.isComplete
        gaps = listing.completeness.gaps
        jobs = listing.jobCount
        conflictCount = listing.conflicts.count
        conflicts = listing.conflicts
        kinds = Dictionary(uniqueKeysWithValues: summaries.map { ($0.kind.rawValue, Kind($0, listing: listing)) })
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
