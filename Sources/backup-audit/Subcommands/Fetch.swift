import ArgumentParser
import AWSBackupClient
import BackupJobs
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Fetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch backup, copy or restore jobs from AWS Backup and save them as evidence.",
        discussion: """
            Pages through ListBackupJobs (--kind copy: ListCopyJobs, --kind restore: \
            ListRestoreJobs) in each Region (SigV4, the standard credential chain, retries with \
            backoff) and writes one document in the API's shape, which `check --jobs` and `jobs \
            summary` read: {"BackupAuditFetch": {how it was fetched}, "BackupJobs": [...]} \
            ("CopyJobs", "RestoreJobs"). The filters are the AWS CLI's for that operation \
            (--by-destination-vault-arn for copies, --by-status for restores, ...); a filter of \
            another operation is a usage error. \
            With --max-items the document also holds the NextToken to resume from, and `check` \
            refuses it as incomplete until the rest is fetched (--starting-token) and given after \
            it: `--jobs part1.json part2.json`.

            The file is written only when the fetch succeeded, through a temporary file renamed \
            into place: a failed or interrupted fetch never leaves a listing that looks complete.

            Needs the permission of the operation: backup:ListBackupJobs, backup:ListCopyJobs or \
            backup:ListRestoreJobs (the managed policy AWSBackupAuditAccess has them).

            EXIT STATUS:
              0    fetched and written
              2    invalid flags or configuration; nothing was sent
              3    the fetch failed (credentials, network, AWS errors after retries)
              130  interrupted (Ctrl-C)
            """
    )

    @Option(help: ArgumentHelp("Which jobs to fetch: backup (ListBackupJobs), copy (ListCopyJobs) or restore (ListRestoreJobs).", valueName: "kind"))
    var kind: FetchKind = .backup

    @OptionGroup var fetch: FetchOptions

    @Option(name: .customLong("out"), help: ArgumentHelp("Write the listing here (- or none: standard output).", valueName: "file"))
    var outputPath: String?

    @OptionGroup var clock: ClockOptions

    func run() async throws {
        let now = try clock.instant()
        if let outputPath {
            // Before any request: a listing that could not be saved is not worth fetching.
            do {
                _ = try OutputPlan.check([("listing", outputPath)])
            } catch {
                Terminal.error("backup-audit: cannot write \(error); nothing was fetched")
                throw ExitCode(ExitStatus.invalidInput.rawValue)
            }
        }
        let result = try await LiveFetch(options: fetch, kinds: [kind.kind]).run(now: now)
        guard let outputPath, outputPath != "-" else {
            try ListingFile.write(result, to: STDOUT_FILENO, name: "standard output")
            return
        }
        try ListingFile.write(result, to: outputPath)
    }
}

/// A fetched listing saved in the API's shape, with how it was fetched: one document per kind
/// fetched (one for `fetch`; backup, copy and restore jobs one after another for `check --fetch
/// --save-jobs`), each with its own fetch record. Readers of listings take documents of several
/// kinds in one file.
enum ListingFile {
    /// Streams the documents to an open descriptor: one thread writes the chunks another one
    /// serializes.
    static func write(_ result: FetchResult, to descriptor: Int32, name: String) throws {
        let writer = FileOutput.Pipeline(descriptor: descriptor, name: name)
        for record in result.records {
            let kind = record.operation.kind
            let table = result.listing[kind] ?? RecordTable(kind: kind)
            let json = try FetchRecordJSON(record, listing: result.listing).encoded()
            try ListingDocument.write(table, members: [("BackupAuditFetch", json)], nextToken: record.resumeToken) {
                (chunk: [UInt8]) throws(FileError) in try writer.write(chunk)
            }
        }
        try writer.finish()
    }

    /// Writes through a temporary file renamed into place: never half a listing.
    static func write(_ result: FetchResult, to path: String) throws {
        do {
            try FileOutput.replace(path) { descriptor in try write(result, to: descriptor, name: path) }
        } catch {
            Terminal.error("backup-audit: cannot write the listing to \(path): \(error)")
            throw ExitCode(ExitStatus.sourceFailed.rawValue)
        }
    }
}
