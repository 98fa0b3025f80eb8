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
        abstract: "Fetch backup jobs from AWS Backup and save them as evidence.",
        discussion: """
            Pages through ListBackupJobs in each Region (SigV4, the standard credential chain, \
            retries with backoff) and writes one document in the API's shape, which `check --jobs` \
            and `jobs summary` read: {"BackupAuditFetch": {how it was fetched}, "BackupJobs": [...]}. \
            With --max-items the document also holds the NextToken to resume from, and `check` \
            refuses it as incomplete until the rest is fetched (--starting-token) and given after \
            it: `--jobs part1.json part2.json`.

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
        let result = try await LiveFetch(options: fetch).run(now: now)
        guard let outputPath, outputPath != "-" else {
            try ListingFile.write(result, to: STDOUT_FILENO, name: "standard output")
            return
        }
        try ListingFile.write(result, to: outputPath)
    }
}

/// A fetched listing saved as one document in the API's shape, with how it was fetched.
enum ListingFile {
    /// Streams the document to an open descriptor: one thread writes the chunks another one
    /// serializes.
    static func write(_ result: FetchResult, to descriptor: Int32, name: String) throws {
        let record = try FetchRecordJSON(result.record, listing: result.listing).encoded()
        let writer = FileOutput.Pipeline(descriptor: descriptor, name: name)
        try ListingDocument.write(result.listing.backupJobs, members: [("BackupAuditFetch", record)], nextToken: result.record.resumeToken) {
            (chunk: [UInt8]) throws(FileError) in try writer.write(chunk)
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
