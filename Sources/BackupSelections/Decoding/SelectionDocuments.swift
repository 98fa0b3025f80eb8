/// What plan and selection documents hold, in the order read: whole plans (GetBackupPlan), plan
/// summaries (ListBackupPlans), whole selections (GetBackupSelection) and selection summaries
/// (ListBackupSelections).
public struct SelectionDocuments: Equatable, Sendable {
    public var plans: [BackupPlan]
    public var planSummaries: [BackupPlanSummary]
    public var selections: [BackupSelection]
    public var selectionSummaries: [BackupSelectionSummary]

    public init(
        plans: [BackupPlan] = [], planSummaries: [BackupPlanSummary] = [], selections: [BackupSelection] = [],
        selectionSummaries: [BackupSelectionSummary] = []
    ) {
        self.plans = plans
        self.planSummaries = planSummaries
        self.selections = selections
        self.selectionSummaries = selectionSummaries
    }

    public mutating func append(_ other: SelectionDocuments) {
        plans += other.plans
        planSummaries += other.planSummaries
        selections += other.selections
        selectionSummaries += other.selectionSummaries
    }

    /// Selections a list names that no GetBackupSelection document gives: their resources and tags
    /// are unknown, so which resources they select cannot be decided (callers must say so, never
    /// count such a selection as selecting nothing).
    public var selectionsWithoutDetails: [BackupSelectionSummary] {
        let known = Set(selections.compactMap(\.selectionID))
        return selectionSummaries.filter { !known.contains($0.selectionID) }
    }

    /// Plans a list names that no GetBackupPlan document gives: their schedules are unknown.
    public var plansWithoutDetails: [BackupPlanSummary] {
        let known = Set(plans.compactMap(\.planID))
        return planSummaries.filter { !known.contains($0.planID) }
    }
}
