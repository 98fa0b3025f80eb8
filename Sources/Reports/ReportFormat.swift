/// What a caller chooses about its reports; each reporter takes what concerns it.
public struct ReportOptions: Sendable {
    /// ANSI colours in the text report (the caller decides: a terminal, and NO_COLOR unset).
    public var color: Bool
    /// Passing subjects and full explanations in the text report.
    public var verbose: Bool
    /// JUnit cases per rule or per subject.
    public var junitGranularity: JUnitReporter.Granularity
    /// The command the text report heads with: `check`, or `eval` for an ad-hoc rule.
    public var command: String
    /// What the text report adds where it stops listing a rule's findings, to say how to see the
    /// rest: the caller's words (a library does not know its flags).
    public var moreFindingsHint: String?

    public init(
        color: Bool = false, verbose: Bool = false, junitGranularity: JUnitReporter.Granularity = .rule, command: String = "check",
        moreFindingsHint: String? = nil
    ) {
        self.color = color
        self.verbose = verbose
        self.junitGranularity = junitGranularity
        self.command = command
        self.moreFindingsHint = moreFindingsHint
    }
}

/// A report format: its name (as `--report` takes it), the extension and media type of its
/// files, and how to make its reporter. Every format is in `ReportFormat.all`, the one registry the
/// command line, its help and the docs read.
public struct ReportFormat: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let fileExtension: String
    public let mediaType: String
    private let make: @Sendable (ReportOptions) -> any Reporter

    init(name: String, fileExtension: String, mediaType: String, make: @escaping @Sendable (ReportOptions) -> any Reporter) {
        self.name = name
        self.fileExtension = fileExtension
        self.mediaType = mediaType
        self.make = make
    }

    /// The reporter for these options.
    public func reporter(_ options: ReportOptions) -> any Reporter { make(options) }

    public var description: String { name }
    public static func == (a: Self, b: Self) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    public static let text = ReportFormat(name: "text", fileExtension: "txt", mediaType: "text/plain; charset=utf-8") {
        TextReporter(color: $0.color, verbose: $0.verbose, command: $0.command, moreFindingsHint: $0.moreFindingsHint)
    }
    public static let junit = ReportFormat(name: "junit", fileExtension: "xml", mediaType: "application/xml") {
        JUnitReporter(granularity: $0.junitGranularity)
    }
    public static let json = ReportFormat(name: "json", fileExtension: "json", mediaType: "application/json") { _ in JSONReporter() }
    public static let csv = ReportFormat(name: "csv", fileExtension: "csv", mediaType: "text/csv; charset=utf-8; header=present") { _ in CSVReporter() }
    public static let markdown = ReportFormat(name: "markdown", fileExtension: "md", mediaType: "text/markdown; charset=utf-8") { _ in MarkdownReporter() }
    public static let sarif = ReportFormat(name: "sarif", fileExtension: "sarif", mediaType: "application/sarif+json") { _ in SARIFReporter() }
    public static let html = ReportFormat(name: "html", fileExtension: "html", mediaType: "text/html; charset=utf-8") { _ in HTMLReporter() }

    /// Every format, in the order help and docs list them.
    public static let all: [ReportFormat] = [.text, .junit, .json, .csv, .markdown, .sarif, .html]

    /// The format of this name, if there is one.
    public static func named(_ name: String) -> ReportFormat? {
        all.first { $0.name == name }
    }
}
