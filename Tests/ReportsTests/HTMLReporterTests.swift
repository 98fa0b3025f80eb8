import BackupJobs
import Foundation
import TestSupport
@testable import Reports
import RuleEngine
import RuleLanguage
import Testing

/// The HTML report: text from the data never becomes markup, and the page a browser shows holds
/// what the evaluation found and loads nothing.
struct HTMLReporterTests {
    /// Strings that would break out of an element, an attribute or the script, or hide and
    /// reorder text: the ones the Markdown and CSV tests use, and `</script>`.
    static let hostile = [
        "</script><script>alert(1)</script>",
        "\"'><img src=x onerror=alert(1)>",
        "vol-1\r\n# \u{1B}[31mgone`x\u{202E}",
        "&#x202E;&lt;b&gt; &amp;",
        "<\u{301}script>a\"\u{301}b",
        "=HYPERLINK(\"x\") |<2>`",
        "nul\u{0} nel\u{85} ls\u{2028} rlo\u{202E}fdp.exe",
    ]

    @Test(arguments: hostile)
    func textIsEscapedByScalars(_ value: String) {
        let escaped = HTMLText.escaped(value)
        #expect(!escaped.unicodeScalars.contains { ["<", ">", "\"", "'"].contains($0) || TerminalText.needsEscape($0) }, "\(escaped)")
        // Every & starts one of the references it writes itself (by scalars: `;` and a combining
        // mark are one Character).
        let scalars = Array(escaped.unicodeScalars)
        for index in scalars.indices where scalars[index] == "&" {
            #expect(["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].contains { scalars[index...].starts(with: $0.unicodeScalars) }, "\(escaped)")
        }
    }

    @Test func newlinesAreKeptOnlyWhenAsked() {
        #expect(HTMLText.escaped("a\nb\u{1B}", keepingNewlines: true) == "a\nb\\u{1B}")
        #expect(HTMLText.escaped("a\nb") == "a\\nb")
    }

    /// The policy pins the page's one style sheet and one script by hash: what is inlined is what
    /// is hashed, and nothing else may load.
    @Test func policyAllowsOnlyTheInlinedStyleAndScript() async throws {
        let page = String(decoding: try HTMLReporter().render(try await ReporterTests.context()), as: UTF8.self)
        #expect(HTMLAssets.policy.hasPrefix("default-src 'none'; style-src 'sha256-"))
        #expect(!HTMLAssets.policy.contains("unsafe"))
        #expect(page.contains("<style>\(HTMLAssets.style)</style>") && page.contains("<script>\(HTMLAssets.script)</script>"))
        #expect(page.components(separatedBy: "<script").count == 2 && page.components(separatedBy: "<style").count == 2)
        #expect(!page.contains(" style=\""))
    }

    /// Rules with findings come first, in the program's order among themselves.
    @Test func rulesWithFindingsComeFirst() async throws {
        let results = try await ReporterTests.context().evaluation.results
        let ordered = HTMLReporter.ordered(results).map(\.status)
        let ranks = ordered.map { [.fail, .error].contains($0) ? 0 : [.waived, .notJudged].contains($0) ? 1 : $0 == .empty ? 2 : 3 }
        #expect(ranks == ranks.sorted())
        #expect(Set(HTMLReporter.ordered(results).map(\.rule.id)) == Set(results.map(\.rule.id)))
    }

    /// The subject is what the filters read an account and a type from.
    @Test(arguments: [
        ("arn:aws:rds:us-east-1:123456789012:db:orders-db-3", "123456789012", "rds"),
        ("arn:aws:ec2:eu-west-1:111111111111:volume/vol-1", "111111111111", "ec2"),
        ("arn:aws:s3:::bucket", nil, "s3"),
        ("123456789012", "123456789012", nil),
        ("F5830DC6-D70D-4800-9BD8-9798F6A4AF2F", nil, nil),
    ] as [(String, String?, String?)])
    func accountAndTypeComeFromTheSubject(_ subject: String, _ account: String?, _ type: String?) {
        let found = HTMLFindingView.accountAndType(of: subject)
        #expect(found.0 == account && found.1 == type)
    }

    /// The reporter's context with hostile text in every place the page shows data (messages and
    /// explanations quote the hostile StatusMessage of the context's failed job).
    static func hostileContext() async throws -> ReportContext {
        var context = try await ReporterTests.context()
        let index = try #require(context.evaluation.results.firstIndex { $0.status == .fail && !$0.findings.isEmpty })
        let template = context.evaluation.results[index].findings[0]
        context.evaluation.results[index].findings = hostile.enumerated().map { offset, text in
            var finding = template
            finding.subject = "arn:aws:ec2:eu-west-1:111111111111:volume/" + text
            finding.evidence = [EvidenceRecord(.copyJob, text)]
            return finding
        }
        context.evaluation.results[index].rule.title = hostile[0]
        context.inputs[0].files[0].path = hostile[1]
        // The calendar draws resources, accounts, types and job ids from the data too.
        context.backupJobs = RecordTable(hostile.enumerated().map { offset, text in
            job(text, .failed, resource: "arn:aws:ec2:eu-west-1:111111111111:volume/" + text, type: text, account: text, createdHoursAgo: Double(offset))
        })
        context.window = Timestamp(iso8601: "2026-11-27T00:00:00Z")!...Timestamp(iso8601: "2026-11-28T12:00:00Z")!
        return context
    }
}

