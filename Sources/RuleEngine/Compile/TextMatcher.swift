import BackupJobs
import RuleLanguage

/// One text test (`contains`, `starts with`, `matches`, `in [...]`), ready to apply.
struct TextMatcher {
    let test: TextTest
    let ignoringCase: Bool
    let pool: StringPool
    private let needle: String
    private let regex: Regex<AnyRegexOutput>?
    private let members: [Value]
    private let negated: Bool

    init(_ test: TextTest, ignoringCase: Bool, pool: StringPool) {
        self.test = test
        self.ignoringCase = ignoringCase
        self.pool = pool
        var needle = ""
        var regex: Regex<AnyRegexOutput>?
        var members: [Value] = []
        var negated = false
        switch test {
        case .contains(let text), .startsWith(let text), .endsWith(let text):
            needle = ignoringCase ? text.lowercased() : text
        case .matches(let pattern):
            // Validated by the checker; a pattern that still fails never matches.
            regex = (try? Regex(pattern)).map { ignoringCase ? $0.ignoresCase() : $0 }
        case .oneOf(let constants, let isNegated):
            members = constants.map { Value($0, pool: pool) }
            negated = isNegated
        }
        self.needle = needle
        self.regex = regex
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
        guard var text = value.string(pool) else { return false }
        if ignoringCase { text = text.lowercased() }
        switch test {
        case .contains: return needle.isEmpty || text.contains(needle)
        case .startsWith: return text.hasPrefix(needle)
        case .endsWith: return text.hasSuffix(needle)
        case .matches: return regex.map { (try? $0.firstMatch(in: text)) != nil } ?? false
        case .oneOf: return false
        }
    }
}
