public import Foundation

/// Debian's `chromium-headless-shell`, for tests that open a page the way a person would and
/// judge what the browser made of it: the DOM after the page's script ran, the requests it made,
/// a screenshot. `.ci/run` installs it and sets `BACKUP_AUDIT_REQUIRE_SHARED=1`, so there a
/// missing browser fails the tests instead of skipping them.
public enum HeadlessChromium {
    public static let executable: String? = ["/usr/bin/chromium-headless-shell", "/usr/lib/chromium/chromium-headless-shell"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Whether the tests that need it run: it is there, or CI requires them.
    public static var isUsable: Bool {
        executable != nil || ProcessInfo.processInfo.environment["BACKUP_AUDIT_REQUIRE_SHARED"] == "1"
    }

    public struct NotInstalled: Error, CustomStringConvertible {
        public var description: String { "chromium-headless-shell is not installed, and BACKUP_AUDIT_REQUIRE_SHARED requires the tests that use it" }
    }

    /// What the browser made of a page.
    public struct Page: Sendable {
        /// The document as the browser serializes it after loading and running its script.
        public var dom: String
        /// Every URL the network log saw requested (the page's own file is not one).
        public var requests: Set<String>
    }

    /// Opens a local file and returns its DOM and the requests it made.
    public static func open(_ file: URL) throws -> Page {
        try withProfile { profile in
            let netLog = profile.appendingPathComponent("net-log.json")
            let result = try run(["--log-net-log=\(netLog.path)", "--dump-dom", file.absoluteString], profile: profile)
            guard result.status == 0 else { throw Failed(status: result.status, error: result.error) }
            let log = try JSONSerialization.jsonObject(with: Data(contentsOf: netLog))
            var requests = Set<String>()
            collectURLs(log, into: &requests)
            requests.remove(file.absoluteString)
            return Page(dom: result.output, requests: requests)
        }
    }

    /// A PNG of the page at this window size.
    public static func screenshot(_ file: URL, to png: URL, width: Int = 1280, height: Int = 1600) throws {
        try withProfile { profile in
            let result = try run(["--hide-scrollbars", "--window-size=\(width),\(height)", "--screenshot=\(png.path)", file.absoluteString], profile: profile)
            guard result.status == 0 else { throw Failed(status: result.status, error: result.error) }
        }
    }

    public struct Failed: Error, CustomStringConvertible {
        public var status: Int32
        public var error: String
        public var description: String { "chromium-headless-shell exited \(status): \(error.suffix(2000))" }
    }

    /// A profile of its own per run, so tests running side by side share no browser state.
    private static func withProfile<T>(_ body: (URL) throws -> T) throws -> T {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: profile) }
        return try body(profile)
    }

    private static func run(_ arguments: [String], profile: URL) throws -> ProcessResult {
        guard let executable else { throw NotInstalled() }
        // Root in a container has no usable sandbox, and there is no GPU.
        return try ProcessRunner.run(executable, ["--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)"] + arguments,
                                     timeout: .seconds(120))
    }

    private static func collectURLs(_ value: Any, into urls: inout Set<String>) {
        if let object = value as? [String: Any] {
            for (key, item) in object {
                if key == "url" || key == "original_url", let url = item as? String { urls.insert(url) }
                collectURLs(item, into: &urls)
            }
        } else if let array = value as? [Any] {
            for item in array { collectURLs(item, into: &urls) }
        }
    }
}

/// Text read back from a DOM the browser serialized: the contents of elements found by their
/// start tag, with the browser's few character references (`&amp;`, `&lt;`, `&gt;`, `&nbsp;`,
/// `&quot;`) read back.
public enum SerializedDOM {
    /// The text of every element that starts exactly with `startTag` (`<code class="subject">`)
    /// and holds no other element.
    public static func texts(_ dom: String, startTag: String) -> [String] {
        let name = startTag.dropFirst().prefix { $0.isLetter || $0.isNumber }
        var texts: [String] = []
        var rest = dom[...]
        while let open = rest.range(of: startTag) {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "</\(name)>") else { break }
            texts.append(decoded(String(rest[..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return texts
    }

    /// How many elements of this name the DOM holds (`script`, `img`).
    public static func count(_ dom: String, element name: String) -> Int {
        dom.components(separatedBy: "<\(name)").dropFirst().count { $0.first == " " || $0.first == ">" }
    }

    private static let references: [(text: String, character: String)] =
        [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", "\u{A0}"), ("&quot;", "\"")]

    /// Text as the browser serializes it in an element (`&`, `<`, `>` and no-break spaces as references).
    public static func encodedText(_ text: String) -> String {
        replacing(text) { scalars, index in
            references.prefix(4).first { String($0.character).unicodeScalars.first == scalars[index] }.map { ($0.text, 1) }
        }
    }

    public static func decoded(_ text: String) -> String {
        replacing(text) { scalars, index in
            references.first { reference in
                let wanted = Array(reference.text.unicodeScalars)
                return scalars[index...].starts(with: wanted)
            }.map { ($0.character, $0.text.unicodeScalars.count) }
        }
    }

    // By scalars, not Characters: a reference followed by a combining mark is one Character.
    private static func replacing(_ text: String, _ match: ([Unicode.Scalar], Int) -> (String, Int)?) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if let (replacement, length) = match(scalars, index) {
                out.append(contentsOf: replacement.unicodeScalars)
                index += length
            } else {
                out.append(scalars[index])
                index += 1
            }
        }
        return String(out)
    }
}
