import ArgumentParser
import AWSBackupClient
import BackupJobs
import Foundation
import Reports

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a fetch for a command: resolves settings and credentials from the environment, shows
/// progress on standard error, turns Ctrl-C into a clean cancellation, and every failure into
/// a message and exit status 3 (2 for a request that was wrong before anything was sent).
struct LiveFetch {
    let options: FetchOptions
    /// The kinds to fetch, each through its List operation, into one listing.
    var kinds: [RecordKind] = [.backupJob]

    func run(now: Timestamp) async throws -> FetchResult {
        let transport = AsyncHTTPTransport()
        do {
            let result = try await run(now: now, transport: transport)
            await transport.shutdown()
            return result
        } catch {
            await transport.shutdown()
            throw error
        }
    }

    private func run(now: Timestamp, transport: AsyncHTTPTransport) async throws -> FetchResult {
        var requests = try options.requests(kinds, now: now)
        let variables = ProcessInfo.processInfo.environment
        // The real clock, not `now`: signatures, credential expiry and the record of when the fetch
        // ran must use the time it really is, whatever instant the rules are judged at.
        let clock: @Sendable () -> Timestamp = { TimeArgument.current() }
        let environment = ProviderEnvironment(
            variables: variables, home: variables["HOME"] ?? NSHomeDirectory(), now: clock, transport: transport)
        let settings: ClientSettings
        do {
            settings = try ClientSettings.resolve(
                regions: options.region, allRegions: options.allRegions, profile: options.profile,
                endpoint: options.endpointUrl, maxAttempts: options.maxAttempts, environment: environment)
        } catch {
            throw failure(error)
        }
        do {
            for index in requests.indices {
                requests[index].regions = settings.regions
                try requests[index].validate()
            }
        } catch {
            throw ValidationError(error.description(naming: FetchOptions.flag))
        }
        if let endpoint = settings.endpointOverride, Endpoints.isInsecure(endpoint) {
            Terminal.error("backup-audit: warning: \(endpoint) is plain HTTP to another machine: signed requests and job data travel unencrypted")
        }
        let credentials = RefreshingCredentials(
            CredentialChain.default(
                environment: environment, profile: settings.profile, region: settings.regions.first,
                advice: "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, configure a profile (aws configure) and pass --profile or set AWS_PROFILE, or run where a role is provided (an ECS task or EKS pod role, an EC2 instance profile)."),
            environment: environment)
        let debug: DebugLog? = options.debug ? { @Sendable line in Terminal.error("debug: " + line) } : nil
        let quota = RetryQuota()
        let progress = ProgressLine(enabled: !options.quiet)
        let fetcher = JobFetcher(
            requests: requests,
            service: { region in
                var service = BackupService(
                    region: region, endpoint: settings.endpoint(for: region), credentials: credentials, transport: transport,
                    retry: RetryPolicy(maxAttempts: settings.maxAttempts), quota: quota, now: clock, debug: debug)
                service.attemptTimeout = .seconds(options.requestTimeout)
                service.userAgent = "backup-audit/\(BackupAuditVersion.current)"
                return service
            },
            now: clock, progress: { progress.update($0) })

        let task = Task { try await fetcher.fetch() }
        let interrupt = Interrupt { task.cancel() }
        let outcome = await task.result
        interrupt.stop()
        progress.finish()
        switch outcome {
        case .success(var result):
            for index in result.records.indices { result.records[index].profile = settings.profile }
            if !options.quiet { for record in result.records { Terminal.error(Self.summary(record)) } }
            for record in result.records {
                for region in record.skippedRegions {
                    Terminal.error("backup-audit: warning: skipped \(region.name) for \(record.operation.kind.pluralNoun): \(region.skipped ?? "")")
                }
            }
            return result
        case .failure(let error as FetchError):
            throw failure(error)
        case .failure(let error):
            throw error
        }
    }

