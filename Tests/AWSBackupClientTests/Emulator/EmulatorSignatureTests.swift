import AWSBackupClient
import BackupJobs
import BackupServiceEmulator
import Testing

/// SigV4 verification: what is accepted, and every rejection with AWS's error type.
@Suite struct EmulatorSignatureTests {
    static let jobs = EmulatorFixtures.jobs(5)

    func expectRejected(_ response: HTTPResponse, _ type: String, _ fragment: String) throws {
        let reply = try ErrorReply(response)
        #expect(reply.status == 403)
        #expect(reply.type == type)
        #expect(reply.message.contains(fragment), "\(reply.message)")
    }

    /// The signature botocore computes (SOURCES.md) is accepted as it stands.
    @Test func botocoresSignatureIsAccepted() async throws {
        let harness = try await EmulatorHarness.start(
            jobs: Self.jobs, credentials: [Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")]
        ) { $0.clock = .fixed(Timestamp(iso8601: "2015-08-30T12:40:00Z")!) }
        defer { Task { await harness.stop() } }
        let request = SignableRequest(method: "GET", path: "/backup-jobs/", headers: [
            ("Host", "backup.us-east-1.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z"),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/backup/aws4_request, SignedHeaders=host;x-amz-date, Signature=e566d66eebb2f6fb8698cb63c9f3a19f7d44ef9d663c330921d98ea173578e40"),
        ])
        let response = try await harness.sendUnsigned(request, extraHeaders: [("User-Agent", "Boto3/1.43.11"), ("amz-sdk-invocation-id", "x")])
        #expect(response.status == 200)
        #expect(try Page(response).ids.count == 5)
    }

    @Test func unsignedHeadersAndEncodedValuesAreFine() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        let response = try await harness.send(
            [("resourceArn", "arn:aws:ec2:us-east-1:1:volume/vol-1 ~*+=&?"), ("resourceType", "SAP HANA on Amazon EC2"), ("maxResults", "3")],
            headers: [("User-Agent", "backup-audit/test"), ("amz-sdk-request", "attempt=1; max=3")])
        #expect(response.status == 200)
    }

