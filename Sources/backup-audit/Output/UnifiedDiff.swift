/// A unified diff of two texts by line (`diff -u`), for `fmt --diff`.
enum UnifiedDiff {
    static let context = 3

    static func render(old: String, new: String, oldName: String, newName: String) -> String {
        let a = lines(old), b = lines(new)
        let script = editScript(a, b)
        var output = ["--- \(oldName)", "+++ \(newName) (formatted)"]
        var index = 0
        while index < script.count {
            guard script[index].kind != .same else {
                index += 1
                continue
            }
            // A hunk: this change and those within 2 × context lines of it.
            var start = index
            var kept = 0
            while start > 0 && script[start - 1].kind == .same && kept < context { start -= 1; kept += 1 }
            var end = index
            var sameRun = 0
            while end < script.count {
                if script[end].kind == .same {
                    sameRun += 1
                    if sameRun > 2 * context { break }
                } else {
                    sameRun = 0
                }
                end += 1
            }
            end -= max(0, sameRun - context)
            let hunk = script[start..<end]
            let oldStart = hunk.first!.oldLine, newStart = hunk.first!.newLine
            let oldCount = hunk.filter { $0.kind != .inserted }.count, newCount = hunk.filter { $0.kind != .deleted }.count
            output.append("@@ -\(oldStart + 1),\(oldCount) +\(newStart + 1),\(newCount) @@")
            for step in hunk {
                switch step.kind {
                case .same: output.append(" " + step.text)
                case .deleted: output.append("-" + step.text)
                case .inserted: output.append("+" + step.text)
                }
            }
            index = end
        }
        return output.joined(separator: "\n")
    }

    struct Step {
        enum Kind { case same, deleted, inserted }
        var kind: Kind
        var text: String
        /// Lines of each side before this step.
        var oldLine: Int
        var newLine: Int
    }

    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The shortest edit script by longest common subsequence (rule files are small).
    static func editScript(_ a: [String], _ b: [String]) -> [Step] {
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var steps: [Step] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count && j < b.count && a[i] == b[j] {
                steps.append(Step(kind: .same, text: a[i], oldLine: i, newLine: j))
                i += 1
                j += 1
            } else if i < a.count && (j == b.count || lcs[i + 1][j] >= lcs[i][j + 1]) {
                // Deletions first, as diff -u shows them.
                steps.append(Step(kind: .deleted, text: a[i], oldLine: i, newLine: j))
                i += 1
            } else {
                steps.append(Step(kind: .inserted, text: b[j], oldLine: i, newLine: j))
                j += 1
            }
        }
        return steps
    }
}
