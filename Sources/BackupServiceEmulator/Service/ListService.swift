import AWSBackupClient
import BackupJobs
import NIOCore
import Synchronization

/// What the HTTP layer does with a request.
struct ServiceOutcome {
    enum Action {
        case respond(status: Int, headers: [(name: String, value: String)], body: ByteBuffer)
        /// Close the connection without a response.
        case drop
        /// Send the head and the first `bytes` of the body, then close.
        case cut(status: Int, headers: [(name: String, value: String)], body: ByteBuffer, bytes: Int)
    }

    var action: Action
    var delay: Duration
}

/// The List operations (ListBackupJobs, ListCopyJobs, ListRestoreJobs), independent of the
/// network: authentication, faults, routing, query validation, filtering and paging, the same for
/// every operation. Thread-safe: the HTTP handlers of every connection call `handle`
/// concurrently, tests change faults and read statistics while requests run.
final class ListService: Sendable {
    /// One per kind, in `RecordKind` order; a kind with no jobs has an empty catalog.
    let catalogs: [RecordCatalog]
    private let tokens: PageTokenCodec
    private let defaultPageSize: Int
    private let endsWithEmptyPage: Bool
    private let state: Mutex<State>

    struct State {
        var verifier: SignatureVerifier
        var clock: EmulatorClock
        var faults: FaultPlan
        var random: SplitMix64?
        var statistics = EmulatorStatistics()
        var requestNumber = 0
    }

