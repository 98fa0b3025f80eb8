// Public: QueryRenderer.Format conforms to ExpressibleByArgument here.
public import ArgumentParser
import BackupJobs
import Foundation
public import Reports
import RuleEngine
import RuleLanguage

struct Query: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the jobs or groups that match a condition: jq for backup jobs, type-checked.",
        discussion: """
            QUERY is a subject and an optional condition, as in a rule: 'job where State == FAILED \
            and CreationDate within 2d', 'resource where count(jobs where Finished) == 0', \
            'account'. Columns are fields for jobs and figures or fields of one job for groups: \
            --columns 'ResourceArn,count(jobs),latest(jobs).State'. A bad query gets the same \
            diagnostics as a bad rule.

            Exit status: 0 when something matched, 1 when nothing did (as grep), 2 for an invalid \
            query or data or a value that overflows (named on standard error), 3 when fetching \
            failed.
            """
    )

    @Argument(help: ArgumentHelp("SUBJECT [where CONDITION]", valueName: "query"))
    var query: String

    @OptionGroup var source: JobSourceOptions

    @Option(help: ArgumentHelp("Columns, separated by commas (commas inside parentheses stay in the column).", valueName: "columns"))
    var columns: String?

    @Option(help: ArgumentHelp("Sort by these columns, separated by commas; COLUMN:desc sorts descending. Default: jobs newest first, groups by key.", valueName: "columns"))
    var sort: String?

    @Option(help: ArgumentHelp("Show at most this many rows.", valueName: "n"))
    var limit: Int?

    @Option(help: "Output: an aligned table, JSON (an array of objects) or CSV.")
    var format: QueryRenderer.Format = .table

    @OptionGroup var clock: ClockOptions

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }

    func run() async throws {
        let time = try clock.instant()
        let querySource = SourceFile(name: "<query>", text: query)
        let columnSources = try columns.map { try Self.list($0, option: "--columns").enumerated().map { SourceFile(name: "--columns \($0.offset + 1)", text: $0.element) } }
        let (compiled, diagnostics) = QueryCompiler.compile(querySource, columns: columnSources)
        if !diagnostics.isEmpty {
            let registry = Dictionary(([querySource] + (columnSources ?? [])).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            Terminal.error(DiagnosticRenderer.render(diagnostics, sources: registry))
        }
        guard let compiled else {
            Terminal.error("backup-audit: the query has errors; nothing was run")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
        let names = QueryRunner.columnNames(compiled)
        // A JSON object cannot hold one key twice.
        if let twice = names.enumerated().first(where: { names[..<$0.offset].contains($0.element) })?.element {
            throw ValidationError("--columns: '\(twice)' is given twice")
        }
        let order = try QueryOrder(keys: sortKeys(names), limit: limit)
        let listing = try await source.load(now: time)
        let result = QueryRunner.run(compiled, listing: listing, now: time, order: order)
        if !result.isAnswered {
            // No table: a row missing the value that overflowed would read as an answer.
            let why = result.fault.map(FaultText.message)
                ?? NotJudgedText.missing(result.missingKinds, reader: "the query")
            Terminal.error("backup-audit: the query could not be evaluated: \(why)")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
        for warning in result.warnings { Terminal.error("warning: " + WarningText.line(warning)) }
        Terminal.write(String(decoding: QueryRenderer.render(result, as: format), as: UTF8.self))
        if result.matched == 0 { throw ExitCode(ExitStatus.ruleFailed.rawValue) }
    }

    /// `--sort` resolved to column indexes; an unknown column is a usage error with a suggestion.
    func sortKeys(_ names: [String]) throws -> [(column: Int, descending: Bool)] {
        guard let sort else { return [] }
        return try Self.list(sort, option: "--sort").map { item in
            var name = item
            var descending = false
            for suffix in [":desc", ":asc"] where name.lowercased().hasSuffix(suffix) {
                descending = suffix == ":desc"
                name = String(name.dropLast(suffix.count))
            }
            let normalized = name.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            guard let index = names.firstIndex(of: normalized) else {
                let suggestion = Spelling.closest(to: normalized, among: names, limit: 1).first.map { "; did you mean '\($0)'?" } ?? ""
                throw ValidationError("--sort: there is no column '\(normalized)'\(suggestion); columns: \(names.joined(separator: ", "))")
            }
            return (index, descending)
        }
    }

    /// A comma-separated list of an option, refused when an item is empty.
    static func list(_ text: String, option: String) throws -> [String] {
        let items = split(text)
        if let empty = items.firstIndex(of: "") {
            throw ValidationError("\(option): item \(empty + 1) of '\(text)' is empty; separate columns with single commas")
        }
        return items
    }

    /// Splits on commas outside parentheses and quotes: `count(jobs where State in ["A", "B"])` is one column.
    /// It reads Unicode scalars, as the rule lexer does (a quote or comma followed by a combining mark
    /// is one Swift Character that is neither), and skips `\"` inside a string literal.
    static func split(_ text: String) -> [String] {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var depth = 0
        var quoted = false, escaped = false
        for scalar in text.unicodeScalars {
            if quoted {
                if escaped { escaped = false } else if scalar == "\\" { escaped = true } else if scalar == "\"" { quoted = false }
            } else {
                switch scalar {
                case "\"": quoted = true
                case "(", "[": depth += 1
                case ")", "]": depth -= 1
                case "," where depth == 0:
                    parts.append(String(current).trimmingCharacters(in: .whitespaces))
                    current = String.UnicodeScalarView()
                    continue
                default: break
                }
            }
            current.append(scalar)
        }
        parts.append(String(current).trimmingCharacters(in: .whitespaces))
        return parts
    }
}

extension QueryRenderer.Format: ExpressibleByArgument {}
