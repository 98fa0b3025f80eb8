import BackupJobs
import BackupSelections
import TestSupport
import Testing

/// Input no tool writes: the decoder gives a located error or values, never a crash or a hang,
/// and whatever it gives can be matched and scheduled without one either.
@Suite struct HostileInputTests {
    @Test(arguments: [10, 64, 65, 100_000])
    func deepNesting(depth: Int) {
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        do {
            _ = try decodeDocuments(text)
            Issue.record("nested arrays decoded as documents")
        } catch {
            // Within the limit an array of arrays is not a document; past it, the depth is refused.
            #expect(error.code == (depth > 64 ? .tooDeep : .wrongType), "\(error)")
        }
    }

    @Test func hugeStringsAreRefusedNotMatched() {
        let huge = String(repeating: "a", count: 200_000)
        let text = #"{"BackupSelection": {"SelectionName": "s", "IamRoleArn": "r", "Resources": [""# + huge + #""]}}"#
        do {
            _ = try decodeDocuments(text)
            Issue.record("a 200 kB ARN was read")
        } catch {
            #expect(error.code == .tooLong)
            #expect(error.context == nil)
            #expect(error.location?.column == 77)  // the string's opening quote
        }
    }

    @Test func manyMembersCostLinearTime() throws {
        let members = (0..<100_000).map { "\"m\($0)\": 0" }.joined(separator: ", ")
        let clock = ContinuousClock()
        var documents: SelectionDocuments?
        let elapsed = try clock.measure { documents = try decodeDocuments(#"{"BackupPlansList": [], "# + members + "}") }
        #expect(documents?.planSummaries.isEmpty == true)
        #expect(elapsed < .seconds(20))
    }

    @Test func hugeNumbersAreErrorsNotTraps() {
        for number in ["99999999999999999999", "-99999999999999999999", "1e400", String(repeating: "9", count: 500)] {
            let text = #"{"BackupPlanId": "p", "CreationDate": "# + number + #", "BackupPlan": {"BackupPlanName": "p", "Rules": [{"RuleName": "r", "TargetBackupVaultName": "v", "StartWindowMinutes": "# + number + "}]}}"
            #expect(throws: SelectionInputError.self, "\(number)") { try decodeDocuments(text) }
        }
    }

    /// Seeded mutations of real documents: flipped, dropped, doubled and inserted bytes.
    @Test func mutatedDocumentsNeverCrash() {
        let seeds = [DocumentFixtures.selectionCLI, DocumentFixtures.planCLI, DocumentFixtures.planAPI, DocumentFixtures.selectionList]
            .map { Array($0.utf8) }
        let specials = Array("{}[]\":,\\*?-0123456789eE.tfn \n".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xED, 0xF4, 0xFF]
        var random = SplitMix64(seed: 110_011)
        var decoded = 0
        for round in 0..<3_000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[index] = specials.randomElement(using: &random)!
                case 1: bytes.remove(at: index)
                case 2: bytes.insert(contentsOf: bytes[index..<min(bytes.count, index + 40)], at: index)
                default: bytes.insert(specials.randomElement(using: &random)!, at: index)
                }
                if bytes.isEmpty { bytes = [UInt8(ascii: "{")] }
            }
            do {
                let documents = try SelectionDocumentDecoder.decode(bytes, source: "m.json")
                decoded += 1
                for plan in documents.plans { _ = PlanSchedule(plan: plan).expectedInterval }
                let assignments = BackupAssignments(documents)
                for selection in documents.selections {
                    for arn in selection.resources + selection.notResources {
                        _ = assignments.assignment(for: SelectableResource(arn: arn, tags: ["stage": arn]))
                    }
                }
            } catch {
                let location = error.location
                #expect(location.map { $0.byteOffset <= bytes.count && $0.line >= 1 && $0.column >= 1 } ?? true, "\(error)")
            }
        }
        // Some mutations leave a valid document (a changed letter in a name): both paths are taken.
        #expect(decoded > 0)
    }

    /// Seeded random cron expressions from the pieces of the syntax: an interval or a
    /// `ScheduleError`, never a trap (a backwards range, a step of 0, `LW` on the last day).
    @Test func randomSchedulesNeverCrash() {
        let pieces = ["*", "?", "L", "LW", "W", "1W", "31W", "#", "2#5", "6L", "/", "*/0", "*/7", "-", "5-1", ",", "0", "1", "5", "7", "12",
                      "15", "29", "31", "59", "60", "MON", "fri", "JAN", "DEC", "NOV-FEB", "SAT-SUN", "2-6/2", "0/15", "", "x"]
        var random = SplitMix64(seed: 4_242)
        var intervals = 0
        for round in 0..<2_000 {
            func field() -> String {
                (0..<Int.random(in: 1...2, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined(separator: ",")
            }
            // Mostly the shape EventBridge wants (six fields, one day field '?'), now and then not.
            var fields = [field(), field(), field(), field(), field(), round % 10 == 0 ? field() : "*"]
            if round % 7 != 0 { fields[round % 2 == 0 ? 2 : 4] = "?" }
            let rule = BackupRule(name: "r", targetVaultName: "v", scheduleExpression: "cron(" + fields.joined(separator: " ") + ")")
            if let interval = try? PlanSchedule.interval(of: rule) {
                intervals += 1
                #expect(interval.longestGapSeconds > 0)
            }
        }
        #expect(intervals > 0)
    }
}
