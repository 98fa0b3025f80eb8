import AWSBackupClient
import ArgumentParser
import BackupJobs
import BackupServiceEmulator
import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves job listings as the AWS Backup List APIs (backup, copy and restore jobs), for
/// benchmarks and manual tests.
@main
struct AWSBackupEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aws-backup-emulator",
        abstract: "Serve job listings as a local AWS Backup ListBackupJobs, ListCopyJobs and ListRestoreJobs API (SigV4-checked HTTP on loopback).",
        discussion: """
            Prints the base URL on the first line of standard output, then serves until SIGINT or SIGTERM. \
            Requests must be signed with SigV4 for service "backup"; without --access-key the example key pair \
            AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY is accepted. The listings may hold \
            backup, copy and restore jobs, mixed; each operation serves its kind (an empty listing when \
            there is none). Example:

              aws-backup-emulator --jobs jobs.json copies.json restores.json --latency-ms 50
            """)

    @Option(name: .long, parsing: .upToNextOption, help: "Listings of backup, copy and restore jobs: files, directories of pages, or - (every format backup-audit reads).")
    var jobs: [String]

    @Option(help: "The port (0 picks a free one).")
    var port = 0

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .customLong("latency-ms"), help: "Milliseconds added before every response (50 models AWS).")
    var latencyMilliseconds = 0

    @Option(name: .customLong("access-key"), help: "The access key id accepted.")
    var accessKey: String?

    @Option(name: .customLong("secret-key"), help: "Its secret access key.")
    var secretKey: String?

    @Option(name: .customLong("session-token"), help: "A session token requests must carry.")
    var sessionToken: String?

    @Option(help: "The region the credential scope must name (default: any).")
    var region: String?

    @Option(help: "Regions that answer UnrecognizedClientException, as opt-in Regions an account has not enabled do (repeatable).")
    var disabledRegion: [String] = []

    @Option(name: .customLong("fault-rate"), help: "Probability (0...1) that a request gets a random fault.")
    var faultRate: Double = 0

    @Option(help: "Seed of the random faults.")
    var seed: UInt64 = 1

    @Option(help: "The faults drawn, comma-separated: \(EmulatorFault.named.map(\.name).joined(separator: ", ")). Default: every transient one.")
    var faults: String?

    @Option(name: .customLong("page-size"), help: "Jobs per page when a request gives no maxResults (1...1000).")
    var pageSize = 1000

    @Flag(name: .customLong("scientific-timestamps"), help: "Write timestamps as 1.704164645123E9, as Java-based AWS services do.")
    var scientificTimestamps = false

    func validate() throws {
        guard (accessKey == nil) == (secretKey == nil) else { throw ValidationError("--access-key and --secret-key go together.") }
        guard sessionToken == nil || accessKey != nil else { throw ValidationError("--session-token needs --access-key and --secret-key.") }
        guard (0...1).contains(faultRate) else { throw ValidationError("--fault-rate must be between 0 and 1.") }
        guard (1...1000).contains(pageSize) else { throw ValidationError("--page-size must be between 1 and 1000.") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard latencyMilliseconds >= 0 else { throw ValidationError("--latency-ms must not be negative.") }
        _ = try faultKinds()
    }

    func faultKinds() throws -> [EmulatorFault] {
        guard let faults else { return EmulatorFault.transient }
        return try faults.split(separator: ",").map { name in
            guard let entry = EmulatorFault.named.first(where: { $0.name == name.trimmingCharacters(in: " ") }) else {
                throw ValidationError("Unknown fault '\(name)': use \(EmulatorFault.named.map(\.name).joined(separator: ", ")).")
            }
            return entry.fault
        }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let catalogs: [RecordCatalog]
        do {
            catalogs = try RecordCatalog.catalogs(contentsOf: jobs, notation: scientificTimestamps ? .scientific : .decimal)
        } catch {
            printError("aws-backup-emulator: \(error)")
            throw ExitCode(2)
        }
        let credentials = Credentials(
            accessKeyID: accessKey ?? "AKIDEXAMPLE", secretAccessKey: secretKey ?? "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            sessionToken: sessionToken)
        let plan = FaultPlan(
            random: faultRate > 0 ? RandomFaults(probability: faultRate, seed: seed, kinds: try faultKinds()) : nil,
            latency: .milliseconds(latencyMilliseconds))
        var configuration = EmulatorConfiguration(
            catalog: RecordCatalog(empty: .backupJob), credentials: [credentials], region: region, faults: plan, host: host, port: port, defaultPageSize: pageSize)
        for catalog in catalogs { configuration.serve(catalog) }
        configuration.disabledRegions = Set(disabledRegion)
        let emulator = try await BackupEmulator.start(configuration)

        // Unbuffered, so a script reading the first line sees it at once.
        writeLine(emulator.baseURL, to: STDOUT_FILENO)
        let loadMilliseconds = (ContinuousClock.now - started).components.seconds * 1000
            + (ContinuousClock.now - started).components.attoseconds / 1_000_000_000_000_000
        let bytes = catalogs.reduce(0) { $0 + $1.jsonByteCount }
        let served = emulator.catalogs.map { "\($0.count) \($0.kind.pluralNoun) on GET \(emulator.baseURL)\($0.operation.path)" }
        printError("""
            aws-backup-emulator: \(bytes >= 1_000_000 ? "\(bytes / 1_000_000) MB" : "\(bytes / 1000) kB") of JSON ready in \(loadMilliseconds) ms; \
            serving \(served.joined(separator: ", ")) for key \(Redaction.accessKey(credentials.accessKeyID))\
            \(accessKey == nil ? " (AKIDEXAMPLE, the AWS example key)" : "")\
            \(latencyMilliseconds > 0 ? ", \(latencyMilliseconds) ms per response" : "")\
            \(faultRate > 0 ? ", faults with probability \(faultRate) (seed \(seed))" : "")
            """)

        await waitForTermination()
        await emulator.stop()
        let s = emulator.statistics
        printError("aws-backup-emulator: stopped; \(s.requests) requests, \(s.pagesServed) pages, \(s.jobsServed) jobs, "
            + "\(s.faultsInjected) faults, \(s.signatureFailures) signature failures, \(s.invalidRequests) invalid requests, \(s.connections) connections")
    }

    /// Returns on the first SIGINT or SIGTERM.
    private func waitForTermination() async {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let queue = DispatchQueue(label: "aws-backup-emulator.signals")
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
        for await _ in stream { break }
        sources.forEach { $0.cancel() }
    }
}

private func printError(_ message: String) {
    writeLine(message, to: STDERR_FILENO)
}

private func writeLine(_ text: String, to descriptor: Int32) {
    var line = text + "\n"
    line.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in blank: Character) -> Substring {
        var text = self
        while text.first == blank { text = text.dropFirst() }
        while text.last == blank { text = text.dropLast() }
        return text
    }
}