    init(_ configuration: EmulatorConfiguration) {
        catalogs = RecordKind.jobKinds.map { configuration.catalogs[$0] ?? RecordCatalog(empty: $0) }
        let secret = configuration.tokenSecret ?? (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))
        tokens = PageTokenCodec(secret: secret)
        defaultPageSize = min(max(configuration.defaultPageSize, 1), 1000)
        endsWithEmptyPage = configuration.endsWithEmptyPage
        let skew = configuration.maximumClockSkew.components
        let verifier = SignatureVerifier(
            credentials: Dictionary(configuration.credentials.map { ($0.accessKeyID, $0) }, uniquingKeysWith: { _, last in last }),
            region: configuration.region,
            disabledRegions: configuration.disabledRegions,
            maximumSkewMilliseconds: skew.seconds * 1000 + skew.attoseconds / 1_000_000_000_000_000)
        state = Mutex(State(
            verifier: verifier, clock: configuration.clock, faults: configuration.faults,
            random: configuration.faults.random.map { SplitMix64(seed: $0.seed) }))
    }

    // MARK: Live settings

    var faults: FaultPlan {
        state.withLock { $0.faults }
    }

    /// Replaces the plan; a new random seed (or a new `random`) restarts the random sequence.
    func setFaults(_ plan: FaultPlan) {
        state.withLock { state in
            if plan.random != state.faults.random { state.random = plan.random.map { SplitMix64(seed: $0.seed) } }
            state.faults = plan
        }
    }

    func updateFaults(_ change: (inout FaultPlan) -> Void) {
        var plan = faults
        change(&plan)
        setFaults(plan)
    }

    /// Scripts `fault` for the next `count` requests after those received so far.
    func injectNext(_ fault: EmulatorFault, count: Int) {
        state.withLock { state in
            for k in 1...max(count, 1) { state.faults.scripted[state.requestNumber + k] = fault }
        }
    }

    var requestsReceived: Int {
        state.withLock { $0.requestNumber }
    }

    func setClock(_ clock: EmulatorClock) {
        state.withLock { $0.clock = clock }
    }

    func setCredentials(_ credentials: [Credentials]) {
        state.withLock { $0.verifier.credentials = Dictionary(credentials.map { ($0.accessKeyID, $0) }, uniquingKeysWith: { _, last in last }) }
    }

    var statistics: EmulatorStatistics {
        state.withLock { $0.statistics }
    }

    func resetStatistics() {
        state.withLock { state in
            let connections = state.statistics.connections
            state.statistics = EmulatorStatistics()
            state.statistics.connections = connections
        }
    }

    func connectionAccepted() {
        state.withLock { $0.statistics.connections += 1 }
    }

    // MARK: Handling one request

    func handle(_ request: ReceivedRequest, allocator: ByteBufferAllocator) -> ServiceOutcome {
        let (number, verifier, clock, latency) = state.withLock { state in
            state.requestNumber += 1
            state.statistics.requests += 1
            return (state.requestNumber, state.verifier, state.clock, state.faults.latency)
        }
        let now = clock.now()  // outside the lock: the clock is the caller's code
        let requestID = Self.requestID(number)
        if case .failure(let error) = verifier.verify(request, now: now) {
            return respond(error, requestID: requestID, allocator: allocator, latency: latency)
        }

        // The operation asked for (an unknown path is served a 404 later, and a fault's access
        // denied names ListBackupJobs: AWS checks permissions before routing).
        let routed = catalogs.first { $0.operation.path == request.path }?.operation
        let operation = routed?.name ?? ListOperation.listBackupJobs.name

        // Faults, after authentication.
        let fault = state.withLock { state -> EmulatorFault? in
            state.statistics.requestsByOperation[routed?.name ?? "\(request.method) \(request.path)", default: 0] += 1
            let plan = state.faults
            let denied = plan.accessDenied || plan.deniedOperations.contains(operation)
            var fault: EmulatorFault? = denied ? .accessDenied : plan.scripted[number]
            if fault == nil, let random = plan.random, !random.kinds.isEmpty, var generator = state.random {
                let draw = Double(generator.next() >> 11) * 0x1p-53
                let pick = Int(generator.next() % UInt64(random.kinds.count))
                state.random = generator
                if draw < random.probability { fault = random.kinds[pick] }
            }
            if fault != nil { state.statistics.faultsInjected += 1 }
            return fault
        }
        var delay = latency
        if let fault {
            if let error = fault.errorResponse(operation: operation) {
                return respond(error, requestID: requestID, allocator: allocator, latency: delay)
            }
            switch fault {
            case .dropConnection:
                return ServiceOutcome(action: .drop, delay: .zero)
            case .dropMidBody:
                let outcome = serve(request, requestID: requestID, allocator: allocator, latency: delay)
                guard case .respond(let status, let headers, let body) = outcome.action else { return outcome }
                return ServiceOutcome(action: .cut(status: status, headers: headers, body: body, bytes: body.readableBytes / 2), delay: outcome.delay)
            case .delay(let milliseconds):
                delay += .milliseconds(milliseconds)
            case .repeatToken:
                return serve(request, requestID: requestID, allocator: allocator, latency: delay, repeatsToken: true)
            default:
                break
            }
        }
        return serve(request, requestID: requestID, allocator: allocator, latency: delay)
    }

    /// Routes, validates and serves one page.
    private func serve(
        _ request: ReceivedRequest, requestID: String, allocator: ByteBufferAllocator, latency: Duration, repeatsToken: Bool = false
    ) -> ServiceOutcome {
        guard request.method == "GET", let catalog = catalogs.first(where: { $0.operation.path == request.path }) else {
            let operations = catalogs.map { "\($0.operation.name) is GET \($0.operation.path)" }.joined(separator: ", ")
            return respond(EmulatedErrorResponse(status: 404, type: "UnknownOperationException",
                                        message: "No operation matches \(request.method) \(request.path); \(operations)."),
                           requestID: requestID, allocator: allocator, latency: latency)
        }
        let query: ListQuery
        do {
            query = try ListQuery(catalog.operation, parameters: request.query)
        } catch {
            return respond(.invalidParameter(error.message), requestID: requestID, allocator: allocator, latency: latency)
        }
        let filter = CompiledFilter(query, catalog: catalog)
        let digest = tokens.digest(ofFilters: query.filterFingerprint)
        var position = 0
        if let token = query.nextToken {
            do {
                position = try tokens.open(token, filters: digest, catalogCount: catalog.count)
            } catch {
                let reason = switch error {
                case .otherFilters: "it was issued for a request with other filters"
                case .outOfRange: "it points past the end of the listing"
                case .malformed, .forged: "it is not a token this service issued, or it was changed"
                }
                return respond(.invalidParameter("Invalid NextToken: \(reason)."), requestID: requestID, allocator: allocator, latency: latency)
            }
        }
        let page = PageWriter.page(
            catalog: catalog, filter: filter, from: position, limit: query.maxResults ?? defaultPageSize,
            endsWithEmptyPage: endsWithEmptyPage,
            token: { next in repeatsToken ? query.nextToken ?? self.tokens.issue(position: next, filters: digest) : self.tokens.issue(position: next, filters: digest) },
            allocator: allocator)
        state.withLock { state in
            state.statistics.pagesServed += 1
            state.statistics.jobsServed += page.jobs
        }
        return ServiceOutcome(
            action: .respond(status: 200, headers: [("Content-Type", "application/json"), ("x-amzn-RequestId", requestID)], body: page.body),
            delay: latency)
    }

    private func respond(_ error: EmulatedErrorResponse, requestID: String, allocator: ByteBufferAllocator, latency: Duration) -> ServiceOutcome {
        state.withLock { state in
            state.statistics.errorsByType[error.type, default: 0] += 1
            if error.isAuthenticationFailure { state.statistics.signatureFailures += 1 }
            if error.type == "InvalidParameterValueException" || error.status == 404 { state.statistics.invalidRequests += 1 }
        }
        let body = error.body
        var buffer = allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        let headers: [(name: String, value: String)] =
            [("Content-Type", "application/json"), ("x-amzn-RequestId", requestID), ("x-amzn-ErrorType", error.type)] + error.headers
        return ServiceOutcome(action: .respond(status: error.status, headers: headers, body: buffer), delay: latency)
    }

    /// A UUID-shaped id that differs per request (`x-amzn-RequestId`).
    static func requestID(_ number: Int) -> String {
        var generator = SplitMix64(seed: UInt64(number))
        let a = generator.next(), b = generator.next()
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, digits - text.count)) + text.suffix(digits)
        }
        return "\(hex(a >> 32, 8))-\(hex(a >> 16 & 0xFFFF, 4))-4\(hex(a & 0xFFF, 3))-\(hex(0x8000 | (b >> 48 & 0x3FFF), 4))-\(hex(b & 0xFFFF_FFFF_FFFF, 12))"
    }
}

