import AWSBackupClient
import BackupJobs

/// The parameters of one request to a List operation (ListBackupJobs, ListCopyJobs,
/// ListRestoreJobs), validated as the service model says; the operation's description
/// (`ListOperation`) names its filters.
///
/// Filter semantics (all given filters must hold; a job without the field a filter reads never
/// matches it):
/// - text filters (`resourceArn`, `state`, `status`, `backupVaultName`, `resourceType`,
///   `destinationVaultArn`, `sourceRecoveryPointArn`, `restoreTestingPlanArn`, `parentJobId`,
///   `messageCategory`, `accountId`): the field equals the value exactly (case-sensitive). A
///   wildcard of the parameter (`accountId=*`, an Organizations management account's "every
///   account", documented for ListBackupJobs only; `messageCategory=*`, `AGGREGATE_ALL`, and for
///   copy jobs `ANY`) does not filter.
/// - `createdAfter` ≤ `CreationDate` < `createdBefore`: after is inclusive, before exclusive,
///   so adjacent windows never share or lose a job. `completeAfter`/`completeBefore` work the
///   same on `CompletionDate`.
///
/// Validation (each failure is a 400 `InvalidParameterValueException`): `maxResults` an integer
/// in 1...1000; `state`/`status` one of the kind's values in the model; `backupVaultName`
/// matching `^[a-zA-Z0-9\-\_]{2,50}$`; `resourceType` matching `^[a-zA-Z0-9\-\_\.]{1,50}$` with
/// spaces also allowed, since the model's own documentation lists `Storage Gateway` and
/// `SAP HANA on Amazon EC2`; `accountId` twelve digits (or `*` for ListBackupJobs: ListCopyJobs
/// and ListRestoreJobs document only the pattern, so `*` is a 400 there); timestamps ISO 8601
/// (`2024-01-01T00:00:00Z`, with or without fractional seconds or a UTC offset); other values
/// non-empty. A parameter the operation does not have, or one given twice, is rejected. An empty
/// `nextToken` is the same as none.
struct ListQuery: Equatable {
    let operation: ListOperation
    var nextToken: String?
    var maxResults: Int?
    /// The filters given, by their index in `operation.parameters`, in that order.
    var filters: [(parameter: Int, value: Value)] = []

    enum Value: Equatable {
        case text(String)
        /// Epoch milliseconds.
        case time(Int64)
    }

