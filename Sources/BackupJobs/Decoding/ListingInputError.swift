/// Why job data (backup, copy or restore jobs) could not be read, and exactly where: the file, the
/// line and column (or the byte offset), the job, and the field. Loading stops at the first such error, so nothing is
/// ever evaluated on partial data.
public struct ListingInputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Stable identifiers for each class of bad input, for scripts and tests.
    public enum Code: String, Sendable, CaseIterable {
        case unreadable = "input.unreadable"
        case empty = "input.empty"
        case noJobFiles = "input.no-job-files"
        case unsupportedEncoding = "input.unsupported-encoding"
        case corruptGzip = "input.corrupt-gzip"
        case syntax = "input.syntax"
        case truncated = "input.truncated"
        case trailingData = "input.trailing-data"
        case invalidUTF8 = "input.invalid-utf8"
        case tooDeep = "input.too-deep"
        case notAListing = "input.not-a-listing"
        case missingBackupJobs = "input.missing-backup-jobs"
        case backupJobsNotArray = "input.backup-jobs-not-array"
        case jobNotObject = "input.job-not-object"
        case wrongType = "input.wrong-type"
        case duplicateMember = "input.duplicate-member"
        case ambiguousMember = "input.ambiguous-member"
        case missingJobID = "input.missing-job-id"
        case mixedKinds = "input.mixed-kinds"
        case misplacedKind = "input.misplaced-kind"
        case ambiguousListing = "input.ambiguous-listing"
        case missingResourceARN = "input.missing-resource-arn"
        case notAnARN = "input.not-an-arn"
        case csv = "input.csv"
    }

    /// A position in the (decompressed) input. Lines and columns are 1-based; columns count bytes.
    public struct Location: Equatable, Sendable {
        public var line: Int
        public var column: Int
        public var byteOffset: Int

        public init(line: Int, column: Int, byteOffset: Int) {
            self.line = line
            self.column = column
            self.byteOffset = byteOffset
        }
    }

    public var code: Code
    /// The file's path as given, `<stdin>` for standard input.
    public var source: String
    public var location: Location?
    /// The input was gzip-compressed; the location is in the decompressed text.
    public var isCompressed: Bool
    /// Where in the data: `BackupJobs[12].State`, `document 2: CopyJobs[0]`, `job 7`.
    public var context: String?
    public var message: String

    public init(
        _ code: Code, source: String, location: Location? = nil, isCompressed: Bool = false,
        context: String? = nil, message: String
    ) {
        self.code = code
        self.source = source
        self.location = location
        self.isCompressed = isCompressed
        self.context = context
        self.message = message
    }

    /// `jobs.json:3:17: error[input.wrong-type]: BackupJobs[12].State: expected a string, found the number 5`
    public var description: String {
        var text = Self.describe(code: code.rawValue, source: source, location: location, context: context, message: message)
        if let location {
            text += " (byte \(location.byteOffset)" + (isCompressed ? " of the decompressed data)" : ")")
        }
        return text
    }

    /// How every input error of the tool reads: `FILE:LINE:COLUMN: error[CODE]: CONTEXT: MESSAGE`
    /// (the place and the context only when known), as compilers write theirs.
    public static func describe(code: String, source: String, location: Location?, context: String?, message: String) -> String {
        var place = source
        if let location { place += ":\(location.line):\(location.column)" }
        var text = "\(place): error[\(code)]: "
        if let context { text += "\(context): " }
        return text + message
    }
}
