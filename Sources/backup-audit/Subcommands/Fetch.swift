import ArgumentParser
import AWSBackupClient
import BackupJobs
import Foundation

struct Fetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch backup jobs from AWS Backup and save them as evidence.",
        discussion: """
            Pages through ListBackupJobs in each Region (SigV4, the standard credential chain, \
            retries with backoff) and writes one document in the API's shape, which `check --jobs` \
            and `jobs summary` read: {"BackupAuditFetch": {how it was fetched}, "BackupJobs": [...]}. \
            With --max-items the document also holds the NextToken to resume from, and `check` \
            refuses it as incomplete until the rest is fetched.

            The file is written only when the fetch succeeded, through a temporary file renamed \
            into place: a failed or interrupted fetch never leaves a listing that looks complete.

            Needs the permission backup:ListBackupJobs (the managed policy AWSBackupAuditAccess \
            has it).

            EXIT STATUS:
              0    fetched and written
              2    invalid flags or configuration; nothing was sent
              3    the fetch failed (credentials, network, AWS errors after retries)
              130  interrupted (Ctrl-C)
            """
    )

    @OptionGroup var fetch: FetchOptions

    @Option(name: .customLong("out"), help: ArgumentHelp("Write the listing here (- or none: standard output).", valueName: "file"))
    var outputPath: String?

    func run() async throws {
        let now = TimeArgument.current()
        let result = try await LiveFetch(options: fetch).run(now: now)
        guard let outputPath, outputPath != "-" else {
            Terminal.write(String(decoding: try ListingFile.document(result), as: UTF8.self))
            return
        }
        try ListingFile.write(result, to: outputPath)
    }
}

/// A fetched listing saved as one document in the API's shape, with how it was fetched.
enum ListingFile {
    static func document(_ result: FetchResult) throws -> [UInt8] {
        let record = try FetchRecordJSON(result.record, listing: result.listing).encoded()
        return ListingDocument.bytes(result.listing.table, members: [("BackupAuditFetch", record)], nextToken: result.record.resumeToken)
    }

    /// Writes through a temporary file renamed into place: never half a listing.
    static func write(_ result: FetchResult, to path: String) throws {
        do {
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(try document(result)).write(to: url, options: .atomic)
        } catch {
            Terminal.error("backup-audit: cannot write the listing to \(path): \(error.localizedDescription)")
            throw ExitCode(ExitStatus.sourceFailed.rawValue)
        }
    }
}
