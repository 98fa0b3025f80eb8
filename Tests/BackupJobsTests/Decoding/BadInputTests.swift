import Testing

@testable import BackupJobs

/// Every class of bad input gets its own code, the place (line, byte column, byte offset, job,
/// field) and a message a user can act on.
struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// The input, with `1️⃣` where the error must point.
        let marked: String
        let code: ListingInputError.Code
        let context: String?
        let message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "truncated inside a job",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "State": "COMPL1️⃣"#,
             code: .truncated, context: "BackupJobs[0].State",
             message: "unexpected end of input; the data is truncated"),
        Case(name: "truncated between jobs",
             marked: #"{"BackupJobs": [{"BackupJobId": "a"},1️⃣"#,
             code: .truncated, context: "BackupJobs[1]",
             message: "unexpected end of input; the data is truncated"),
        Case(name: "truncated after the array",
             marked: "{\"BackupJobs\": []\n1️⃣",
             code: .truncated, context: nil,
             message: "unexpected end of input; the data is truncated"),
        Case(name: "trailing garbage",
             marked: "{\"BackupJobs\": []}\n1️⃣xyz",
             code: .trailingData, context: nil,
             message: "unexpected 'x' after the end of the previous value"),
        Case(name: "trailing closing bracket",
             marked: "{\"BackupJobs\": []}1️⃣]",
             code: .trailingData, context: nil,
             message: "unexpected ']' after the end of the previous value"),
        Case(name: "not JSON",
             marked: "1️⃣hello",
             code: .notAListing, context: nil,
             message: "expected a job listing ({\"BackupJobs\": [...]}, {\"CopyJobs\": [...]} or {\"RestoreJobs\": [...]}), an array of jobs or a job object, found 'h'"),
        Case(name: "a bare string",
             marked: "1️⃣\"jobs\"",
             code: .notAListing, context: nil,
             message: "expected a job listing ({\"BackupJobs\": [...]}, {\"CopyJobs\": [...]} or {\"RestoreJobs\": [...]}), an array of jobs or a job object, found the string \"jobs\""),
        Case(name: "no BackupJobs",
             marked: #"{"NextToken": null1️⃣}"#,
             code: .missingBackupJobs, context: nil,
             message: "the document that starts at byte 0 has no BackupJobs, CopyJobs, RestoreJobs, Results, InventoryResources, ResourceTagMappingList or values member"),
        Case(name: "misspelt BackupJobs",
             marked: #"{"Backupjobs": []1️⃣}"#,
             code: .missingBackupJobs, context: nil,
             message: "the document that starts at byte 0 has no BackupJobs, CopyJobs, RestoreJobs, Results, InventoryResources, ResourceTagMappingList or values member"),
        Case(name: "BackupJobs is an object",
             marked: #"{"BackupJobs": 1️⃣{"BackupJobId": "a"}}"#,
             code: .backupJobsNotArray, context: nil,
             message: "BackupJobs must be an array of backup jobs, found an object"),
        Case(name: "BackupJobs is null",
             marked: #"{"BackupJobs": 1️⃣null}"#,
             code: .backupJobsNotArray, context: nil,
             message: "BackupJobs must be an array of backup jobs, found null"),
        Case(name: "NextToken is a number",
             marked: #"{"BackupJobs": [], "NextToken": 1️⃣7}"#,
             code: .wrongType, context: nil,
             message: "NextToken must be a string or null, found the number 7"),
        Case(name: "a job that is a string",
             marked: #"{"BackupJobs": [{"BackupJobId": "a"}, 1️⃣"b"]}"#,
             code: .jobNotObject, context: "BackupJobs[1]",
             message: "expected a job object, found the string \"b\""),
        Case(name: "a job that is a number in a bare array",
             marked: #"[1️⃣42]"#,
             code: .jobNotObject, context: "[0]",
             message: "expected a job object, found the number 42"),
        Case(name: "State is a number",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "State": 1️⃣5}]}"#,
             code: .wrongType, context: "BackupJobs[0].State",
             message: "expected a string (BackupJobState), found the number 5"),
        Case(name: "CreationDate is not a date",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "CreationDate": 1️⃣"yesterday"}]}"#,
             code: .wrongType, context: "BackupJobs[0].CreationDate",
             message: "expected a timestamp (epoch seconds, or ISO 8601 text such as 2026-11-21T16:27:59.885Z), found the string \"yesterday\""),
        Case(name: "CreationDate with an impossible day",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "CreationDate": 1️⃣"2026-02-30T00:00:00Z"}]}"#,
             code: .wrongType, context: "BackupJobs[0].CreationDate",
             message: "expected a timestamp (epoch seconds, or ISO 8601 text such as 2026-11-21T16:27:59.885Z), found the string \"2026-02-30T00:00:00Z\""),
        Case(name: "CreationDate is a boolean",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "CreationDate": 1️⃣true}]}"#,
             code: .wrongType, context: "BackupJobs[0].CreationDate",
             message: "expected a timestamp (epoch seconds, or ISO 8601 text such as 2026-11-21T16:27:59.885Z), found true"),
        Case(name: "a size with a fraction",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "BackupSizeInBytes": 1️⃣1.5}]}"#,
             code: .wrongType, context: "BackupJobs[0].BackupSizeInBytes",
             message: "expected an integer, found the number 1.5"),
        Case(name: "a size beyond Int64",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "BackupSizeInBytes": 1️⃣1e40}]}"#,
             code: .wrongType, context: "BackupJobs[0].BackupSizeInBytes",
             message: "expected an integer from -9223372036854775808 to 9223372036854775807, found the number 1e40"),
        Case(name: "a size one past Int64",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "BackupSizeInBytes": 1️⃣9223372036854775808}]}"#,
             code: .wrongType, context: "BackupJobs[0].BackupSizeInBytes",
             message: "expected an integer from -9223372036854775808 to 9223372036854775807, found the number 9223372036854775808"),
        Case(name: "a boolean as a string",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "IsParent": 1️⃣"false"}]}"#,
             code: .wrongType, context: "BackupJobs[0].IsParent",
             message: "expected true or false, found the string \"false\""),
        Case(name: "a nested member of the wrong type",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "CreatedBy": {"BackupPlanId": 1️⃣7}}]}"#,
             code: .wrongType, context: "BackupJobs[0].CreatedBy.BackupPlanId",
             message: "expected a string, found the number 7"),
        Case(name: "a BackupOptions value that is not a string",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "BackupOptions": {"WindowsVSS": 1️⃣true}}]}"#,
             code: .wrongType, context: "BackupJobs[0].BackupOptions",
             message: "expected a string value in BackupOptions, found true"),
        Case(name: "no BackupJobId",
             marked: #"{"BackupJobs": [{"BackupJobId": "a"}, 1️⃣{"State": "COMPLETED"}]}"#,
             code: .missingJobID, context: "BackupJobs[1]",
             message: "the job has no BackupJobId, which identifies it"),
        Case(name: "a null BackupJobId",
             marked: #"{"BackupJobs": [1️⃣{"BackupJobId": null}]}"#,
             code: .missingJobID, context: "BackupJobs[0]",
             message: "the job has no BackupJobId, which identifies it"),
        Case(name: "an empty BackupJobId",
             marked: #"{"BackupJobs": [1️⃣{"BackupJobId": ""}]}"#,
             code: .missingJobID, context: "BackupJobs[0].BackupJobId",
             message: "the job's BackupJobId is empty"),
        Case(name: "a member twice",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "State": "RUNNING", "State": 1️⃣"FAILED"}]}"#,
             code: .duplicateMember, context: "BackupJobs[0].State",
             message: "the member appears twice in the same object"),
        // Found by fuzzing (Scripts/fuzz.sh listings): a rule read the first value, a listing
        // written back held the last.
        Case(name: "a member outside the schema twice",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "NewField": 1, "NewField": 1️⃣2}]}"#,
             code: .duplicateMember, context: "BackupJobs[0].NewField",
             message: "the member appears twice in the same object"),
        Case(name: "a member outside the schema twice inside CreatedBy",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "CreatedBy": {"New": [], "New": 1️⃣{}}}]}"#,
             code: .duplicateMember, context: "BackupJobs[0].CreatedBy.New",
             message: "the member appears twice in the same object"),
        // Found by fuzzing: `CreatedBy.X` had the path of CreatedBy's member X, and the listing
        // written back (fetch --out) moved it inside CreatedBy.
        Case(name: "a member named like a path into CreatedBy",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", 1️⃣"CreatedBy.New": 1}]}"#,
             code: .ambiguousMember, context: "BackupJobs[0]",
             message: "a member named \"CreatedBy.New\" cannot be told from a member of CreatedBy; members of CreatedBy belong inside it"),
        Case(name: "a member named like a path into RecoveryPointLifecycle, escaped",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "RecoveryPointLifecycle": {"New": 1}, 1️⃣"RecoveryPointLifecycle\u002eNew": 2}]}"#,
             code: .ambiguousMember, context: "BackupJobs[0]",
             message: "a member named \"RecoveryPointLifecycle.New\" cannot be told from a member of RecoveryPointLifecycle; members of RecoveryPointLifecycle belong inside it"),
        Case(name: "BackupJobs twice",
             marked: #"{"BackupJobs": [], "BackupJobs": 1️⃣[]}"#,
             code: .duplicateMember, context: nil,
             message: "BackupJobs appears twice in the document"),
        Case(name: "a missing comma",
             marked: #"{"BackupJobs": [{"BackupJobId": "a" 1️⃣"State": "FAILED"}]}"#,
             code: .syntax, context: "BackupJobs[0]",
             message: "expected ',' or '}' after a member, found '\"'"),
        Case(name: "a trailing comma",
             marked: #"{"BackupJobs": [{"BackupJobId": "a"},1️⃣]}"#,
             code: .jobNotObject, context: "BackupJobs[1]",
             message: "expected a job object, found ']'"),
        Case(name: "a bad escape",
             marked: #"{"BackupJobs": [{"BackupJobId": "a1️⃣\q"}]}"#,
             code: .syntax, context: "BackupJobs[0].BackupJobId",
             message: "invalid escape \\q in a string"),
        Case(name: "a raw newline in a string",
             marked: "{\"BackupJobs\": [{\"BackupJobId\": \"a1️⃣\nb\"}]}",
             code: .syntax, context: "BackupJobs[0].BackupJobId",
             message: "control character byte 0x0A in a string; it must be escaped"),
        Case(name: "an unpaired surrogate",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "StatusMessage": "x1️⃣\ud800y"}]}"#,
             code: .invalidUTF8, context: "BackupJobs[0].StatusMessage",
             message: "invalid \\u escape: unpaired surrogate"),
        Case(name: "a bad literal",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "IsParent": 1️⃣tru}]}"#,
             code: .syntax, context: "BackupJobs[0].IsParent",
             message: "invalid literal; expected true"),
        Case(name: "a bad number in an unknown member",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "NewField": 1️⃣01}]}"#,
             code: .syntax, context: "BackupJobs[0]",
             message: "invalid number"),
        Case(name: "an error in the second document",
             marked: "{\"BackupJobs\": [{\"BackupJobId\": \"a\"}]}\n{\"BackupJobs\": [{\"BackupJobId\": \"b\", \"State\": 1️⃣[]}]}",
             code: .wrongType, context: "document 2: BackupJobs[0].State",
             message: "expected a string (BackupJobState), found an array"),
        Case(name: "an error in a JSON Lines record",
             marked: "{\"BackupJobId\": \"a\"}\n{\"BackupJobId\": \"b\", \"State\": 1️⃣9}\n",
             code: .wrongType, context: "job 2.State",
             message: "expected a string (BackupJobState), found the number 9"),
        Case(name: "the AWS CLI's layout: line and column past indentation",
             marked: "{\n    \"BackupJobs\": [\n        {\n            \"BackupJobId\": \"a\",\n            \"CreationDate\": 1️⃣\"soon\"\n        }\n    ]\n}\n",
             code: .wrongType, context: "BackupJobs[0].CreationDate",
             message: "expected a timestamp (epoch seconds, or ISO 8601 text such as 2026-11-21T16:27:59.885Z), found the string \"soon\""),
        Case(name: "columns count bytes after multibyte text",
             marked: #"{"BackupJobs": [{"BackupJobId": "日本🎌", "State": 1️⃣5}]}"#,
             code: .wrongType, context: "BackupJobs[0].State",
             message: "expected a string (BackupJobState), found the number 5"),
        Case(name: "nesting too deep in an unknown member",
             marked: #"{"BackupJobs": [{"BackupJobId": "a", "Deep": "# + String(repeating: "[", count: 255) + "1️⃣[]}]}",
             code: .tooDeep, context: "BackupJobs[0]",
             message: "values nested more than 256 deep"),
    ]

    @Test(arguments: cases)
    func reportsCodePlaceAndMessage(_ testCase: Case) throws {
        let marked = MarkedText(testCase.marked)
        let error = try #require(decodingError(Array(marked.text.utf8)))
        #expect(error.code == testCase.code)
        #expect(error.source == "jobs.json")
        #expect(error.location == marked.location)
        #expect(error.context == testCase.context)
        #expect(error.message == testCase.message)
    }

    /// A job cut by a chunk boundary is decoded again; the error's place must not depend on it.
    @Test(arguments: [1, 2, 3, 7, 64])
    func placeDoesNotDependOnChunkSize(_ chunkSize: Int) throws {
        for testCase in Self.cases {
            let marked = MarkedText(testCase.marked)
            let error = try #require(decodingError(Array(marked.text.utf8), chunkSize: chunkSize))
            #expect(error.code == testCase.code, "\(testCase.name)")
            #expect(error.location == marked.location, "\(testCase.name)")
            #expect(error.context == testCase.context, "\(testCase.name)")
        }
    }

    @Test func invalidUTF8IsLocatedAtTheBadByte() throws {
        let prefix = #"{"BackupJobs": [{"BackupJobId": "ab"#
        let bytes = Array(prefix.utf8) + [0xFF] + Array(#"c"}]}"#.utf8)
        let error = try #require(decodingError(bytes))
        #expect(error.code == .invalidUTF8)
        #expect(error.location == .init(line: 1, column: prefix.utf8.count + 1, byteOffset: prefix.utf8.count))
        #expect(error.context == "BackupJobs[0].BackupJobId")
        #expect(error.message == "invalid UTF-8 in a string")
    }

    @Test(arguments: [
        [0xC0, 0xAF],  // overlong '/'
        [0xED, 0xA0, 0x80],  // a surrogate
        [0xF4, 0x90, 0x80, 0x80],  // past U+10FFFF
        [0xE2, 0x82],  // cut sequence
    ] as [[UInt8]])
    func rejectsEveryKindOfInvalidUTF8(_ sequence: [UInt8]) throws {
        let bytes = Array(#"{"BackupJobs": [{"BackupJobId": "x"#.utf8) + sequence + Array(#""}]}"#.utf8)
        let error = try #require(decodingError(bytes))
        #expect(error.code == .invalidUTF8)
    }

    @Test func utf16IsRecognisedAndExplained() throws {
        let utf16: [UInt8] = [0xFF, 0xFE] + Array(#"{"BackupJobs":[]}"#.utf8).flatMap { [$0, 0] }
        let error = try #require(decodingError(utf16))
        #expect(error.code == .unsupportedEncoding)
        #expect(error.location == .init(line: 1, column: 1, byteOffset: 0))
        #expect(error.message.contains("UTF-16"))
    }

    /// Found by fuzzing: the mark's second byte in the next read (a one-byte read, or a gzip
    /// member holding the first byte only) was not looked for, and UTF-16 was called "not a
    /// listing, found byte 0xFF".
    @Test(arguments: [1, 2, 3, 1 << 16])
    func utf16IsRecognisedWhateverTheReads(_ chunkSize: Int) throws {
        let utf16: [UInt8] = [0xFF, 0xFE] + Array(#"{"BackupJobs":[]}"#.utf8).flatMap { [$0, 0] }
        let plain = try #require(decodingError(utf16, chunkSize: chunkSize))
        #expect(plain.code == .unsupportedEncoding)
        let splitMembers = try gzip([utf16[0]]) + gzip(Array(utf16.dropFirst()))
        let compressed = try #require(decodingError(splitMembers, chunkSize: chunkSize))
        #expect(compressed.code == .unsupportedEncoding)
        // A lone 0xFF is no mark: it is what the listing starts with.
        #expect(try #require(decodingError([0xFF], chunkSize: chunkSize)).code == .notAListing)
    }

    @Test(arguments: ["", "   \n\t  \n"])
    func emptyInputIsAnError(_ text: String) throws {
        let error = try #require(decodingError(Array(text.utf8)))
        #expect(error.code == .empty)
        #expect(error.description == "jobs.json: error[input.empty]: no job listing: the input is empty (a failed export leaves an empty file)")
    }

    @Test func descriptionNamesFilePlaceCodeContextAndMessage() throws {
        let error = try #require(decodingError(Array(#"{"BackupJobs": [{"BackupJobId": "a", "State": 5}]}"#.utf8), name: "exports/jobs.json"))
        #expect(error.description == "exports/jobs.json:1:47: error[input.wrong-type]: BackupJobs[0].State: expected a string (BackupJobState), found the number 5 (byte 46)")
    }

    /// Cutting a listing anywhere must give an error, never a shorter listing.
    @Test func everyTruncationOfAListingIsAnError() throws {
        let full = Array(listingJSON([
            jobJSON("A", #""State":"COMPLETED","CreationDate":1764331200.5,"CreatedBy":{"BackupPlanId":"p"},"BackupOptions":{"WindowsVSS":"enabled"}"#),
            jobJSON("B", #""StatusMessage":"caf\u00e9 \"quoted\"","IsParent":false,"New":[1,{"x":null}]"#),
        ], nextToken: "t").utf8)
        for length in 1..<full.count {
            let error = try #require(decodingError(Array(full[..<length])), "cut at \(length)")
            #expect(error.code == .truncated || error.code == .syntax, "cut at \(length): \(error)")
            #expect(error.location!.byteOffset <= length)
        }
    }
}