/// Writes one page body: `{"BackupJobs":[…],"NextToken":"…"}` (the catalog kind's member).
enum PageWriter {
    static let tokenPrefix = Array(#"],"NextToken":""#.utf8)

    /// `{"CopyJobs":[`
    static func prefix(_ catalog: RecordCatalog) -> [UInt8] {
        Array("{\"\(catalog.kind.member)\":[".utf8)
    }

    static func page(
        catalog: RecordCatalog, filter: CompiledFilter, from start: Int, limit: Int, endsWithEmptyPage: Bool,
        token: (Int) -> String, allocator: ByteBufferAllocator
    ) -> (body: ByteBuffer, jobs: Int) {
        var next: Int?  // where the next page starts, when there is one
        var buffer: ByteBuffer
        var jobs = 0
        if filter.isEmpty {
            // One contiguous run of the catalog: one copy.
            let end = min(start + limit, catalog.count)
            jobs = end - start
            let bytes = jobs > 0 ? catalog.starts[end] - 1 - catalog.starts[start] : 0
            buffer = allocator.buffer(capacity: bytes + 128)
            buffer.writeBytes(prefix(catalog))
            if jobs > 0 {
                catalog.json.withUnsafeBufferPointer { json in
                    _ = buffer.writeBytes(UnsafeBufferPointer(rebasing: json[catalog.starts[start] ..< catalog.starts[end] - 1]))
                }
            }
            if end < catalog.count { next = end }
            if next == nil, endsWithEmptyPage, jobs > 0 { next = catalog.count }
        } else {
            buffer = allocator.buffer(capacity: 64 * 1024)
            buffer.writeBytes(prefix(catalog))
            var index = start
            catalog.json.withUnsafeBufferPointer { json in
                while index < catalog.count, jobs < limit {
                    if filter.matches(index, in: catalog) {
                        if jobs > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                        buffer.writeBytes(UnsafeBufferPointer(rebasing: json[catalog.starts[index] ..< catalog.starts[index + 1] - 1]))
                        jobs += 1
                    }
                    index += 1
                }
            }
            // Look ahead for the next match, so the last page carries no token.
            while index < catalog.count, !filter.matches(index, in: catalog) { index += 1 }
            if index < catalog.count { next = index }
            if next == nil, endsWithEmptyPage, jobs > 0 { next = catalog.count }
        }
        if let next {
            buffer.writeBytes(tokenPrefix)
            buffer.writeString(token(next))  // base64: nothing to escape
            buffer.writeBytes(Array(#""}"#.utf8))
        } else {
            buffer.writeBytes(Array("]}".utf8))
        }
        return (buffer, jobs)
    }
}
