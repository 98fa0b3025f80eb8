import Foundation
import TestSupport
import Testing

/// `check --report html=FILE` on the README's first command, opened in headless Chromium: what a
/// person sees is asserted from the DOM after the page's script ran.
@Suite(.enabled(if: HeadlessChromium.isUsable, "needs chromium-headless-shell (apt-get install chromium-headless-shell); CI requires it"))
struct HTMLReportCommandTests {
    /// The README's first command.
    static let readme = ["check", "--rules", "rules/", "rules/copies-and-restores/", "--jobs", "examples/list-backup-jobs.json", "examples/api-pages",
                         "examples/list-copy-jobs.json", "examples/list-restore-jobs.json", "--now", "2026-11-28T12:00:00Z"]
    /// The reviewable picture of the page, refreshed on purpose (UPDATE_GOLDENS=1) like a golden;
    /// the README shows the same picture.
    static let screenshot = CLI.packageRoot.appendingPathComponent("Tests/BackupAuditCLITests/Screenshots/example-report.png")
    static let readmeScreenshot = CLI.packageRoot.appendingPathComponent("docs/images/html-report.png")

    @Test func theExamplePageShowsTheVerdictRulesSubjectsAndCalendar() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: out) }
        let page = out.appendingPathComponent("report.html")
        let result = try CLI.run(Self.readme + ["--report", "html=\(page.path)", "--report", "json=\(out.path)/r.json"])
        #expect(result.status == 1, "\(result.error)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("r.json"))) as! [String: Any]
        let rules = json["rules"] as! [[String: Any]]

        let shown = try HeadlessChromium.open(page)
        let failed = rules.count { $0["status"] as? String == "fail" }
        #expect(SerializedDOM.texts(shown.dom, startTag: "<h1 id=\"verdict\" class=\"verdict s-fail\" data-verdict=\"fail\">") == ["✗ \(failed) rules failing"])
        #expect(SerializedDOM.texts(shown.dom, startTag: "<time id=\"now\" datetime=\"2026-11-28T12:00:00.000Z\">") == ["2026-11-28T12:00:00.000Z"])
        #expect(SerializedDOM.texts(shown.dom, startTag: "<code class=\"rule-id\">").sorted() == rules.map { $0["id"] as! String }.sorted())
        let subjects = rules.flatMap { ($0["findings"] as! [[String: Any]]).map { $0["subject"] as! String } }
        #expect(!subjects.isEmpty)
        #expect(SerializedDOM.texts(shown.dom, startTag: "<code class=\"subject\">").sorted() == subjects.sorted())
        for input in json["inputs"] as! [[String: Any]] {
            #expect(shown.dom.contains(">\(input["sha256"] as! String)<"), "\(input["path"]!)")
        }
        // daily-backups fails vol-8daceee2092f073ff for 2026-11-25: its one job that day failed.
        let volume = "arn:aws:ec2:eu-west-1:123456789012:volume/vol-8daceee2092f073ff"
        let row = try #require(shown.dom.components(separatedBy: "<tr class=\"resource\" data-resource=\"\(volume)\"").dropFirst().first)
        let cells = row.components(separatedBy: "</tr>")[0]
        #expect(cells.contains("data-day=\"2026-11-25\" data-outcome=\"failed\""))
        #expect(cells.contains("data-day=\"2026-11-24\" data-outcome=\"completed\""))
        #expect(cells.contains("title=\"2026-11-25 \(volume): failed, 1 job; latest "))
        #expect(shown.requests.isEmpty, "the page made requests: \(shown.requests)")

        // The picture: kept under Tests and in the docs when refreshed on purpose, else taken to
        // see that the page renders.
        let refresh = ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1"
        let png = refresh ? Self.screenshot : out.appendingPathComponent("page.png")
        try HeadlessChromium.screenshot(page, to: png, width: 1280, height: 1800)
        #expect(try Data(contentsOf: png).starts(with: [0x89, 0x50, 0x4E, 0x47]))
        if refresh {
            try? FileManager.default.removeItem(at: Self.readmeScreenshot)
            try FileManager.default.copyItem(at: png, to: Self.readmeScreenshot)
        }
        #expect(FileManager.default.fileExists(atPath: Self.screenshot.path), "no screenshot kept; UPDATE_GOLDENS=1 takes one")
    }
}
