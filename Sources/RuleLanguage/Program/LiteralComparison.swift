public import BackupJobs

/// A field compared with a value known when the rules are checked, in the condition that chooses
/// what a rule judges (an `every` rule's `where`, a query's `where`): `AccountId == "123456789012"`,
/// each member of `AccountId in [...]`. The evaluator looks for the value in that field of the data,
/// so a value that matches no job (a typo, an account the listing does not hold), which silently
/// narrows the scope, is reported.
///
/// Not recorded: `!=`, `not in` and comparisons under `not` (they exclude); values in assertions and
/// in `no` rules, where a value matching nothing passes or fails the rule as it should (`satisfies
/// RoleName == "AWSServiceRoleForBackup" or ...` allows a role no job may use; a job that must match
/// and cannot fails loudly); and values of fields with a closed list that the checker found in it
/// (State == COMPLETED is valid even when no job has completed).
public struct LiteralComparison: Hashable, Sendable {
    /// The kind of the records the field is read from: the subject's, or another kind's in a
    /// group's scope (`count(copy jobs where DestinationBackupVaultArn == "…")`).
    public var kind: RecordKind
    public var field: FieldRef
    public var value: String
    /// `== "rds" ignoring case`: any letter case matches.
    public var ignoringCase: Bool
    /// Where the value is written (for a parameter: where the parameter is used).
    public var location: SourceLocation

    public init(kind: RecordKind, field: FieldRef, value: String, ignoringCase: Bool, location: SourceLocation) {
        self.kind = kind
        self.field = field
        self.value = value
        self.ignoringCase = ignoringCase
        self.location = location
    }
}
