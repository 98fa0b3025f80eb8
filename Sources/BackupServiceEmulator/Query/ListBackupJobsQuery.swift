import AWSBackupClient
import BackupJobs

/// The parameters of one ListBackupJobs request, validated as the service model says.
///
/// Filter semantics (all given filters must hold; a job without the member a filter reads never
/// matches it):
/// - `resourceArn`, `state`, `backupVaultName`, `resourceType`, `parentJobId`,
///   `messageCategory`, `accountId`: the member equals the value exactly (case-sensitive).
///   `accountId=*` (an Organizations management account's "every account") and
///   `messageCategory=*` or `AGGREGATE_ALL` do not filter.
/// - `createdAfter` ≤ `CreationDate` < `createdBefore`: after is inclusive, before exclusive,
///   so adjacent windows never share or lose a job. `completeAfter`/`completeBefore` work the
///   same on `CompletionDate`.
///
/// Validation (each failure is a 400 `InvalidParameterValueException`): `maxResults` an integer
/// in 1...1000; `state` one of the model's nine values; `backupVaultName` matching
/// `^[a-zA-Z0-9\-\_]{2,50}$`; `resourceType` matching `^[a-zA-Z0-9\-\_\.]{1,50}$` with spaces
/// also allowed, since the model's own documentation lists `Storage Gateway` and
/// `SAP HANA on Amazon EC2`; `accountId` twelve digits or `*`; timestamps ISO 8601
/// (`2024-01-01T00:00:00Z`, with or without fractional seconds or a UTC offset); other values
/// non-empty. A parameter the operation does not have, or one given twice, is rejected. An empty
/// `nextToken` is the same as none.
struct ListBackupJobsQuery: Equatable {
    var nextToken: String?
    var maxResults: Int?
    var resourceArn: String?
    var state: String?
    var backupVaultName: String?
    var resourceType: String?
    var accountId: String?
    var parentJobId: String?
    var messageCategory: String?
    var createdAfter: Timestamp?
    var createdBefore: Timestamp?
    var completeAfter: Timestamp?
    var completeBefore: Timestamp?

    static let parameterNames: Set<String> = [
        "nextToken", "maxResults", "resourceArn", "state", "backupVaultName", "createdBefore", "createdAfter",
        "resourceType", "accountId", "completeBefore", "completeAfter", "parentJobId", "messageCategory",
    ]

