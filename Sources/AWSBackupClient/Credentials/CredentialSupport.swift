import BackupJobs
import Foundation

// MARK: Explaining why a provider found nothing

/// What a provider found: credentials, or the reason it had none (for the chain's message when
/// no provider has any).
public enum CredentialLookup: Sendable {
    case found(Credentials)
    /// Nothing to offer: "AWS_ACCESS_KEY_ID is not set". Never contains a secret.
    case notFound(String)

    public var credentials: Credentials? {
        if case .found(let credentials) = self { credentials } else { nil }
    }
}

/// A provider that can say why it found nothing. `CredentialChain` uses the reason in the error
/// it reports when no provider has credentials.
public protocol ExplainingCredentialProvider: CredentialProvider {
    func lookup() async throws(CredentialError) -> CredentialLookup
}

extension ExplainingCredentialProvider {
    public func credentials() async throws(CredentialError) -> Credentials? {
        try await lookup().credentials
    }
}

// MARK: Variables and files

extension ProviderEnvironment {
    /// A variable's value, treating an empty value as unset (as botocore does).
    func variable(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// `true`, `TRUE`, `True`.
    func flag(_ name: String) -> Bool {
        variable(name)?.lowercased() == "true"
    }

    /// `~` and `~/x` expanded with `home`.
    func expandingTilde(_ path: String) -> String {
        guard let home, path == "~" || path.hasPrefix("~/") else { return path }
        let trimmedHome = home.hasSuffix("/") && home.count > 1 ? String(home.dropLast()) : home
        return trimmedHome + path.dropFirst()
    }
}

enum FileContents {
    case missing
    case text(String)
    case unreadable(String)
}

enum LocalFiles {
    /// The file's text; `.missing` when there is no file at the path.
    static func read(_ path: String) -> FileContents {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        if isDirectory.boolValue { return .unreadable("is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else { return .unreadable("cannot be read (check its permissions)") }
        guard let text = String(data: data, encoding: .utf8) else { return .unreadable("is not UTF-8 text") }
        return .text(text)
    }
}

// MARK: Text

enum TextLimits {
    /// At most `limit` characters of `text`, on one line, with `…` when cut.
    static func excerpt(_ text: String, limit: Int = 300) -> String {
        let oneLine = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
        return oneLine.count > limit ? String(oneLine.prefix(limit)) + "…" : oneLine
    }

    /// `text` with every occurrence of each secret replaced: a last line of defence for messages
    /// that quote a server or a program.
    static func scrub(_ text: String, secrets: [String?]) -> String {
        var scrubbed = text
        for case let secret? in secrets where secret.count >= 4 {
            scrubbed = scrubbed.replacingOccurrences(of: secret, with: "REDACTED")
        }
        return scrubbed
    }
}

// MARK: URLs

/// The parts of an absolute http(s) URL that providers need: scheme, host and port for the
/// `Host` header and host checks, and the path with its query.
struct EndpointURL: Sendable, Equatable {
    var scheme: String
    /// Without brackets for IPv6 (`fd00:ec2::23`).
    var host: String
    var port: Int?
    /// `/latest/api/token`, with the query if any; `/` when the URL has none.
    var pathAndQuery: String

    init?(_ text: String) {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { return nil }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else { return nil }
            self.port = port
        } else {
            self.port = nil
        }
        self.scheme = scheme
        self.host = host.lowercased()
        self.pathAndQuery = rest.isEmpty ? "/" : (rest.hasPrefix("?") ? "/" + rest : String(rest))
    }

    /// `host`, `host:port`, `[::1]:8080`: the `Host` header (default ports left out).
    var hostHeader: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        guard let port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) else { return bracketed }
        return "\(bracketed):\(port)"
    }

    /// `https://host:port`, no path.
    var origin: String { "\(scheme)://\(hostHeader)" }

    /// The URL for messages: without any `user:password@`.
    var display: String { origin + pathAndQuery }

    /// The path without its query or trailing slash: `""` for `/`, `/prefix` for `/prefix/`.
    var pathPrefix: String {
        var path = pathAndQuery.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        while path.hasSuffix("/") { path.removeLast() }
        return path
    }

    var isLoopback: Bool {
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }
}

// MARK: JSON

/// A JSON document, for responses whose member types should be checked one by one (a wrong type
/// gets a message naming the member, not a decoder's coding path).
enum JSONValue: Decodable, Sendable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }

    var string: String? {
        if case .string(let text) = self { text } else { nil }
    }

    var isNull: Bool {
        if case .null = self { true } else { false }
    }

    var kindDescription: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// The credential members shared by credential_process, container and instance metadata
/// responses. Messages name members, never their values.
enum CredentialJSON {
    static func credentials(
        from json: JSONValue, tokenKey: String, requireToken: Bool, provider: String, source: String
    ) throws(CredentialError) -> Credentials {
        guard case .object = json else { throw CredentialError(provider: provider, "\(source) is not a JSON object") }
        func text(_ key: String, required: Bool) throws(CredentialError) -> String? {
            guard let value = json[key], !value.isNull else {
                if required { throw CredentialError(provider: provider, "\(source) has no \(key)") }
                return nil
            }
            guard let text = value.string else { throw CredentialError(provider: provider, "\(source): \(key) should be a string, found \(value.kindDescription)") }
            if required, text.isEmpty { throw CredentialError(provider: provider, "\(source): \(key) is empty") }
            return text
        }
        let accessKey = try text("AccessKeyId", required: true)!
        let secret = try text("SecretAccessKey", required: true)!
        let token = try text(tokenKey, required: requireToken)
        var expiration: Timestamp?
        if let expiry = try text("Expiration", required: false) {
            guard let parsed = Timestamp(iso8601: expiry) else {
                throw CredentialError(provider: provider, "\(source): Expiration \"\(TextLimits.excerpt(expiry, limit: 40))\" is not an ISO 8601 time")
            }
            expiration = parsed
        }
        return Credentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: token?.isEmpty == true ? nil : token, expiration: expiration)
    }
}

// MARK: Retrying requests

enum HTTPAttempts {
    /// Sends `request` up to `attempts` times, retrying transport failures and 5xx responses
    /// after `delay`. Returns the last response or throws the last transport error.
    static func send(
        _ request: HTTPRequest, with transport: any HTTPTransport, timeout: Duration, attempts: Int, delay: Duration
    ) async throws(TransportError) -> HTTPResponse {
        var attempt = 1
        while true {
            do {
                let response = try await transport.send(request, timeout: timeout)
                if response.status >= 500, attempt < attempts {
                    attempt += 1
                    try? await Task.sleep(for: delay)
                    continue
                }
                return response
            } catch {
                guard error.kind != .permanent, attempt < attempts, !Task.isCancelled else { throw error }
                attempt += 1
                try? await Task.sleep(for: delay)
            }
        }
    }
}
