/// Regular expressions in `matches` are compiled when rules are checked, so a bad pattern is a
/// diagnostic at its line and never a failure halfway through an evaluation.
enum RegexValidation {
    /// Why the pattern does not compile, or `nil` when it does.
    static func problem(in pattern: String) -> String? {
        do {
            _ = try Regex(pattern)
            return nil
        } catch {
            return "\(error)"
        }
    }
}
