/// The AWS SDKs' "standard" retry mode: transient errors (throttling, 5xx, timeouts, dropped
/// connections) are retried with capped exponential backoff and full jitter, honouring
/// `Retry-After`, up to `maxAttempts` attempts in all, while a shared retry quota keeps a failing
/// service from being hammered.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included (`AWS_MAX_ATTEMPTS`, `--max-attempts`; default 3).
    public var maxAttempts: Int
    /// Backoff is `random(0 ..< min(base × 2^retry, cap))`.
    public var base: Duration
    public var cap: Duration
    /// The longest `Retry-After` honoured.
    public var maximumRetryAfter: Duration

    public init(maxAttempts: Int = 3, base: Duration = .seconds(1), cap: Duration = .seconds(20), maximumRetryAfter: Duration = .seconds(60)) {
        self.maxAttempts = max(1, maxAttempts)
        self.base = base
        self.cap = cap
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// Error codes AWS uses for throttling (botocore's standard list).
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]

    /// Error codes of transient service failures.
    public static let transientCodes: Set<String> = ["RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable", "ServiceUnavailableException"]

    public static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    /// Whether a failed attempt may succeed if repeated.
    public static func isRetryable(status: Int, code: String?) -> Bool {
        if status == 429 || transientStatuses.contains(status) { return true }
        guard let code else { return false }
        return throttlingCodes.contains(code) || transientCodes.contains(code)
    }

    /// How long to wait before retry number `retry` (from 0), given the server's `Retry-After`.
    public func delay(beforeRetry retry: Int, retryAfter: Duration? = nil, random: Double) -> Duration {
        var ceiling = base
        for _ in 0..<min(retry, 30) where ceiling < cap { ceiling = ceiling * 2 }
        let jittered = min(ceiling, cap) * random
        guard let retryAfter else { return jittered }
        return max(jittered, min(retryAfter, maximumRetryAfter))
    }

    /// `Retry-After` in seconds (the HTTP-date form is rare for AWS and ignored).
    public static func retryAfter(_ header: String?) -> Duration? {
        guard let header, let seconds = Double(header.trimmingCharacters(in: " ")), seconds >= 0 else { return nil }
        // A server's number, however large (`1e300`, `inf`): a day is beyond any wait a caller
        // allows, and keeps the conversion to milliseconds inside Int64.
        return .milliseconds(Int64(min(seconds, 86_400) * 1000))
    }
}

/// The standard mode's retry quota: each retry spends tokens (more after a timeout), each
/// success without retry gives one back; with the bucket empty, failures are not retried.
public actor RetryQuota {
    private var tokens: Int
    private let capacity: Int
    public static let retryCost = 5
    public static let timeoutCost = 10

    public init(capacity: Int = 500) {
        self.capacity = capacity
        tokens = capacity
    }

    /// Takes the cost of a retry; false when the quota is spent.
    public func acquire(afterTimeout: Bool) -> Bool {
        let cost = afterTimeout ? Self.timeoutCost : Self.retryCost
        guard tokens >= cost else { return false }
        tokens -= cost
        return true
    }

    public func release(cost: Int) {
        tokens = min(capacity, tokens + cost)
    }

    public var available: Int { tokens }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var text = Substring(self)
        while text.first == set { text.removeFirst() }
        while text.last == set { text.removeLast() }
        return String(text)
    }
}