    private func failure(_ error: FetchError) -> ExitCode {
        switch error {
        case .cancelled:
            Terminal.error("backup-audit: cancelled; nothing was fetched or written")
            return ExitCode(130)
        case .invalidRequest(let problem):
            Terminal.error("backup-audit: \(problem.description(naming: FetchOptions.flag))")
            return ExitCode(ExitStatus.invalidInput.rawValue)
        default:
            Terminal.error("backup-audit: fetching \(kinds.map(\.pluralNoun).joined(separator: " and ")) failed: \(error)")
            return ExitCode(ExitStatus.sourceFailed.rawValue)
        }
    }

    static func summary(_ record: FetchRecord) -> String {
        let fetched = record.regions.filter { $0.skipped == nil }
        let jobs = fetched.reduce(0) { $0 + $1.jobs }
        let seconds = Double(record.finishedAt.millisecondsSinceEpoch - record.startedAt.millisecondsSinceEpoch) / 1000
        let kind = record.operation.kind
        var text = "fetched \(ReportText.count(jobs, kind.noun, plural: kind.pluralNoun)) in \(ReportText.count(record.pages, "page")) from "
            + (fetched.count == 1 ? fetched[0].name : "\(fetched.count) Regions")
            + " (\(ReportText.count(record.requests, "request")), \(ReportText.count(record.retries, "retry", plural: "retries")))"
            + String(format: " in %.1f s", seconds)
        if let token = record.resumeToken { text += "; stopped at --max-items, resume with --starting-token \(token)" }
        return text
    }
}

/// Progress on standard error: a line redrawn in place on a terminal, a plain line every few
/// seconds otherwise (CI logs), nothing with `--quiet`.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let live = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private let started = ContinuousClock.now
    private var lastDraw = ContinuousClock.now
    private var drawn = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func update(_ progress: FetchProgress) {
        guard enabled else { return }
        lock.withLock {
            let now = ContinuousClock.now
            guard now - lastDraw >= (live ? .milliseconds(100) : .seconds(5)) else { return }
            lastDraw = now
            let text = Self.describe(progress, elapsed: now - started)
            if live {
                drawn = true
                Terminal.errorFragment("\r\u{1B}[K" + text)
            } else {
                Terminal.error("backup-audit: " + text)
            }
        }
    }

    static func describe(_ progress: FetchProgress, elapsed: Duration) -> String {
        let seconds = max(0.001, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        // "fetching: 1,200 backup jobs, 40 copy jobs · ..."; one kind: "fetching: 1,200 copy jobs".
        let kinds = progress.kinds.isEmpty ? "\(ReportText.count(progress.jobs, "job"))"
            : progress.kinds.map { ReportText.count($0.jobs, $0.kind.noun, plural: $0.kind.pluralNoun) }.joined(separator: ", ")
        var parts = ["fetching: \(kinds)", ReportText.count(progress.pages, "page"), "\(Int(Double(progress.jobs) / seconds)) jobs/s"]
        if progress.retries > 0 { parts.append(ReportText.count(progress.retries, "retry", plural: "retries")) }
        if progress.regions.count > 1 {
            let busy = progress.regions.filter { $0.jobs > 0 }
            // A Region's name comes from the profile, the environment or --region, unchecked: on
            // a terminal this line is written raw (redrawn in place), so it is escaped here.
            parts.append(busy.prefix(4).map { "\(TerminalText.escaped($0.name)) \($0.jobs)" }.joined(separator: ", ") + (busy.count > 4 ? ", …" : ""))
        }
        return parts.joined(separator: " · ")
    }

    func finish() {
        lock.withLock {
            if drawn { Terminal.errorFragment("\r\u{1B}[K") }
            drawn = false
        }
    }
}

/// Ctrl-C while fetching: the first cancels the fetch (which then stops cleanly and exits 130);
/// a second one exits at once.
final class Interrupt: @unchecked Sendable {
    private let source: any DispatchSourceSignal
    private var count = 0

    init(_ cancel: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [unowned self] in
            count += 1
            if count > 1 { exit(130) }
            cancel()
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
