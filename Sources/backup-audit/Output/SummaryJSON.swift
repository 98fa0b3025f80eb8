import BackupJobs
import Foundation

/// `jobs summary --format json`: a stable, versioned document for scripts.
struct SummaryJSON: Encodable {
    let schemaVersion = 1
    let tool = Tool()
    let inputs: [Input]
    /// Every part of the listing is there; otherwise `gaps` says where parts are missing.
    let complete: Bool
    let gaps: [ListingGap]
    let jobs: Int
    let duplicatesDropped: Int
    /// Jobs read in versions that contradict each other.
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
    }

    init(summary: JobSummary, listing: JobListing) {
        let inputs = listing.inputs
        self.inputs = inputs.map {
            Input(
                path: $0.path, files: $0.files.map { File(path: $0.path, sha256: $0.sha256, bytes: $0.storedBytes, jobsRead: $0.jobsRead) }, skippedFiles: $0.skippedFiles, format: $0.formatDescription,
                bytes: $0.bytes, storedBytes: $0.storedBytes, documents: $0.listingDocuments + $0.arrays,
                jobsRead: $0.jobsRead)
        }
        complete = listing.completeness.isComplete
        gaps = listing.completeness.gaps
        conflictCount = listing.conflicts.count
        conflicts = listing.conflicts
        jobs = summary.jobs
        duplicatesDropped = summary.duplicatesDropped
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

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
