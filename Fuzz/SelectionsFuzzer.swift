// libFuzzer harness for the BackupSelections module: the plan and selection document decoder,
// the selection matcher and the schedule intervals. Built and run by `Scripts/fuzz.sh selections`
// (not part of Package.swift).
//
// For every input:
//   1. decode the bytes as plan and selection documents: values, or an error whose place lies
//      within the input; decoding the same bytes again gives the same result;
//   2. for what decoded: every plan's schedules, and every selection's decision for a resource
//      made of each ARN pattern the input holds, with tags from its condition values;
//   3. the input read as a ScheduleExpression (the first line): an interval or a ScheduleError.
// A broken invariant calls fatalError with the input escaped.

import BackupJobs
import BackupSelections

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)

    let first = Result { () throws(SelectionInputError) in try SelectionDocumentDecoder.decode(bytes, source: "fuzz.json") }
    let second = Result { () throws(SelectionInputError) in try SelectionDocumentDecoder.decode(bytes, source: "fuzz.json") }
    if first != second {
        fatalError("decoding the same bytes twice differs\n--- input (escaped) ---\n\(text.debugDescription)")
    }
    switch first {
    case .failure(let error):
        if let location = error.location, location.byteOffset > size || location.line < 1 || location.column < 1 {
            fatalError("an error placed outside the input: \(error)\n--- input (escaped) ---\n\(text.debugDescription)")
        }
    case .success(let documents):
        let assignments = BackupAssignments(documents)
        for plan in documents.plans { _ = PlanSchedule(plan: plan).expectedInterval }
        var tags: [String: String] = [:]
        for selection in documents.selections {
            for condition in selection.conditions + selection.listOfTags { tags[condition.key] = condition.value }
        }
        for selection in documents.selections {
            for arn in selection.resources + selection.notResources + ["arn:aws:ec2:us-east-1:123456789012:volume/vol-1"] {
                let assignment = assignments.assignment(for: SelectableResource(arn: arn, tags: tags))
                if assignment.decisions.count != documents.selections.count {
                    fatalError("\(assignment.decisions.count) decisions for \(documents.selections.count) selections\n--- input (escaped) ---\n\(text.debugDescription)")
                }
            }
        }
    }

    let line = String(text.prefix { $0 != "\n" }.prefix(400))
    _ = try? PlanSchedule.interval(of: BackupRule(name: "r", targetVaultName: "v", scheduleExpression: line, scheduleTimezone: nil))
    return 0
}
