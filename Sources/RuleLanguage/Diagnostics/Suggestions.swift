import BackupJobs

/// "Did you mean" for the rule language's own words (keywords, functions, rule ids) and values.
enum Suggestions {
    /// The candidate spelt like `word` but for letter case (`"completed"` → `COMPLETED`, which
    /// the edit distance finds too far for long words), else the nearest by spelling.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let folded = word.lowercased()
        if let sameLetters = candidates.first(where: { $0 != word && $0.lowercased() == folded }) { return sameLetters }
        return Spelling.closest(to: word, among: candidates, limit: 1).first
    }

    static func note(for word: String, among candidates: [String]) -> [Diagnostic.Note] {
        closest(to: word, among: candidates).map { [Diagnostic.Note("did you mean '\($0)'?")] } ?? []
    }
}
