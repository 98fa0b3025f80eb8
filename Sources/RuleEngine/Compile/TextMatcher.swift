import BackupJobs
import RuleLanguage

/// One text test (`contains`, `starts with`, `matches`, `like`, `in [...]`), ready to apply.
struct TextMatcher {
    let test: TextTest
    let ignoringCase: Bool
    let pool: StringPool
    private let needle: String
    private let members: [Value]
    private let negated: Bool

    init(_ test: TextTest, ignoringCase: Bool, pool: StringPool) {
        self.test = test
        self.ignoringCase = ignoringCase
        self.pool = pool
        var needle = ""
        var members: [Value] = []
        var negated = false
        switch test {
        case .contains(let text), .startsWith(let text), .endsWith(let text):
            needle = ignoringCase ? text.lowercased() : text
        case .matches, .like:
            // Compiled by the checker, with its case folding when ignoring case.
            break
        case .oneOf(let constants, let isNegated):
            members = constants.map { Value($0, pool: pool) }
            negated = isNegated
        }
        self.needle = needle
        self.members = members
        self.negated = negated
    }

    func matches(id: UInt32) -> Bool {
        matches(.textID(id))
    }

    func matches(_ value: Value) -> Bool {
        if case .oneOf = test {
            let found = members.contains { Comparison.equal(value, $0, pool: pool, ignoringCase: ignoringCase) }
            return negated ? !found : found
        }
        guard let text = value.string(pool) else { return false }
        switch test {
        case .contains: return needle.isEmpty || folded(text).contains(needle)
        case .startsWith: return folded(text).hasPrefix(needle)
        case .endsWith: return folded(text).hasSuffix(needle)
        case .matches(let regex), .like(_, let regex): return regex.matches(text)
        case .oneOf: return false
        }
    }

    private func folded(_ text: String) -> String {
        ignoringCase ? text.lowercased() : text
    }
}
