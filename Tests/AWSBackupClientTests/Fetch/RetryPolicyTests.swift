import AWSBackupClient
import Testing

/// The SDKs' standard retry mode: what is retried, how long to wait, and the shared quota.
struct RetryPolicyTests {
    @Test(arguments: [
        (400, "ThrottlingException", true), (400, "TooManyRequestsException", true), (429, "Whatever", true),
        (500, "InternalFailure", true), (502, "HTTP502", true), (503, "ServiceUnavailableException", true), (504, "HTTP504", true),
        (400, "RequestTimeout", true), (400, "ValidationException", false), (403, "AccessDeniedException", false),
        (403, "InvalidSignatureException", false), (400, "InvalidParameterValueException", false), (404, "UnknownOperationException", false),
    ])
    func retryable(status: Int, code: String, expected: Bool) {
        #expect(RetryPolicy.isRetryable(status: status, code: code) == expected)
    }

    @Test func backoffIsFullJitterUnderACappedExponential() {
        let policy = RetryPolicy(maxAttempts: 10, base: .seconds(1), cap: .seconds(20))
        // random = 1 gives the ceiling: 1, 2, 4, 8, 16, then the cap.
        #expect((0..<7).map { policy.delay(beforeRetry: $0, random: 1) } == [1, 2, 4, 8, 16, 20, 20].map { Duration.seconds($0) })
        #expect(policy.delay(beforeRetry: 3, random: 0) == .zero)
        #expect(policy.delay(beforeRetry: 3, random: 0.5) == .seconds(4))
    }

    @Test func retryAfterIsHonouredUpToItsLimit() {
        let policy = RetryPolicy(base: .milliseconds(100), cap: .seconds(1), maximumRetryAfter: .seconds(30))
        #expect(policy.delay(beforeRetry: 0, retryAfter: .seconds(3), random: 0.5) == .seconds(3))
        #expect(policy.delay(beforeRetry: 0, retryAfter: .seconds(600), random: 0.5) == .seconds(30))
        #expect(policy.delay(beforeRetry: 0, retryAfter: .zero, random: 1) == .milliseconds(100))
        #expect(RetryPolicy.retryAfter("5") == .seconds(5))
        #expect(RetryPolicy.retryAfter(" 1.5 ") == .milliseconds(1500))
        #expect(RetryPolicy.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == nil)
        #expect(RetryPolicy.retryAfter("-1") == nil)
        // A number beyond Int64 milliseconds used to trap the process.
        #expect(RetryPolicy.retryAfter("1e300") == .seconds(86_400))
        #expect(RetryPolicy.retryAfter("inf") == .seconds(86_400))
        #expect(RetryPolicy.retryAfter("nan") == nil)
        #expect(policy.delay(beforeRetry: 0, retryAfter: RetryPolicy.retryAfter("1e300"), random: 0.5) == .seconds(30))
    }

    @Test func theQuotaRunsOutAndRefillsOnSuccess() async {
        let quota = RetryQuota(capacity: 12)
        #expect(await quota.acquire(afterTimeout: false))  // 7 left
        #expect(await quota.acquire(afterTimeout: false))  // 2 left
        #expect(!(await quota.acquire(afterTimeout: false)))
        #expect(!(await quota.acquire(afterTimeout: true)))
        await quota.release(cost: RetryQuota.retryCost)
        #expect(await quota.available == 7)
        await quota.release(cost: 100)
        #expect(await quota.available == 12, "never above capacity")
    }
}