    /// Validates decoded query parameters; the error is the message of a 400.
    init(_ operation: ListOperation, parameters: [(name: String, value: String)]) throws(QueryError) {
        self.operation = operation
        var seen: Set<String> = []
        var values: [Int: Value] = [:]
        for (name, value) in parameters {
            let index = operation.parameters.firstIndex { $0.query == name }
            guard index != nil || name == "nextToken" || name == "maxResults" else {
                let names = (operation.parameters.map(\.query) + ["maxResults", "nextToken"]).sorted()
                throw QueryError("Unknown parameter '\(name)': \(operation.name) accepts \(names.joined(separator: ", ")).")
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
            guard let index else {
                guard value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), value.utf8.count <= 9, let number = Int(value) else {
                    throw QueryError("Value '\(value)' at 'maxResults' is not an integer.")
                }
                guard number >= 1 else { throw QueryError(Self.constraint(value, name, "Member must have value greater than or equal to 1")) }
                guard number <= 1000 else { throw QueryError(Self.constraint(value, name, "Member must have value less than or equal to 1000")) }
                maxResults = number
                continue
            }
            let parameter = operation.parameters[index]
            switch parameter.value {
            case .state:
                let states = operation.kind.schema.states.values
                guard states.contains(value) else {
                    throw QueryError(Self.constraint(value, name, "Member must satisfy enum value set: [\(states.joined(separator: ", "))]"))
                }
            case .vaultName:
                guard (2...50).contains(value.utf8.count), value.utf8.allSatisfy({ Self.isWordByte($0) }) else {
                    throw QueryError(Self.constraint(value, name, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-\\_]{2,50}$"))
                }
            case .resourceType:
                guard (1...50).contains(value.utf8.count), value.utf8.allSatisfy({ Self.isWordByte($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: " ") }) else {
                    throw QueryError(Self.constraint(value, name, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-\\_\\.]{1,50}$"))
                }
            case .accountId:
                guard parameter.wildcards.contains(value) || (value.utf8.count == 12 && value.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                    throw QueryError(Self.constraint(value, name, "Member must satisfy regular expression pattern: ^[0-9]{12}$"))
                }
            case .text:
                break
            case .timestamp:
                guard value.contains("T") || value.contains("t"), let time = Timestamp(iso8601: value) else {
                    throw QueryError("Value '\(value)' at '\(name)' is not a valid timestamp: expected ISO 8601 such as 2024-01-01T00:00:00Z.")
                }
                values[index] = .time(time.millisecondsSinceEpoch)
                continue
            }
            values[index] = .text(value)
        }
        filters = values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func == (lhs: ListQuery, rhs: ListQuery) -> Bool {
        lhs.operation == rhs.operation && lhs.nextToken == rhs.nextToken && lhs.maxResults == rhs.maxResults
            && lhs.filters.elementsEqual(rhs.filters) { $0.parameter == $1.parameter && $0.value == $1.value }
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

    /// The operation and its filters in one canonical text (`nextToken` and `maxResults` left
    /// out): what a page token is bound to, so a token of one operation or filter set is refused
    /// by another. Timestamps are written as milliseconds, so `...00Z` and `...00.000Z` are the
    /// same filter.
    var filterFingerprint: [UInt8] {
        var text = operation.name + "\n"
        for (index, value) in filters {
            let written = switch value {
            case .text(let text): text
            case .time(let milliseconds): String(milliseconds)
            }
            text += operation.parameters[index].query + "=" + String(written.utf8.count) + ":" + written + "\n"
        }
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
    /// Text filters: the parameter's column must hold this id.
    private var strings: [(parameter: Int, id: UInt32)] = []
    /// Time windows, one per parameter column bounded (after and before of one field share it).
    private var windows: [(parameter: Int, window: Window)] = []
    /// A value no job has, or an empty time window: nothing matches.
    private(set) var matchesNothing = false
    /// No filter at all: every job matches, and pages are contiguous runs of the catalog.
    var isEmpty: Bool { strings.isEmpty && windows.isEmpty && !matchesNothing }

    /// `after ≤ t < before`, in epoch milliseconds.
    struct Window {
        // Int64.min marks an absent timestamp in the catalog, so it is never inside a window.
        var lower = Int64.min + 1
        var upper = Int64.max  // exclusive

        var isEmpty: Bool { lower >= upper }

        @inline(__always)
        func contains(_ value: Int64) -> Bool { value >= lower && value < upper }
    }

    init(_ query: ListQuery, catalog: RecordCatalog) {
        let parameters = query.operation.parameters
        var byField: [String: Int] = [:]
        for (index, value) in query.filters {
            let parameter = parameters[index]
            switch value {
            case .text(let text):
                guard !parameter.wildcards.contains(text) else { continue }
                guard let id = catalog.id(of: text) else {
                    matchesNothing = true
                    continue
                }
                strings.append((index, id))
            case .time(let milliseconds):
                let slot = byField[parameter.field] ?? {
                    windows.append((index, Window()))
                    byField[parameter.field] = windows.count - 1
                    return windows.count - 1
                }()
                // ByCreatedAfter, ByCompleteAfter: lower bounds; the ...Before ones: upper bounds.
                if parameter.member.hasSuffix("After") {
                    windows[slot].window.lower = max(windows[slot].window.lower, milliseconds)
                } else {
                    windows[slot].window.upper = min(windows[slot].window.upper, milliseconds)
                }
            }
        }
        if windows.contains(where: { $0.window.isEmpty }) { matchesNothing = true }
    }

    func matches(_ index: Int, in catalog: RecordCatalog) -> Bool {
        if matchesNothing { return false }
        for (parameter, id) in strings where catalog.strings[parameter][index] != id { return false }
        for (parameter, window) in windows where !window.contains(catalog.times[parameter][index]) { return false }
        return true
    }
}
