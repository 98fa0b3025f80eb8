public import BackupJobs

/// Why jobs could not be fetched. The command line turns every case into exit status 3: a
/// fetch that failed is never a listing that could read as compliant.
public enum FetchError: Error, Sendable, CustomStringConvertible {
    case service(AWSErrorResponse, region: String, attempts: Int)
    case transport(TransportError, region: String, attempts: Int)
    case credentials(CredentialError)
    case invalidPage(ListingInputError, region: String, operation: String)
    /// The service returned a page token it had already returned: paging would never end. Names
    /// the operation (`ListCopyJobs`), as a fetch may page through several.
    case repeatedToken(region: String, operation: String)
    case invalidRequest(FilterError)
    case cancelled

    public var description: String {
        switch self {
        case .service(let error, let region, let attempts):
            "\(region): \(error.explanation)\(attempts > 1 ? " (after \(attempts) attempts)" : "")"
        case .transport(let error, let region, let attempts):
            "\(region): \(error.message)\(attempts > 1 ? " (after \(attempts) attempts)" : "")"
        case .credentials(let error):
            "no usable AWS credentials: \(error)"
        case .invalidPage(let error, let region, let operation):
            "\(region): a page of the response is not a \(operation) listing: \(error)"
        case .repeatedToken(let region, let operation):
            "\(region): \(operation) returned the same page token twice; stopping instead of looping"
        case .invalidRequest(let problem):
            problem.description
        case .cancelled:
            "cancelled"
        }
    }
}

/// What the client writes about its requests (`--debug`): never a secret.
public typealias DebugLog = @Sendable (String) -> Void

/// The AWS Backup API of one Region: signs each request, sends it, retries what may succeed.
public struct BackupService: Sendable {
    public let region: String
    public let endpoint: String
    let credentials: RefreshingCredentials
    let transport: any HTTPTransport
    let retry: RetryPolicy
    let quota: RetryQuota
    let now: @Sendable () -> Timestamp
    let debug: DebugLog?
    /// Time allowed for one attempt.
    public var attemptTimeout: Duration = .seconds(60)
    /// Sent with every request (`backup-audit/0.1.0`); the command line sets its version.
    public var userAgent = "backup-audit"

    public init(
        region: String, endpoint: String, credentials: RefreshingCredentials, transport: any HTTPTransport,
        retry: RetryPolicy = RetryPolicy(), quota: RetryQuota = RetryQuota(), now: @escaping @Sendable () -> Timestamp, debug: DebugLog? = nil
    ) {
        self.region = region
        self.endpoint = endpoint
        self.credentials = credentials
        self.transport = transport
        self.retry = retry
        self.quota = quota
        self.now = now
        self.debug = debug
    }

    /// A successful response and how many attempts it took.
    public struct Response: Sendable {
        public var body: [UInt8]
        public var attempts: Int
    }

    /// One page of a List operation (the filter's): the response body as sent.
    public func list(_ filter: ListFilter, nextToken: String?, maxResults: Int?) async throws(FetchError) -> Response {
        try await send(Self.listRequest(filter, nextToken: nextToken, maxResults: maxResults), operation: filter.operation.name)
    }

    /// The unsigned request for one page, query parameters in the model's member order (the
    /// order does not matter to the signature: the canonical query is sorted).
    public static func listRequest(_ filter: ListFilter, nextToken: String?, maxResults: Int?) -> SignableRequest {
        var query = filter.queryItems
        if let nextToken { query.append(("nextToken", nextToken)) }
        if let maxResults { query.append(("maxResults", String(maxResults))) }
        return SignableRequest(method: "GET", path: filter.operation.path, query: query)
    }

    /// The request as sent: signed for this endpoint and Region with `keys` at `time`.
    public func signed(_ request: SignableRequest, with keys: Credentials, at time: Timestamp) throws(FetchError) -> HTTPRequest {
        guard let parsed = Endpoints.parse(endpoint) else { throw .invalidRequest("the endpoint '\(endpoint)' is not a URL") }
        let defaultPort = parsed.scheme == "https" ? 443 : 80
        let host = parsed.port.map { $0 == defaultPort ? parsed.host : "\(parsed.host):\($0)" } ?? parsed.host
        var unsigned = request
        unsigned.headers = [("Host", host)] + request.headers
        let signed = SigV4(credentials: keys, region: region, service: "backup").sign(unsigned, at: time)
        let query = signed.encodedQuery
        let url = endpoint + signed.encodedPath + (query.isEmpty ? "" : "?" + query)
        let headers = signed.headers.filter { $0.name != "Host" } + [("User-Agent", userAgent)]
        return HTTPRequest(method: request.method, url: url, headers: headers, body: request.body)
    }

    func send(_ request: SignableRequest, operation: String) async throws(FetchError) -> Response {
        var attempt = 0
        var lastRetryCost: Int?
        while true {
            attempt += 1
            if Task.isCancelled { throw .cancelled }
            let keys: Credentials
            do {
                keys = try await credentials.current()
            } catch {
                throw .credentials(error)
            }
            let outgoing = try signed(request, with: keys, at: now())
            debug?("\(region): \(outgoing.method) \(outgoing.url) attempt \(attempt) "
                + Redaction.headers(outgoing.headers).map { "\($0.name)=\($0.value)" }.joined(separator: " "))
            let failure: FetchError
            let retryAfter: Duration?
            var timedOut = false
            do {
                let response = try await transport.send(outgoing, timeout: attemptTimeout)
                if (200..<300).contains(response.status) {
                    // As botocore: a success gives back what its last retry took, or 1 without retries.
                    await quota.release(cost: lastRetryCost ?? 1)
                    debug?("\(region): HTTP \(response.status), \(response.body.count) bytes")
                    return Response(body: response.body, attempts: attempt)
                }
                var error = AWSErrorResponse.parse(response)
                error.operation = operation
                // AWS quotes the canonical request in signature errors, session token included.
                error.message = TextLimits.scrub(error.message, secrets: [keys.sessionToken, keys.secretAccessKey, keys.accessKeyID])
                debug?("\(region): HTTP \(response.status) \(error.code)")
                guard RetryPolicy.isRetryable(status: response.status, code: error.code) else {
                    throw FetchError.service(error, region: region, attempts: attempt)
                }
                failure = .service(error, region: region, attempts: attempt)
                retryAfter = RetryPolicy.retryAfter(response.header("Retry-After"))
            } catch let error as FetchError {
                throw error
            } catch let error as TransportError {
                if Task.isCancelled { throw .cancelled }
                guard error.kind != .permanent else { throw .transport(error, region: region, attempts: attempt) }
                debug?("\(region): \(error.message)")
                failure = .transport(error, region: region, attempts: attempt)
                retryAfter = nil
                timedOut = error.kind == .timeout
            } catch {
                throw .transport(TransportError(.permanent, "\(error)"), region: region, attempts: attempt)
            }
            guard attempt < retry.maxAttempts, await quota.acquire(afterTimeout: timedOut) else { throw failure }
            lastRetryCost = timedOut ? RetryQuota.timeoutCost : RetryQuota.retryCost
            let delay = retry.delay(beforeRetry: attempt - 1, retryAfter: retryAfter, random: Double.random(in: 0..<1))
            debug?("\(region): retrying in \(delay)")
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw .cancelled
            }
        }
    }
}
