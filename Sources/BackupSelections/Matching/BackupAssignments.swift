/// Plans and selections read together, answering for one resource: which selections select it
/// and why, which exclude it and why, which cannot be decided, and how often its plans promise
/// to back it up.
public struct BackupAssignments: Sendable {
    public let documents: SelectionDocuments
    private let matcher: SelectionMatcher
    /// By plan id, for the plans given in full once (or several times, identically).
    public let schedules: [String: PlanSchedule]
    /// Plan ids given in full more than once with different content (two versions of a plan):
    /// which one AWS runs is unknown, so neither's schedule is used.
    public let conflictingPlanIDs: Set<String>

    public init(_ documents: SelectionDocuments) {
        self.documents = documents
        matcher = SelectionMatcher(selections: documents.selections)
        var byID: [String: BackupPlan] = [:]
        var conflicts: Set<String> = []
        for plan in documents.plans {
            guard let id = plan.planID else { continue }
            if let earlier = byID[id], !Self.sameContent(earlier, plan) { conflicts.insert(id) }
            byID[id] = byID[id] ?? plan
        }
        schedules = byID.filter { !conflicts.contains($0.key) }.mapValues(PlanSchedule.init)
        conflictingPlanIDs = conflicts
    }

    private static func sameContent(_ first: BackupPlan, _ second: BackupPlan) -> Bool {
        var second = second
        second.origin = first.origin
        return first == second
    }

    public func assignment(for resource: SelectableResource) -> ResourceAssignment {
        let decisions = matcher.decisions(for: resource)
        let selecting = decisions.filter { $0.outcome == .selected }
        var intervals: [ScheduleInterval] = []
        var unscheduled: [String?] = []
        for decision in selecting {
            if let planID = decision.selection.planID, let interval = schedules[planID]?.expectedInterval {
                intervals.append(interval)
            } else {
                unscheduled.append(decision.selection.planID)
            }
        }
        return ResourceAssignment(
            resource: resource,
            decisions: decisions,
            unknownSelections: documents.selectionsWithoutDetails,
            expectedInterval: intervals.min { $0.longestGapSeconds < $1.longestGapSeconds },
            selectingPlansWithoutSchedule: unscheduled)
    }
}

/// What the selections decided for one resource.
public struct ResourceAssignment: Sendable {
    public var resource: SelectableResource
    /// One per selection, in the order given.
    public var decisions: [SelectionDecision]
    /// Selections a ListBackupSelections document names but no GetBackupSelection gives: each may
    /// select the resource or not; nobody can tell from the data.
    public var unknownSelections: [BackupSelectionSummary]
    /// The shortest interval among the plans of the selections that select the resource; `nil`
    /// when none of them has a plan with a readable schedule.
    public var expectedInterval: ScheduleInterval?
    /// The plan ids (`nil`: the selection names none) of selecting selections whose plan is not
    /// given in full, is given in conflicting versions, or has no readable schedule.
    public var selectingPlansWithoutSchedule: [String?]

    public var selectedBy: [SelectionDecision] { decisions.filter { $0.outcome == .selected } }
    public var excludedBy: [SelectionDecision] { decisions.filter { $0.outcome == .excluded } }
    public var undeterminedBy: [SelectionDecision] { decisions.filter { $0.outcome == .undetermined } }

    /// Whether the data settles that no selection selects the resource: none selects it, none
    /// is undetermined, and no selection is known by its summary alone.
    public var isSurelyUnselected: Bool {
        selectedBy.isEmpty && undeterminedBy.isEmpty && unknownSelections.isEmpty
    }
}
