import AWSBackupClient
import BackupJobs
import Foundation

/// How a listing was fetched, as the `BackupAuditFetch` member of a saved listing: the evidence
/// of when, from where, with which filters, and what was left out.
struct FetchRecordJSON: Encodable {
    let tool: String
    /// The List operation called, and the kind of its records (`copyJob`).
    let operation: String
    let kind: String
    let startedAt: String
    let finishedAt: String
    let filters: [String: String]
    let pageSize: Int?
    let maxItems: Int?
    let startingToken: String?
    let parallel: Int
    let resumeToken: String?
    let profile: String?
    /// The accounts the records of this kind belong to.
    let accounts: [String]
    let regions: [Region]

    struct Region: Encodable {
        let region: String
        let endpoint: String
        let slices: Int
        let requests: Int
        let retries: Int
        let pages: Int
        let jobs: Int
        let pageDigest: String?
        let skipped: String?
    }

    init(_ record: FetchRecord, listing: Listing) {
        let inputs = listing.inputs
        tool = "backup-audit \(BackupAuditVersion.current)"
        operation = record.operation.name
        kind = record.operation.kind.rawValue
        startedAt = record.startedAt.iso8601
        finishedAt = record.finishedAt.iso8601
        filters = Dictionary(record.filter.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        pageSize = record.pageSize
        maxItems = record.maxItems
        startingToken = record.startingToken
        parallel = record.parallel
        resumeToken = record.resumeToken
        profile = record.profile
        let table = listing[record.operation.kind] ?? RecordTable(kind: record.operation.kind)
        // Every kind of job has an AccountId (ListOperationTests: it is ByAccountId's field).
        let account = table.schema.index(path: "AccountId")
        accounts = account.map { field in Set((0..<table.count).compactMap { table.string(field, at: $0) }).sorted() } ?? []
        regions = record.regions.map { region in
            Region(
                region: region.name, endpoint: region.endpoint, slices: region.slices, requests: region.requests,
                retries: region.retries, pages: region.pages, jobs: region.jobs,
                pageDigest: inputs.first { $0.path == region.input }?.files.first?.sha256, skipped: region.skipped)
        }
    }

    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
