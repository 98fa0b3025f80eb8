import BackupJobs

/// "Did you mean" for the rule language's own words (keywords, functions, rule ids).
enum Suggestions {
    static func closest(to word: String, among candidates: [String]) -> String? {
        Spelling.closest(to: word, among: candidates, limit: 1).first
    }

    static func note(for word: String, among candidates: [String]) -> [Diagnostic.Note] {
        closest(to: word, among: candidates).map { [Diagnostic.Note("did you mean '\($0)'?")] } ?? []
    }
}
