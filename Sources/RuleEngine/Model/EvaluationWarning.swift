public import RuleLanguage

/// Something the evaluation noticed that does not change any verdict: a value a rule compares a
/// field with (`AccountId == "000000000000"`) that matches no job of the data, so the rule
/// selects or accepts nothing through it. Reports show it; it never changes the exit status.
public struct EvaluationWarning: Hashable, Sendable {
    /// The rule whose condition holds the value; `nil` for a query.
    public var rule: String?
    /// Where the value is written.
    public var location: SourceLocation
    /// The field as a rule names it (`ResourceType`, `BackupOptions.WindowsVSS`, `Region`).
    public var field: String
    public var value: String
    public var ignoringCase: Bool
    /// The values the field takes in the data, most frequent first, at most `valuesShown`.
    public var valuesSeen: [String]
    /// Distinct values of the field in the data beyond `valuesSeen`.
    public var moreValues: Int

    /// How many of the values seen a warning lists.
    public static let valuesShown = 8

    public init(
        rule: String?, location: SourceLocation, field: String, value: String, ignoringCase: Bool, valuesSeen: [String], moreValues: Int
    ) {
        self.rule = rule
        self.location = location
        self.field = field
        self.value = value
        self.ignoringCase = ignoringCase
        self.valuesSeen = valuesSeen
        self.moreValues = moreValues
    }
}
