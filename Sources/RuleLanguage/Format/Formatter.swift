/// Prints rule files in the one canonical layout (`backup-audit fmt`), keeping every comment.
///
/// Items are separated by one blank line; metadata is indented two spaces; a body that fits in
/// `width` columns stays on one line, else the assertion moves to the next line and long
/// conditions break before `and` / `or`. Literals keep their spelling (`90m` stays `90m`).
public enum Formatter {
    public static let width = 100

    /// The canonical text of a whole file.
    public static func format(_ file: RuleFile, source: SourceFile) -> String {
        var printer = FilePrinter(file: file, source: source)
        return printer.print()
    }

    /// A body on one line, as reports quote it.
    public static func format(_ body: Body) -> String {
        BodyLayout.lines(body, indent: 0, width: .max).joined(separator: " ")
    }

    /// An expression on one line.
    public static func format(_ expr: Expr) -> String {
        ExpressionPrinter.print(expr)
    }
}

/// One line element of the output and where it came from, so comments can find their place.
private struct Element {
    var lines: [String]
    var range: SourceRange
}

private struct FilePrinter {
    let file: RuleFile
    let source: SourceFile
    var comments: [Comment]
    var output: [String] = []

    init(file: RuleFile, source: SourceFile) {
        self.file = file
        self.source = source
        comments = file.comments
    }

    mutating func print() -> String {
        for (index, item) in file.items.enumerated() {
            // One blank line between items; parameters declared together stay together.
            let groupedParameter: Bool = if index > 0, case .parameter = item, case .parameter = file.items[index - 1] { true } else { false }
            if (index > 0 || !output.isEmpty) && !groupedParameter { output.append("") }
            switch item {
            case .parameter(let parameter):
                emit(Element(lines: ["param \(parameter.name.text) = \(ExpressionPrinter.print(parameter.value))"], range: parameter.range))
            case .waiver(let waiver):
                emit(Element(lines: Self.waiverLines(waiver), range: waiver.range))
            case .rule(let rule):
                printRule(rule)
            case .test(let test):
                printTest(test)
            }
        }
        // Comments after the last item.
        if !comments.isEmpty {
            if !output.isEmpty { output.append("") }
            output += comments.map { "#" + $0.text }
            comments.removeAll()
        }
        while output.last == "" { output.removeLast() }
        return output.isEmpty ? "" : output.joined(separator: "\n") + "\n"
    }

    mutating func printRule(_ rule: RuleDecl) {
        let brace = source.utf8[rule.id.range.end...].firstIndex(of: UInt8(ascii: "{")) ?? rule.id.range.end
        emit(Element(lines: ["rule \(rule.id.text) {"], range: SourceRange(rule.range.start, brace + 1)))
        for item in rule.metadata {
            emit(Element(lines: ["  " + Self.metadataLine(item)], range: item.range))
        }
        if let body = rule.body {
            if !rule.metadata.isEmpty { output.append("") }
            emit(Element(lines: BodyLayout.lines(body, indent: 2, width: Formatter.width), range: body.range))
        }
        emit(Element(lines: ["}"], range: SourceRange(rule.range.end - 1, rule.range.end)), indent: "  ")
    }

    mutating func printTest(_ test: TestDecl) {
        let brace = source.utf8[test.name.range.end...].firstIndex(of: UInt8(ascii: "{")) ?? test.name.range.end
        emit(Element(lines: ["test \(ExpressionPrinter.print(test.name)) {"], range: SourceRange(test.range.start, brace + 1)))
        for statement in test.statements {
            emit(Element(lines: Self.testLines(statement).map { "  " + $0 }, range: statement.range))
        }
        emit(Element(lines: ["}"], range: SourceRange(test.range.end - 1, test.range.end)), indent: "  ")
    }

    /// A statement of a test; a job that does not fit on one line gets a line per field.
    static func testLines(_ statement: TestStatement) -> [String] {
        switch statement {
        case .now(let time, _):
            return ["now " + ExpressionPrinter.print(time)]
        case .parameter(let parameter):
            return ["param \(parameter.name.text) = \(ExpressionPrinter.print(parameter.value))"]
        case .fixture(let path, _):
            return ["jobs " + ExpressionPrinter.print(path)]
        case .job(let job):
            let members = job.members.map { ExpressionPrinter.print($0.field) + " = " + ExpressionPrinter.print($0.value) }
            let noun = (job.kind.map { $0.text + " " } ?? "") + "job"
            let oneLine = "\(noun) { " + members.joined(separator: ", ") + " }"
            if members.isEmpty { return ["\(noun) {}"] }
            if oneLine.count + 2 <= Formatter.width { return [oneLine] }
            return ["\(noun) {"] + members.map { "  " + $0 + "," } + ["}"]
        case .expectation(let expectation):
            let subject = expectation.subject.map { " for " + ExpressionPrinter.print($0) } ?? ""
            return ["expect \(expectation.rule.text) \(expectation.passes ? "passes" : "fails")" + subject]
        }
    }

