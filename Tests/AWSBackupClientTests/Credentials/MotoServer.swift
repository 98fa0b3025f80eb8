import Foundation
import Testing

@testable import AWSBackupClient

/// A real moto server (moto's `ThreadedMotoServer`, the server behind `moto_server`) on
/// 127.0.0.1 with a port the OS picks: started, awaited until it answers, terminated by `stop()`
/// or deinit (and, should the test process die, when its standard input closes).
final class MotoServer: Sendable {
    let server: CredentialPythonServer

    /// The server the current suite shares (see `.motoServer`).
    @TaskLocal static var current: MotoServer?

    static func start() async throws -> MotoServer {
        let server = try CredentialPythonServer(script: script)
        let moto = MotoServer(server: server)
        try await moto.waitUntilAnswering()
        return moto
    }

    private init(server: CredentialPythonServer) {
        self.server = server
    }

    var endpoint: String { server.baseURL }

    func stop() { server.stop() }

    private func waitUntilAnswering() async throws {
        var lastError = ""
        for _ in 0..<100 {
            do {
                let response = try await CredentialTestTransports.http.send(HTTPRequest(method: "GET", url: endpoint + "/moto-api/data.json"), timeout: .seconds(2))
                if response.status == 200 { return }
                lastError = "HTTP \(response.status)"
            } catch {
                lastError = error.message
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CredentialPythonServer.ServerError(message: "moto did not answer at \(endpoint): \(lastError)")
    }

    /// What moto recorded about each assumed role (`/moto-api/data.json`), by access key id:
    /// role ARN, session name, external id.
    func assumedRoles() async throws -> [String: AssumedRoleRecord] {
        let response = try await CredentialTestTransports.http.send(HTTPRequest(method: "GET", url: endpoint + "/moto-api/data.json"), timeout: .seconds(5))
        let data = try JSONDecoder().decode(MotoData.self, from: Data(response.body))
        return Dictionary((data.sts?.AssumedRole ?? []).map { ($0.access_key_id, $0) }, uniquingKeysWith: { _, last in last })
    }

    struct AssumedRoleRecord: Decodable, Sendable {
        var access_key_id: String
        var role_arn: String
        var session_name: String
        var external_id: String?
        var arn: String
    }

    private struct MotoData: Decodable {
        struct STS: Decodable { var AssumedRole: [AssumedRoleRecord]? }
        var sts: STS?
    }

    static let script = #"""
import sys
from moto.server import ThreadedMotoServer

server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()
server.stop()
"""#
}

/// Runs a suite inside one moto server: started before the suite's first test, stopped after
/// its last.
struct MotoServerScope: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let server = try await MotoServer.start()
        defer { server.stop() }
        try await MotoServer.$current.withValue(server) {
            try await function()
        }
    }
}

extension Trait where Self == MotoServerScope {
    static var motoServer: Self { MotoServerScope() }
}

extension MotoServer {
    /// The shared server of the running suite.
    static var required: MotoServer {
        get throws {
            guard let current else { throw CredentialPythonServer.ServerError(message: "no moto server: the suite needs the .motoServer trait") }
            return current
        }
    }
}
