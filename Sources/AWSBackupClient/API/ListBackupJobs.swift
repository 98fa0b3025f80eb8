public import BackupJobs
import Foundation

/// The filters of ListBackupJobs, as the service model names them (`ByState` is sent as `state`).
public struct ListBackupJobsFilter: Sendable, Equatable {
    public var resourceArn: String?
    public var state: String?
    public var backupVaultName: String?
    public var createdBefore: Timestamp?
    public var createdAfter: Timestamp?
    public var resourceType: String?
    public var accountId: String?
    public var completeBefore: Timestamp?
    public var completeAfter: Timestamp?
    public var parentJobId: String?
    public var messageCategory: String?

    public init() {}

    /// Query parameters in the model's member order, as botocore sends them.
    public var queryItems: [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        func add(_ name: String, _ value: String?) { if let value { items.append((name, value)) } }
        add("resourceArn", resourceArn)
        add("state", state)
        add("backupVaultName", backupVaultName)
        add("createdBefore", createdBefore.map(Self.queryTime))
        add("createdAfter", createdAfter.map(Self.queryTime))
        add("resourceType", resourceType)
        add("accountId", accountId)
        add("completeBefore", completeBefore.map(Self.queryTime))
        add("completeAfter", completeAfter.map(Self.queryTime))
        add("parentJobId", parentJobId)
        add("messageCategory", messageCategory)
        return items
    }

    /// ISO 8601 UTC as botocore writes query timestamps: `2024-01-01T00:00:00Z`, or with six
    /// fractional digits when there are any (`...00.500000Z`).
    public static func queryTime(_ time: Timestamp) -> String {
        let iso = time.iso8601  // 2024-01-01T00:00:00.500Z
        let milliseconds = time.millisecondsSinceEpoch.floorModulo(1000)
        return String(iso.prefix(19)) + (milliseconds == 0 ? "Z" : ".\(String(iso.dropFirst(20).prefix(3)))000Z")
    }

    /// What the service model requires, checked before any request (botocore checks only
    /// MaxResults; checking the rest here gives a clear error instead of a 400).
    public func validate() throws(FilterError) {
        if let state, !BackupJobState.known.map(\.rawValue).contains(state) {
            throw FilterError("\(param: .byState) \(state) is not a backup job state; states: \(BackupJobState.known.map(\.rawValue).joined(separator: ", "))")
        }
        if let name = backupVaultName, name.wholeMatch(of: /[a-zA-Z0-9\-_]{2,50}/) == nil {
            throw FilterError("\(param: .byBackupVaultName) '\(name)' is not a vault name (2 to 50 letters, digits, '-' and '_')")
        }
        if let type = resourceType, type.wholeMatch(of: /[a-zA-Z0-9\-_.]{1,50}/) == nil {
            throw FilterError("\(param: .byResourceType) '\(type)' is not a resource type (EBS, RDS, EC2, ...)")
        }
        if let account = accountId, account != "*", account.wholeMatch(of: /[0-9]{12}/) == nil {
            throw FilterError("\(param: .byAccountId) '\(account)' is not a 12-digit account id (or * from an Organizations management account)")
        }
        if let after = createdAfter, let before = createdBefore, after >= before {
            throw FilterError("\(param: .byCreatedAfter) \(after) is not before \(param: .byCreatedBefore) \(before)")
        }
    }
}

/// A parameter of a fetch request a problem is about. A library does not know how its caller
/// spells it (the command line: a flag), so a message holds the parameter, and the caller names it.
public enum RequestParameter: String, Sendable, CaseIterable {
    case region, pageSize, maxItems, startingToken, parallel
    case byState, byBackupVaultName, byResourceType, byAccountId, byCreatedAfter, byCreatedBefore
}

/// A request that is wrong before anything is sent: text and the parameters it is about.
public struct FilterError: Error, Sendable, CustomStringConvertible, ExpressibleByStringInterpolation {
    public enum Part: Sendable, Equatable {
        case text(String)
        case parameter(RequestParameter)
    }

    public var parts: [Part]

    public init(stringLiteral value: String) { parts = [.text(value)] }
    public init(stringInterpolation: StringInterpolation) { parts = stringInterpolation.parts }

    /// The message, each parameter named by `name`.
    public func description(naming name: (RequestParameter) -> String) -> String {
        parts.map { part in
            switch part {
            case .text(let text): text
            case .parameter(let parameter): name(parameter)
            }
        }.joined()
    }

    /// The message with the parameters' own names (`byState`).
    public var description: String { description { $0.rawValue } }

    public struct StringInterpolation: StringInterpolationProtocol {
        var parts: [Part] = []
        public init(literalCapacity: Int, interpolationCount: Int) {}
        public mutating func appendLiteral(_ literal: String) { parts.append(.text(literal)) }
        public mutating func appendInterpolation<Value>(_ value: Value) { parts.append(.text(String(describing: value))) }
        public mutating func appendInterpolation(param parameter: RequestParameter) { parts.append(.parameter(parameter)) }
    }
}

extension Int64 {
    func floorModulo(_ divisor: Int64) -> Int64 {
        let r = self % divisor
        return r < 0 ? r + divisor : r
    }
}

/// botocore's paginator tokens: base64 of JSON `{"NextToken": ..., "boto_truncate_amount": n}`,
/// so a token from `aws backup list-backup-jobs --max-items` resumes here and the other way round.
public enum PaginationToken {
    public static func encode(nextToken: String?, truncate: Int? = nil) -> String {
        // json.dumps' layout, so the tokens are byte for byte the AWS CLI's.
        var json = "{\"NextToken\": " + (nextToken.map(jsonString) ?? "null")
        if let truncate { json += ", \"boto_truncate_amount\": \(truncate)" }
        json += "}"
        return Data(json.utf8).base64EncodedString()
    }

    /// The service token and how many jobs of its page were already returned. A token that is not
    /// one of these is passed to the service as it is (botocore does the same).
    public static func decode(_ token: String) -> (nextToken: String?, skip: Int) {
        guard let data = Data(base64Encoded: token),
              let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any]
        else { return (token, 0) }
        return (object["NextToken"] as? String, (object["boto_truncate_amount"] as? Int) ?? 0)
    }

    /// `text` as Python's `json.dumps` writes it (botocore builds its tokens so), which neither
    /// the rule language's `StringLiteral` (`\u{1B}`, non-ASCII kept) nor Foundation's JSON
    /// writers (non-ASCII kept, `/` escaped) do: every scalar outside printable ASCII becomes
    /// lowercase `\uXXXX` UTF-16 units, so a token is byte for byte the AWS CLI's.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value > 0x7E:
                // json.dumps escapes everything outside ASCII (ensure_ascii), as UTF-16 units.
                for unit in String(scalar).utf16 { out += "\\u" + String(format: "%04x", unit) }
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