    /// Writes an element with the comments that belong to it: own-line comments before it (and
    /// any inside it), a comment at the end of its last line after it.
    mutating func emit(_ element: Element, indent: String? = nil) {
        let prefix = indent ?? String(element.lines[0].prefix { $0 == " " })
        var leading: [Comment] = []
        var trailing: Comment?
        let lastLine = source.lineIndex(of: max(element.range.start, element.range.end - 1))
        comments.removeAll { comment in
            if comment.range.start < element.range.start || (comment.range.start < element.range.end && !comment.isTrailing) {
                leading.append(comment)
                return true
            }
            if comment.isTrailing && source.lineIndex(of: comment.range.start) <= lastLine {
                if trailing == nil && source.lineIndex(of: comment.range.start) == lastLine {
                    trailing = comment
                } else {
                    leading.append(comment)
                }
                return true
            }
            return false
        }
        for (index, comment) in leading.enumerated() {
            output.append(prefix + "#" + comment.text)
            // A blank line after a comment in the source (a file header, a section note) stays.
            let next = index + 1 < leading.count ? leading[index + 1].range.start : element.range.start
            if source.lineIndex(of: next) > source.lineIndex(of: comment.range.start) + 1 && blankLineBetween(comment.range.end, next) {
                output.append("")
            }
        }
        var lines = element.lines
        if let trailing { lines[lines.count - 1] += "  #" + trailing.text }
        output += lines
    }

    /// Whether only whitespace, with an empty line, lies between two offsets.
    func blankLineBetween(_ start: Int, _ end: Int) -> Bool {
        let between = source.utf8[start..<end]
        return between.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
            && between.filter { $0 == UInt8(ascii: "\n") }.count >= 2
    }

    static func metadataLine(_ item: Metadata) -> String {
        item.kind.rawValue + " " + item.values.map(ExpressionPrinter.print).joined(separator: ", ")
    }

    static func waiverLines(_ waiver: WaiverDecl) -> [String] {
        let target: String = switch waiver.target {
        case .subjects(let ids): "for " + ids.map(ExpressionPrinter.print).joined(separator: ", ")
        case .matching(let condition): "where " + ExpressionPrinter.print(condition)
        }
        return [
            "waive \(waiver.rule.text) \(target)",
            "  until \(ExpressionPrinter.print(waiver.until)) because \(ExpressionPrinter.print(waiver.reason))",
        ]
    }
}

/// Lays out a body in lines no wider than `width` where it can.
enum BodyLayout {
    static func lines(_ body: Body, indent: Int, width: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        let head: String
        var filter: Expr?
        var assertion: String?
        switch body {
        case .every(let subject, let f, let a, _):
            head = "every " + subjectText(subject)
            filter = f
            assertion = assertionText(a)
        case .no(let subject, let f, _):
            head = "no " + subjectText(subject)
            filter = f
        }
        let firstLine = head + (filter.map { " where " + ExpressionPrinter.print($0) } ?? "")
        let oneLine = firstLine + (assertion.map { " " + $0 } ?? "")
        if indent + oneLine.count <= width { return [pad + oneLine] }
        var lines = wrap(firstLine, indent: indent, width: width)
        if let assertion { lines += wrap(assertion, indent: indent + 2, width: width) }
        return lines
    }

    /// Breaks a line before top-level ` and ` / ` or ` when it is too wide.
    static func wrap(_ text: String, indent: Int, width: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        guard indent + text.count > width else { return [pad + text] }
        var lines: [String] = []
        var current = ""
        for piece in ExpressionPrinter.splitAtTopLevelConnectives(text) {
            if current.isEmpty {
                current = piece
            } else if indent + current.count + 1 + piece.count <= width {
                current += " " + piece
            } else {
                lines.append(current)
                current = "  " + piece
            }
        }
        lines.append(current)
        return lines.map { pad + $0 }
    }