    @Test func wrongSecretIsAnInvalidSignature() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        let wrong = Credentials(accessKeyID: EmulatorHarness.key.accessKeyID, secretAccessKey: "not-the-secret")
        let response = try await harness.send(credentials: wrong)
        try expectRejected(response, "InvalidSignatureException", "The request signature we calculated does not match")
        // The message shows what the server signed, as AWS does, to debug a client.
        let reply = try ErrorReply(response)
        #expect(reply.message.contains("GET\n/backup-jobs/\n\nhost:\(harness.emulator.hostHeader)\nx-amz-date:20261128T120000Z\n\nhost;x-amz-date\n"))
        #expect(harness.emulator.statistics.signatureFailures == 1)
        #expect(harness.emulator.statistics.errorsByType == ["InvalidSignatureException": 1])
    }

    @Test func changesAfterSigningAreInvalidSignatures() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        let tamperings: [(String, (inout SignableRequest) -> Void)] = [
            ("a parameter added", { $0.query.append(("state", "FAILED")) }),
            ("a parameter changed", { $0.query[0].value = "999" }),
            ("the path changed", { $0.path = "/backup-jobs/x/" }),
            ("the method changed", { $0.method = "HEAD" }),
            ("the signature changed", { request in
                let index = request.headers.firstIndex { $0.name == "Authorization" }!
                request.headers[index].value = Self.changingLastDigit(request.headers[index].value)
            }),
            ("a signed header removed from the list", { request in
                let index = request.headers.firstIndex { $0.name == "Authorization" }!
                request.headers[index].value = request.headers[index].value.replacing("host;x-amz-date", with: "host;user-agent;x-amz-date")
            }),
        ]
        for (what, tamper) in tamperings {
            let response = try await harness.send([("maxResults", "5")], adjust: tamper)
            if what == "the method changed" {
                #expect(response.status == 403, "\(what)")  // HEAD: no body to read the error from
                continue
            }
            try expectRejected(response, "InvalidSignatureException", "does not match")
        }
        #expect(harness.emulator.statistics.signatureFailures == tamperings.count)
        #expect(harness.emulator.statistics.pagesServed == 0)
    }

    /// The Authorization header with another last hex digit of the signature, whatever digit it
    /// ends with: the signature differs from run to run (the loopback port is signed in Host),
    /// and replacing the digit with a fixed one left one signature in sixteen unchanged.
    static func changingLastDigit(_ authorization: String) -> String {
        String(authorization.dropLast()) + (authorization.hasSuffix("0") ? "1" : "0")
    }

    @Test(arguments: "0123456789abcdef")
    func tamperingChangesTheSignatureWhateverItsLastDigit(last: Character) {
        let header = "AWS4-HMAC-SHA256 Credential=AKIA/20261128/us-east-1/backup/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d0c\(last)"
        #expect(Self.changingLastDigit(header) != header)
        #expect(Self.changingLastDigit(header).count == header.count)
    }

    @Test func unknownKeyIsUnrecognized() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        let response = try await harness.send(credentials: Credentials(accessKeyID: "AKIAUNKNOWN000000000", secretAccessKey: "x"))
        try expectRejected(response, "UnrecognizedClientException", "The security token included in the request is invalid")
    }

    @Test func missingAuthorization() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        let response = try await harness.sendUnsigned(SignableRequest(method: "GET", path: "/backup-jobs/", headers: [("Host", harness.emulator.hostHeader)]))
        try expectRejected(response, "MissingAuthenticationTokenException", "Missing Authentication Token")
    }

    @Test func malformedAuthorization() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        func replacingAuthorization(_ value: String) -> (inout SignableRequest) -> Void {
            { request in
                let index = request.headers.firstIndex { $0.name == "Authorization" }!
                request.headers[index].value = value
            }
        }
        try expectRejected(try await harness.send(adjust: replacingAuthorization("AWS4-HMAC-SHA256 Credential=AKIAEMULATORTEST0001/20261128/us-east-1/backup/aws4_request")),
                           "IncompleteSignatureException", "requires 'Signature' parameter")
        try expectRejected(try await harness.send(adjust: replacingAuthorization("Basic dXNlcjpwYXNz")), "IncompleteSignatureException", "algorithm")
        try expectRejected(try await harness.send(adjust: replacingAuthorization("AWS4-HMAC-SHA256 Credential=AKIA/us-east-1/backup, SignedHeaders=host;x-amz-date, Signature=00")),
                           "IncompleteSignatureException", "Credential should be scoped")
        try expectRejected(try await harness.send(adjust: { $0.headers.removeAll { $0.name == "X-Amz-Date" } }), "IncompleteSignatureException", "X-Amz-Date")
    }

    @Test func scopeMustNameBackupAndTheRegion() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs) { $0.region = "us-east-1" }
        defer { Task { await harness.stop() } }
        try expectRejected(try await harness.send(service: "s3"), "InvalidSignatureException", "correct service: 'backup'")
        try expectRejected(try await harness.send(region: "eu-west-1"), "InvalidSignatureException", "valid region")
        #expect(try await harness.send(region: "us-east-1").status == 200)
    }

    @Test func anyRegionByDefault() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        #expect(try await harness.send(region: "ap-southeast-2").status == 200)
    }

    @Test(arguments: [
        (-16 * 60, "Signature expired: 20261128T114400Z is now earlier than 20261128T114500Z (20261128T120000Z - 15 min.)"),
        (16 * 60, "Signature not yet current: 20261128T121600Z is still later than 20261128T121500Z (20261128T120000Z + 15 min.)"),
        (-15 * 60 - 1, "Signature expired"),
        (-14 * 60, nil), (14 * 60, nil), (-15 * 60, nil),
    ] as [(Int64, String?)])
    func clockSkew(_ seconds: Int64, _ message: String?) async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        let time = Timestamp(millisecondsSinceEpoch: EmulatorHarness.now.millisecondsSinceEpoch + seconds * 1000)
        let response = try await harness.send(at: time)
        if let message {
            try expectRejected(response, "InvalidSignatureException", message)
        } else {
            #expect(response.status == 200)
        }
    }

    @Test func theClockCanChangeWhileRunning() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        #expect(try await harness.send().status == 200)
        harness.emulator.setClock(.fixed(Timestamp(millisecondsSinceEpoch: EmulatorHarness.now.millisecondsSinceEpoch + 3_600_000)))
        try expectRejected(try await harness.send(), "InvalidSignatureException", "Signature expired")
        harness.emulator.setClock(.system)
        #expect(try await harness.send(at: EmulatorClock.system.now()).status == 200)
    }

    @Test func sessionTokens() async throws {
        let temporary = Credentials(accessKeyID: "ASIAEMULATORTEST0001", secretAccessKey: "temporary-secret", sessionToken: "session/token+value==")
        let harness = try await EmulatorHarness.start(jobs: Self.jobs, credentials: [temporary, EmulatorHarness.key])
        defer { Task { await harness.stop() } }

        #expect(try await harness.send(credentials: temporary).status == 200)
        let withoutToken = Credentials(accessKeyID: temporary.accessKeyID, secretAccessKey: temporary.secretAccessKey)
        try expectRejected(try await harness.send(credentials: withoutToken), "ExpiredTokenException", "expired")
        var wrongToken = temporary
        wrongToken.sessionToken = "another-token"
        try expectRejected(try await harness.send(credentials: wrongToken), "UnrecognizedClientException", "invalid")
        var tokenForPermanentKey = EmulatorHarness.key
        tokenForPermanentKey.sessionToken = "unexpected"
        try expectRejected(try await harness.send(credentials: tokenForPermanentKey), "UnrecognizedClientException", "invalid")

        // Credentials past their expiration.
        var expiring = temporary
        expiring.expiration = Timestamp(millisecondsSinceEpoch: EmulatorHarness.now.millisecondsSinceEpoch - 1)
        harness.emulator.setCredentials([expiring])
        try expectRejected(try await harness.send(credentials: temporary), "ExpiredTokenException", "expired")
        try expectRejected(try await harness.send(credentials: EmulatorHarness.key), "UnrecognizedClientException", "invalid")
        #expect(harness.emulator.statistics.signatureFailures == 5)
        #expect(harness.emulator.statistics.pagesServed == 1)
    }
}
