public import BackupJobs

/// Why a document of backup plans or selections could not be read, and where: the file, the
/// line and column and byte, and the member (`document 2: BackupSelection.Conditions.StringLike[0]`).
/// Decoding stops at the first such error: a selection read in part could select less than the
/// real one, and a resource it misses would read as deliberately left out.
public struct SelectionInputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Stable identifiers for each class of bad input, for scripts and tests.
    public enum Code: String, Sendable, CaseIterable {
        case empty = "selections.empty"
        case syntax = "selections.syntax"
        case truncated = "selections.truncated"
        case invalidUTF8 = "selections.invalid-utf8"
        case tooDeep = "selections.too-deep"
        case tooLong = "selections.too-long"
        case duplicateMember = "selections.duplicate-member"
        case unrecognizedDocument = "selections.unrecognized-document"
        case wrongType = "selections.wrong-type"
        case missingMember = "selections.missing-member"
        case invalidValue = "selections.invalid-value"
    }

    /// A position in the input, as job listings' errors give it: 1-based line and byte column, and the byte offset.
    public typealias Location = ListingInputError.Location

    public var code: Code
    /// The file's path as given by the caller.
    public var source: String
    public var location: Location?
    /// Where in the data: `document 2: BackupSelection.Resources[3]`.
    public var context: String?
    public var message: String

    public init(_ code: Code, source: String, location: Location? = nil, context: String? = nil, message: String) {
        self.code = code
        self.source = source
        self.location = location
        self.context = context
        self.message = message
    }

    /// `plans.json:3:17: error[selections.wrong-type]: BackupPlan.Rules[0].RuleName: expected a string, found a number`
    public var description: String {
        ListingInputError.describe(code: code.rawValue, source: source, location: location, context: context, message: message)
    }
}

extension ListingInputError.Location {
    /// The line and column of `offset` in `bytes`, counted only when an error needs them.
    static func of(offset: Int, in bytes: [UInt8]) -> Self {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return Self(line: line, column: offset - lineStart + 1, byteOffset: offset)
    }
}