/// The page as headless Chromium shows it: asserted from the DOM after the page's script ran.
@Suite(.enabled(if: HeadlessChromium.isUsable, "needs chromium-headless-shell (apt-get install chromium-headless-shell); CI requires it"))
struct HTMLReportInBrowserTests {
    static func open(_ context: ReportContext) throws -> HeadlessChromium.Page {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).html")
        try Data(try HTMLReporter().render(context)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try HeadlessChromium.open(file)
    }

    @Test func hostileTextStaysText() async throws {
        let context = try await HTMLReporterTests.hostileContext()
        let page = try Self.open(context)
        // The page's own script ran (its hash matched the policy): it showed the filters.
        #expect(page.dom.contains("<form id=\"filters\" aria-label="), "the filter form is still hidden: the script did not run")
        #expect(SerializedDOM.count(page.dom, element: "script") == 1)
        #expect(SerializedDOM.count(page.dom, element: "img") == 0)
        #expect(page.requests.isEmpty, "\(page.requests)")
        let failing = try #require(context.evaluation.results.first { $0.rule.title == HTMLReporterTests.hostile[0] })
        #expect(SerializedDOM.texts(page.dom, startTag: "<code class=\"subject\">").prefix(HTMLReporterTests.hostile.count)
                == ArraySlice(failing.findings.map { TerminalText.escaped($0.subject) }))
        // Messages and explanations are worded from the finding's detail, which quotes the failed
        // job's StatusMessage (ESC, <script>, quotes).
        let now = context.evaluation.now
        let messages = failing.findings.map { FindingText.message($0, of: failing.rule, now: now) }
        #expect(messages.allSatisfy { $0.contains("<script>") && $0.contains(#"\u{1B}"#) })
        #expect(SerializedDOM.texts(page.dom, startTag: "<summary class=\"message\">").prefix(HTMLReporterTests.hostile.count)
                == ArraySlice(messages.map { TerminalText.escaped($0) }))
        #expect(SerializedDOM.texts(page.dom, startTag: "<code class=\"record\">").prefix(HTMLReporterTests.hostile.count)
                == ArraySlice(failing.findings.map { TerminalText.escaped($0.evidence[0].id) }))
        #expect(SerializedDOM.texts(page.dom, startTag: "<pre class=\"explanation\">").prefix(HTMLReporterTests.hostile.count)
                == ArraySlice(failing.findings.map { TerminalText.escaped(FindingText.explanation($0, of: failing.rule, now: now), keeping: ["\n"]) }))
        #expect(page.dom.contains(SerializedDOM.encodedText(TerminalText.escaped(HTMLReporterTests.hostile[1]))))
        // The calendar's rows name the hostile resources as text, each with its failed day.
        let resources = try #require(context.backupJobs).count
        #expect(SerializedDOM.count(page.dom, element: "tr class=\"resource\"") == resources)
        #expect(page.dom.components(separatedBy: "data-day=\"2026-11-28\" data-outcome=\"failed\"").count - 1 == resources)
    }

    @Test func everyRuleAndVerdictIsShown() async throws {
        let context = try await ReporterTests.context()
        let page = try Self.open(context)
        #expect(SerializedDOM.texts(page.dom, startTag: "<h1 id=\"verdict\" class=\"verdict s-fail\" data-verdict=\"fail\">")
                == ["✗ " + ReportVerdict(context).text])
        #expect(Set(SerializedDOM.texts(page.dom, startTag: "<code class=\"rule-id\">")) == Set(context.evaluation.results.map(\.rule.id)))
        let subjects = context.evaluation.results.flatMap { $0.findings.map(\.subject) }
        #expect(SerializedDOM.texts(page.dom, startTag: "<code class=\"subject\">").sorted() == subjects.map { TerminalText.escaped($0) }.sorted())
        #expect(page.dom.contains("\(context.evaluation.results.count) of \(context.evaluation.results.count) rules shown"))
        #expect(page.requests.isEmpty, "\(page.requests)")
    }

    /// The request check can fail: a page that loads an image from loopback is seen doing it.
    @Test func aRequestIsSeen() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("request-\(UUID().uuidString).html")
        try Data("<!DOCTYPE html><img src=\"http://127.0.0.1:9/pixel.png\"><p>x</p>".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try HeadlessChromium.open(file).requests == ["http://127.0.0.1:9/pixel.png"])
    }
}
