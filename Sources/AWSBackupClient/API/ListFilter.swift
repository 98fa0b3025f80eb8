public import BackupJobs
import Foundation

/// The filters of one List operation: values by the model's member names (`ByState`), sent
/// as the operation's query parameters. One type for every operation: the operation says which
/// filters exist, what their values must be and which two bound the creation time.
public struct ListFilter: Sendable, Equatable {
    public let operation: ListOperation
    private var values: [String: Value] = [:]

    public enum Value: Sendable, Hashable {
        case text(String)
        case time(Timestamp)
    }

    public init(_ operation: ListOperation = .listBackupJobs) {
        self.operation = operation
    }

    public subscript(member: String) -> Value? { values[member] }

    /// Sets (or with nil, removes) a filter. A member the operation does not have, or a value of
    /// the wrong type, is an error naming the operation: a filter is never dropped silently.
    public mutating func set(_ member: String, _ value: Value?) throws(FilterError) {
        guard let parameter = operation.parameter(member) else {
            let others = ListOperation.all.filter { $0.parameter(member) != nil }.map { "\($0.name) (\($0.kind.pluralNoun))" }
            let owners = others.isEmpty ? "" : "; it filters " + others.joined(separator: " and ")
            throw FilterError("\(param: .filter(member)) is not a filter of \(operation.name) (\(operation.kind.pluralNoun))\(owners)")
        }
        switch (parameter.value, value) {
        case (_, nil): values[member] = nil
        case (.timestamp, .time?), (.text, .text?), (.state, .text?), (.vaultName, .text?), (.resourceType, .text?), (.accountId, .text?):
            values[member] = value
        default:
            throw FilterError("\(param: parameter.requestParameter) takes \(parameter.isTimestamp ? "a time" : "text")")
        }
    }

    public mutating func set(_ member: String, _ text: String) throws(FilterError) { try set(member, .text(text)) }
    public mutating func set(_ member: String, _ time: Timestamp) throws(FilterError) { try set(member, .time(time)) }

    /// The creation-time bounds, which time slices narrow.
    public var createdAfter: Timestamp? {
        get { time(operation.createdAfter) }
        set { values[operation.createdAfter] = newValue.map(Value.time) }
    }

    public var createdBefore: Timestamp? {
        get { time(operation.createdBefore) }
        set { values[operation.createdBefore] = newValue.map(Value.time) }
    }

    private func time(_ member: String) -> Timestamp? {
        if case .time(let time)? = values[member] { return time }
        return nil
    }

    /// Query parameters in the model's member order, as botocore sends them.
    public var queryItems: [(name: String, value: String)] {
        operation.parameters.compactMap { parameter in
            switch values[parameter.member] {
            case .text(let text)?: (parameter.query, text)
            case .time(let time)?: (parameter.query, Self.queryTime(time))
            case nil: nil
            }
        }
    }

    /// ISO 8601 UTC as botocore writes query timestamps: `2024-01-01T00:00:00Z`, or with six
    /// fractional digits when there are any (`...00.500000Z`).
    public static func queryTime(_ time: Timestamp) -> String {
        let iso = time.iso8601  // 2024-01-01T00:00:00.500Z
        let milliseconds = time.millisecondsSinceEpoch.floorModulo(1000)
        return String(iso.prefix(19)) + (milliseconds == 0 ? "Z" : ".\(String(iso.dropFirst(20).prefix(3)))000Z")
    }

    /// What the service model requires, checked before any request (botocore checks only
    /// MaxResults; checking the rest here gives a clear error instead of a 400). Each message
    /// holds its parameter, which the caller names.
    public func validate() throws(FilterError) {
        for parameter in operation.parameters {
            guard case .text(let text)? = values[parameter.member] else { continue }
            let name = parameter.requestParameter
            switch parameter.value {
            case .state:
                let states = operation.kind.schema.states.values
                guard states.contains(text) else {
                    throw FilterError("\(param: name) \(text) is not a \(operation.kind.noun) state; states: \(states.joined(separator: ", "))")
                }
            case .vaultName:
                guard text.wholeMatch(of: /[a-zA-Z0-9\-_]{2,50}/) != nil else {
                    throw FilterError("\(param: name) '\(text)' is not a vault name (2 to 50 letters, digits, '-' and '_')")
                }
            case .resourceType:
                guard text.wholeMatch(of: /[a-zA-Z0-9\-_. ]{1,50}/) != nil else {
                    throw FilterError("\(param: name) '\(text)' is not a resource type (EBS, RDS, EC2, ...)")
                }
            case .accountId:
                guard parameter.wildcards.contains(text) || text.wholeMatch(of: /[0-9]{12}/) != nil else {
                    if text == "*" {
                        // The wildcard of another operation: say where it works, not just that it doesn't.
                        let owners = ListOperation.all.filter { $0.parameter(parameter.member)?.wildcards.contains(text) == true }.map(\.name)
                        let advice = "\(operation.name) takes one 12-digit account id: fetch the \(operation.kind.pluralNoun) of each account"
                        throw FilterError(
                            "\(param: name) '*' (every account of an organization) is documented for \(owners.joined(separator: " and ")) only; \(advice)")
                    }
                    let wildcard = parameter.wildcards.isEmpty ? "" : " (or * from an Organizations management account)"
                    throw FilterError("\(param: name) '\(text)' is not a 12-digit account id\(wildcard)")
                }
            case .text:
                guard !text.isEmpty else { throw FilterError("\(param: name) is empty") }
            case .timestamp:
                break
            }
        }
        if let after = createdAfter, let before = createdBefore, after >= before {
            throw FilterError("\(param: .filter(operation.createdAfter)) \(after) is not before \(param: .filter(operation.createdBefore)) \(before)")
        }
    }
}

/// A parameter of a fetch request a problem is about. A library does not know how its caller
/// spells it (the command line: a flag), so a message holds the parameter, and the caller names it.
public struct RequestParameter: RawRepresentable, Hashable, Sendable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let region = RequestParameter(rawValue: "region")
    public static let pageSize = RequestParameter(rawValue: "pageSize")
    public static let maxItems = RequestParameter(rawValue: "maxItems")
    public static let startingToken = RequestParameter(rawValue: "startingToken")
    public static let parallel = RequestParameter(rawValue: "parallel")

    /// A filter of a List operation, named after its member with a lower-case first letter
    /// (`ByDestinationVaultArn`: `byDestinationVaultArn`).
    public static func filter(_ member: String) -> RequestParameter {
        RequestParameter(rawValue: member.prefix(1).lowercased() + member.dropFirst())
    }
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