    /// Validates decoded query parameters; the error is the message of a 400.
    init(parameters: [(name: String, value: String)]) throws(QueryError) {
        var seen: Set<String> = []
        for (name, value) in parameters {
            guard Self.parameterNames.contains(name) else {
                throw QueryError("Unknown parameter '\(name)': ListBackupJobs accepts \(Self.parameterNames.sorted().joined(separator: ", ")).")
            }
            guard seen.insert(name).inserted else {
                throw QueryError("The parameter '\(name)' is given more than once.")
            }
            if name == "nextToken" {
                nextToken = value.isEmpty ? nil : value
                continue
            }
            guard !value.isEmpty else {
                throw QueryError(Self.constraint(value, name, "Member must have length greater than or equal to 1"))
            }
            switch name {
            case "maxResults":
                guard value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), value.utf8.count <= 9, let number = Int(value) else {
                    throw QueryError("Value '\(value)' at 'maxResults' is not an integer.")
                }
                guard number >= 1 else { throw QueryError(Self.constraint(value, name, "Member must have value greater than or equal to 1")) }
                guard number <= 1000 else { throw QueryError(Self.constraint(value, name, "Member must have value less than or equal to 1000")) }
                maxResults = number
            case "state":
                guard BackupJobState.known.contains(where: { $0.rawValue == value }) else {
                    throw QueryError(Self.constraint(value, name, "Member must satisfy enum value set: [\(BackupJobState.known.map(\.rawValue).joined(separator: ", "))]"))
                }
                state = value
            case "backupVaultName":
                guard (2...50).contains(value.utf8.count), value.utf8.allSatisfy({ Self.isWordByte($0) }) else {
                    throw QueryError(Self.constraint(value, name, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-\\_]{2,50}$"))
                }
                backupVaultName = value
            case "resourceType":
                guard (1...50).contains(value.utf8.count), value.utf8.allSatisfy({ Self.isWordByte($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: " ") }) else {
                    throw QueryError(Self.constraint(value, name, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-\\_\\.]{1,50}$"))
                }
                resourceType = value
            case "accountId":
                guard value == "*" || (value.utf8.count == 12 && value.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                    throw QueryError(Self.constraint(value, name, "Member must satisfy regular expression pattern: ^[0-9]{12}$"))
                }
                accountId = value
            case "resourceArn": resourceArn = value
            case "parentJobId": parentJobId = value
            case "messageCategory": messageCategory = value
            default:
                // The four timestamps.
                guard value.contains("T") || value.contains("t"), let time = Timestamp(iso8601: value) else {
                    throw QueryError("Value '\(value)' at '\(name)' is not a valid timestamp: expected ISO 8601 such as 2024-01-01T00:00:00Z.")
                }
                switch name {
                case "createdAfter": createdAfter = time
                case "createdBefore": createdBefore = time
                case "completeAfter": completeAfter = time
                default: completeBefore = time
                }
            }
        }
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    private static func constraint(_ value: String, _ name: String, _ rule: String) -> String {
        "1 validation error detected: Value '\(value)' at '\(name)' failed to satisfy constraint: \(rule)"
    }

    /// The filters in one canonical text (`nextToken` and `maxResults` left out): what a page
    /// token is bound to. Timestamps are written as milliseconds, so `...00Z` and `...00.000Z`
    /// are the same filter.
    var filterFingerprint: [UInt8] {
        var text = ""
        func add(_ name: String, _ value: String?) {
            guard let value else { return }
            text += name + "=" + String(value.utf8.count) + ":" + value + "\n"
        }
        add("resourceArn", resourceArn)
        add("state", state)
        add("backupVaultName", backupVaultName)
        add("resourceType", resourceType)
        add("accountId", accountId)
        add("parentJobId", parentJobId)
        add("messageCategory", messageCategory)
        add("createdAfter", createdAfter.map { String($0.millisecondsSinceEpoch) })
        add("createdBefore", createdBefore.map { String($0.millisecondsSinceEpoch) })
        add("completeAfter", completeAfter.map { String($0.millisecondsSinceEpoch) })
        add("completeBefore", completeBefore.map { String($0.millisecondsSinceEpoch) })
        return Array(text.utf8)
    }
}

/// Why a query was rejected: the message of the 400.
struct QueryError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// A query's filters compiled against one catalog: string values turned into the catalog's ids.
struct CompiledFilter {
    private var strings: [(column: Int, id: UInt32)] = []
    private var created: Window?
    private var completed: Window?
    /// A value no job has, or an empty time window: nothing matches.
    private(set) var matchesNothing = false
    /// No filter at all: every job matches, and pages are contiguous runs of the catalog.
    var isEmpty: Bool { strings.isEmpty && created == nil && completed == nil && !matchesNothing }

    /// `after ≤ t < before`, in epoch milliseconds.
    struct Window {
        var lower: Int64
        var upper: Int64  // exclusive

        init?(after: Timestamp?, before: Timestamp?) {
            guard after != nil || before != nil else { return nil }
            // Int64.min marks an absent timestamp in the catalog, so it is never inside a window.
            lower = after?.millisecondsSinceEpoch ?? (Int64.min + 1)
            upper = before?.millisecondsSinceEpoch ?? Int64.max
        }

        var isEmpty: Bool { lower >= upper }

        @inline(__always)
        func contains(_ value: Int64) -> Bool { value >= lower && value < upper }
    }

    init(_ query: ListBackupJobsQuery, catalog: JobCatalog) {
        func require(_ column: JobCatalog.Column, _ value: String?) {
            guard let value else { return }
            guard let id = catalog.id(of: value) else {
                matchesNothing = true
                return
            }
            strings.append((column.rawValue, id))
        }
        require(.resourceArn, query.resourceArn)
        require(.state, query.state)
        require(.backupVaultName, query.backupVaultName)
        require(.resourceType, query.resourceType)
        require(.accountId, query.accountId == "*" ? nil : query.accountId)
        require(.parentJobId, query.parentJobId)
        require(.messageCategory, query.messageCategory == "*" || query.messageCategory == "AGGREGATE_ALL" ? nil : query.messageCategory)
        created = Window(after: query.createdAfter, before: query.createdBefore)
        completed = Window(after: query.completeAfter, before: query.completeBefore)
        if created?.isEmpty == true || completed?.isEmpty == true { matchesNothing = true }
    }

    func matches(_ index: Int, in catalog: JobCatalog) -> Bool {
        if matchesNothing { return false }
        for (column, id) in strings where catalog.columns[column][index] != id { return false }
        if let created, !created.contains(catalog.creationDate[index]) { return false }
        if let completed, !completed.contains(catalog.completionDate[index]) { return false }
        return true
    }
}