    static func subjectText(_ subject: Subject) -> String {
        switch subject.kind {
        case .job(let kind): (kind.map { $0.text + " " } ?? "") + "job"
        case .resource: "resource"
        case .account: "account"
        case .vault: "vault"
        case .plan: "plan"
        case .resourceType: "resource type"
        case .group(let by): "group by " + ExpressionPrinter.print(by)
        }
    }

    static func assertionText(_ assertion: Assertion) -> String {
        switch assertion {
        case .satisfies(let condition, _):
            return "satisfies " + ExpressionPrinter.print(condition)
        case .latest(let kind, let filter, let condition, _):
            return "latest " + (kind.map { $0.text + " " } ?? "") + "job" + (filter.map { " where " + ExpressionPrinter.print($0) } ?? "") + " satisfies " + ExpressionPrinter.print(condition)
        case .has(let quantity, let kind, let filter, let days, _):
            let word = kind.map { $0.text + " " } ?? ""
            let count: String = switch quantity {
            case .some: "\(word)job"
            case .none: "no \(word)job"
            case .atLeast(let n): "at least \(ExpressionPrinter.print(n)) \(word)jobs"
            case .atMost(let n): "at most \(ExpressionPrinter.print(n)) \(word)jobs"
            case .exactly(let n): "exactly \(ExpressionPrinter.print(n)) \(word)jobs"
            }
            return "has " + count + (filter.map { " where " + ExpressionPrinter.print($0) } ?? "")
                + (days.map { " in each of the last \(ExpressionPrinter.print($0)) days" } ?? "")
        }
    }
}

/// Expressions in canonical spacing. Parentheses are printed where they were written; the
/// parser's tree already encodes precedence.
enum ExpressionPrinter {
    static func print(_ expr: Expr) -> String {
        switch expr.kind {
        case .string(let text): quoted(text)
        case .number(let text): text
        case .duration(_, let written), .size(_, let written), .percent(_, let written), .timestamp(_, let written): written
        case .boolean(let flag): flag ? "true" : "false"
        case .list(let elements): "[" + elements.map(print).joined(separator: ", ") + "]"
        case .name(let name): name
        case .member(let base, let member): print(base) + "." + member.text
        case .call(let name, let arguments): name.text + "(" + arguments.map(print).joined(separator: ", ") + ")"
        case .jobs(let kind, let filter): (kind.map { $0.text + " " } ?? "") + "jobs" + (filter.map { " where " + print($0) } ?? "")
        case .not(let inner): "not " + print(inner)
        case .negate(let inner): "-" + print(inner)
        case .binary(let op, let left, let right): print(left) + " " + op.rawValue + " " + print(right)
        case .match(let op, let left, let right, let ignoringCase):
            print(left) + " " + op.rawValue + " " + print(right) + (ignoringCase ? " ignoring case" : "")
        case .presence(let inner, let exists): print(inner) + (exists ? " exists" : " is missing")
        case .window(let op, let left, let right): print(left) + " " + op.rawValue + " " + print(right)
        case .parenthesized(let inner): "(" + print(inner) + ")"
        }
    }

    /// A string literal with the language's escapes.
    static func quoted(_ text: String) -> String {
        StringLiteral.quoted(text)
    }

    /// Splits printed text before each ` and ` / ` or ` outside parentheses, brackets and strings.
    /// Works on Unicode scalars: a combining mark after a quote must not hide the quote (fuzzing
    /// found a break inside a string that way).
    static func splitAtTopLevelConnectives(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var pieces: [String] = []
        var current = String.UnicodeScalarView()
        var depth = 0
        var inString = false
        var escaped = false
        var index = 0
        func startsConnective(at index: Int) -> Bool {
            for word in [" and ", " or "] {
                let candidate = Array(word.unicodeScalars)
                if index + candidate.count <= scalars.count && Array(scalars[index..<index + candidate.count]) == candidate { return true }
            }
            return false
        }
        while index < scalars.count {
            let c = scalars[index]
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == "(" || c == "[" {
                depth += 1
            } else if c == ")" || c == "]" {
                depth -= 1
            } else if depth == 0 && c == " " && !current.isEmpty && startsConnective(at: index) {
                pieces.append(String(current))
                current = String.UnicodeScalarView()
                index += 1  // the space before the connective
                continue
            }
            current.append(c)
            index += 1
        }
        pieces.append(String(current))
        return pieces
    }
}
