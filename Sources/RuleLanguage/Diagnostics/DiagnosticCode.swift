/// Every diagnostic the rule language reports. The raw values are stable: scripts, editors and
/// `docs/diagnostics.md` rely on them.
public enum DiagnosticCode: String, CaseIterable, Hashable, Sendable {
    // Reading the text.
    case invalidUTF8 = "syntax.invalid-utf8"
    case unreadableFile = "syntax.unreadable-file"
    case invalidCharacter = "syntax.invalid-character"
    case unterminatedString = "syntax.unterminated-string"
    case invalidEscape = "syntax.invalid-escape"
    case invalidNumber = "syntax.invalid-number"
    case invalidTimestamp = "syntax.invalid-timestamp"
    case unexpectedToken = "syntax.unexpected-token"
    case tooDeep = "syntax.too-deep"
    case chainedComparison = "syntax.chained-comparison"
    case missingBody = "syntax.missing-body"
    case duplicateBody = "syntax.duplicate-body"
    case duplicateMetadata = "syntax.duplicate-metadata"
    case unknownMetadata = "syntax.unknown-metadata"
    case invalidRuleID = "syntax.invalid-rule-id"

    // Names and types.
    case unknownField = "type.unknown-field"
    case unknownEnumValue = "type.unknown-enum-value"
    case unknownFunction = "type.unknown-function"
    case unknownSubject = "type.unknown-subject"
    case mismatch = "type.mismatch"
    case notACondition = "type.not-a-condition"
    case wrongArguments = "type.wrong-arguments"
    case notAGroupAttribute = "type.not-a-group-attribute"
    case aggregateOutsideGroup = "type.aggregate-outside-group"
    case invalidRegex = "type.invalid-regex"
    case invalidGlob = "type.invalid-glob"
    case invalidSeverity = "type.invalid-severity"
    case invalidCount = "type.invalid-count"

    // Values.
    case outOfRange = "value.out-of-range"

    // The rule set.
    case duplicateRule = "rule.duplicate-id"
    case unknownRule = "rule.unknown-id"
    case duplicateParameter = "param.duplicate"
    case parameterShadowsName = "param.shadows-name"
    case invalidParameterValue = "param.invalid-value"
    case unknownParameter = "param.unknown"
    case emptyWaiverReason = "waiver.empty-reason"
    case invalidWaiverDate = "waiver.invalid-until"

    // Tests.
    case missingTestTime = "test.missing-now"
    case duplicateTestTime = "test.duplicate-now"
    case duplicateTestName = "test.duplicate-name"
    case noExpectation = "test.no-expectation"
    case invalidJobField = "test.invalid-job-field"
    case duplicateJobID = "test.duplicate-job-id"
    case testSubjectFormat = "test.subject-format"

    // Warnings.
    case windowBeyondRetention = "lint.window-beyond-retention"
    case contradiction = "lint.contradiction"
    case alwaysTrue = "lint.always-true"
    case unusedParameter = "lint.unused-parameter"
    case missingTitle = "lint.missing-title"
    case expiredWaiver = "lint.expired-waiver"
    case unmatchedWaiverTarget = "lint.waiver-subject-format"

    public var defaultSeverity: Diagnostic.Severity {
        rawValue.hasPrefix("lint.") ? .warning : .error
    }

    /// One line on what the code means, for the catalogue (`docs/diagnostics.md`).
    public var summary: String {
        switch self {
        case .invalidUTF8: "a rule file that is not valid UTF-8"
        case .unreadableFile: "a rule path that does not exist, cannot be read, or is a directory without .rules files"
        case .invalidCharacter: "a character that cannot start any token"
        case .unterminatedString: "a string without its closing quote on the same line"
        case .invalidEscape: "an escape in a string other than \\\" \\\\ \\n \\t \\r \\u{...}"
        case .invalidNumber: "a malformed number, duration, size or percentage"
        case .invalidTimestamp: "a date or timestamp that is not a real instant"
        case .unexpectedToken: "something other than what the grammar allows at that place"
        case .tooDeep: "expressions nested deeper than the parser allows"
        case .chainedComparison: "a comparison of a comparison (a < b < c); join two comparisons with and"
        case .missingBody: "a rule without an every/no body"
        case .duplicateBody: "a rule with more than one body"
        case .duplicateMetadata: "the same metadata (title, severity, ...) twice in a rule"
        case .unknownMetadata: "a word in a rule that is neither metadata nor a body"
        case .invalidRuleID: "a rule id that is not letters, digits, '-' and '_' starting with a letter"
        case .unknownField: "a name that is no field, derived field, parameter or enum value"
        case .unknownEnumValue: "a value that is not one of the field's enumeration (State == COMPLETE)"
        case .unknownFunction: "a call of a function the language does not have"
        case .unknownSubject: "a subject other than job, resource, account, vault, plan, resource type, group by FIELD"
        case .mismatch: "operands whose types do not fit the operator"
        case .notACondition: "an expression used as a condition that is not true or false"
        case .wrongArguments: "a function called with the wrong number or kind of arguments"
        case .notAGroupAttribute: "a job field used for a group that does not describe the group"
        case .aggregateOutsideGroup: "count, share, latest... where there is no group of jobs"
        case .invalidRegex: "a matches pattern RE2 does not accept (backreferences and lookaround among others)"
        case .invalidGlob: "a like pattern ending in a \\ that escapes nothing"
        case .invalidSeverity: "a severity other than info, low, medium, high, critical"
        case .invalidCount: "a job count or day count that is not a whole number from 0 (days: from 1 to 3660)"
        case .outOfRange: "a value written out, or computed from values written out, beyond the range of its kind (durations and times ±292 million years in milliseconds, sizes ±8 EiB, numbers ±1.8e308)"
        case .duplicateRule: "two rules with the same id in one rule set"
        case .unknownRule: "a waiver or test expectation for a rule the rule set does not have"
        case .duplicateParameter: "two parameters with the same name"
        case .parameterShadowsName: "a parameter named like a field, derived field or keyword"
        case .invalidParameterValue: "a --param override (or a test's param) that is not a literal of the parameter's type"
        case .unknownParameter: "a --param override (or a test's param) for a parameter the rule set does not declare"
        case .emptyWaiverReason: "a waiver whose because text is empty"
        case .invalidWaiverDate: "a waiver whose until is not a date or timestamp"
        case .missingTestTime: "a test without now: a test must judge at a fixed time to give the same result every day"
        case .duplicateTestTime: "a test with two now lines"
        case .duplicateTestName: "two tests with the same name in one rule set"
        case .noExpectation: "a test without expect: it could never fail"
        case .invalidJobField: "a field a test's job cannot set: a derived field (set State, not Finished), a structure, or the wrong kind of value"
        case .duplicateJobID: "two jobs of one test with the same BackupJobId (they would merge into one)"
        case .testSubjectFormat: "an expected subject that cannot name a subject of its rule (a job id for a resource rule)"
        case .windowBeyondRetention: "a time window longer than the 30 days of jobs ListBackupJobs keeps"
        case .contradiction: "a condition that can never hold (State == COMPLETED and State == FAILED)"
        case .alwaysTrue: "a condition that always holds (State != COMPLETED or State != FAILED)"
        case .unusedParameter: "a parameter no rule uses"
        case .missingTitle: "a rule without a title"
        case .expiredWaiver: "a waiver whose until date has passed"
        case .unmatchedWaiverTarget: "a waiver subject that cannot name a subject of its rule (a job id for a resource rule)"
        }
    }
}
