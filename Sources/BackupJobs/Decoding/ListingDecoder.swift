#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads listings from a stream of bytes: any sequence of top-level JSON values, each a listing
/// document of one kind (`{"BackupJobs": [...], "NextToken": ...}`, `{"CopyJobs": [...]}`,
/// `{"RestoreJobs": [...]}`), an array of records of one kind, or one record object (JSON Lines).
/// Timestamps may be epoch seconds or ISO 8601 text in any mix.
///
/// A document's kind is its member; an array's, the id member of its first record (BackupJobId,
/// CopyJobId, RestoreJobId); a record object's, its own id member. The input is read in chunks
/// and each record is decoded as a unit; a record cut by the end of a chunk is decoded again once
/// the next chunk has arrived.
struct ListingDecoder {
    private(set) var records = RecordObjectDecoder()
    var chunkSize = 4 << 20
    /// Which records of a stream to keep, by their position in it (0-based); `nil` keeps all. The
    /// others are still checked, never silently skipped over.
    var keepRecord: ((Int) -> Bool)?
    /// The kind every document must hold (a page of a fetch asked for one kind); `nil`: any.
    var expectedKind: RecordKind?
    /// The families of records the inputs may hold: job data (`--jobs`) or inventories
    /// (`--resources`); records of another family are an error, not silently read as the other.
    var accepted: Set<RecordFamily> = [.job, .inventory]
    /// The documents of every stream decoded so far, in order, per kind and source: whether they
    /// make one listing. GetResources pages and AWS Config pages both hold inventory resources,
    /// but a page of one never continues a page of the other.
    private var chains: [ChainKey: ListingChain] = [:]

    private struct ChainKey: Hashable {
        var kind: RecordKind
        /// The listing's member (`BackupJobs`, `ResourceTagMappingList`), or the source's name.
        var source: String

        init(_ kind: RecordKind, source: String? = nil) {
            self.kind = kind
            self.source = source ?? kind.member
        }
    }

    /// The chain of a kind's documents from one source, created on first use.
    private mutating func chain(_ key: ChainKey, token: String = "NextToken") -> ListingChain {
        chains[key] ?? ListingChain(kind: key.kind, tokenMember: token)
    }

    /// What one stream held.
    struct StreamStats {
        var listingDocuments = 0
        /// The NextToken of the last listing document; nil when it had none (or `""`, which ends a
        /// listing as it does for botocore).
        var lastNextToken: String?
        var arrays = 0
        var topLevelJobs = 0
        /// The inventories the documents were (`GetResources output`, `terraform state`).
        var inventorySources: Set<String> = []
        /// Lists of ARNs and CSV inventories.
        var arnLists = 0
        var csvFiles = 0
        var jobsRead = 0
        /// Records read of each kind (kept or not).
        var recordsByKind: [RecordKind: Int] = [:]
        var epochTimestamps = 0
        var isoTimestamps = 0
        var bytes = 0
    }

    /// The listing of every record decoded so far, read from these inputs.
    consuming func finish(inputs: [InputRecord]) -> Listing {
        let (tables, conflicts) = records.listing.finish()
        let order = Dictionary(uniqueKeysWithValues: RecordKind.allCases.enumerated().map { ($1, $0) })
        let gaps = chains.sorted { (order[$0.key.kind]!, $0.key.source) < (order[$1.key.kind]!, $1.key.source) }
            .flatMap { $0.value.completeness.gaps }
        return Listing(tables: tables, inputs: inputs, completeness: gaps.isEmpty ? .complete : .incomplete(gaps), conflicts: conflicts)
    }

    private enum Place {
        /// Between top-level values.
        case top
        /// Inside a listing document, before a member (`first`: right after its `{`).
        case listing(first: Bool)
        /// Inside an array of records (`inListing`: the document's member); `kind` is nil in an
        /// array whose first record has not been read.
        case records(first: Bool, inListing: Bool, kind: RecordKind?)
        /// Inside GetResources' `ResourceTagMappingList`.
        case tagMappings(first: Bool)
        /// Inside AWS Config's `Results`: JSON texts, one per resource.
        case configResults(first: Bool)
    }

    private struct Progress {
        /// The stream, as messages name it.
        let name: String
        var place = Place.top
        var stats = StreamStats()
        var documentIndex = 0
        var documentStart = 0
        /// The kind of the current document's records member, once read, and the chain its
        /// pages belong to.
        var documentKind: RecordKind?
        var documentChain: ChainKey?
        var tokenMember = "NextToken"
        /// The document has AWS Config's `QueryInfo`; its `Results` were an empty array (which
        /// of the two listings with a `Results` member it is waits for the document's end).
        var sawQueryInfo = false
        var emptyResults = false
        /// The current document's NextToken, and where the fetch of a saved listing started.
        var nextToken: String?
        var start = ListingChain.Start.unknown
        var recordIndex = 0
        var decodingTopLevelRecord = false
    }

    /// The last committed position and its line: what survives a refill.
    private struct Mark {
        var offset = 0
        var line = 1
        var lineStart = 0

        /// The line and column of an offset at or after the mark, counting the newlines between.
        func location(of offset: Int, in window: ReadWindow) -> ListingInputError.Location {
            var line = self.line, lineStart = self.lineStart
            for absolute in self.offset..<max(self.offset, offset) where window.base[absolute - window.start] == 0x0A {
                line += 1
                lineStart = absolute + 1
            }
            return .init(line: line, column: offset - lineStart + 1, byteOffset: offset)
        }
    }

    mutating func decode(_ source: any ByteSource, name: String, isCompressed: Bool) throws(ListingInputError) -> StreamStats {
        let window = ReadWindow(capacity: chunkSize)
        var progress = Progress(name: name)
        var mark = Mark()
        let timestampsBefore = (records.epochTimestamps, records.isoTimestamps)
        let recordsBefore = records.recordsByKind
        records.beginSource(name)
        while true {
            var scanner = JSONScanner(
                base: window.base, end: window.count, isFinal: window.isFinal, position: mark.offset - window.start)
            do throws(JSONScanner.Failure) {
                if try advance(&scanner, &progress, &mark, windowStart: window.start) { break }
            } catch {
                guard case .problem(let problem) = error else {
                    try window.refill(keepingFrom: mark.offset, from: source)
                    continue
                }
                throw ListingInputError(
                    problem.code, source: name,
                    location: mark.location(of: window.start + problem.offset, in: window),
                    isCompressed: isCompressed,
                    context: context(progress, field: problem.field),
                    message: problem.message)
            }
        }
        progress.stats.bytes = window.start + window.count
        progress.stats.epochTimestamps = records.epochTimestamps - timestampsBefore.0
        progress.stats.isoTimestamps = records.isoTimestamps - timestampsBefore.1
        for (kind, count) in records.recordsByKind where count > recordsBefore[kind, default: 0] {
            progress.stats.recordsByKind[kind] = count - recordsBefore[kind, default: 0]
        }
        guard progress.stats.listingDocuments + progress.stats.arrays + progress.stats.topLevelJobs > 0 else {
            throw ListingInputError(
                .empty, source: name, isCompressed: isCompressed,
                message: "no job listing: the input is empty (a failed export leaves an empty file)")
        }
        return progress.stats
    }

    /// Reads a plain inventory held in memory: a list of ARNs or a CSV file (`ResourceListParser`).
    mutating func decodeResourceList(_ bytes: [UInt8], name: String, isCompressed: Bool) throws(ListingInputError) -> StreamStats {
        let (found, isCSV) = try ResourceListParser.parse(bytes, name: name, isCompressed: isCompressed)
        records.beginSource(name)
        records.select(.inventoryResource)
        var stats = StreamStats()
        for record in found {
            records.append(record, keep: keepRecord?(stats.jobsRead) ?? true)
            stats.jobsRead += 1
        }
        if isCSV { stats.csvFiles = 1 } else { stats.arnLists = 1 }
        stats.bytes = bytes.count
        stats.recordsByKind[.inventoryResource] = found.count
        // A list is no page: it continues nothing, and pages waiting for their next one stay open.
        return stats
    }

    /// Consumes as many complete units as the window holds; true at the end of the input.
    private mutating func advance(
        _ s: inout JSONScanner, _ p: inout Progress, _ mark: inout Mark, windowStart: Int
    ) throws(JSONScanner.Failure) -> Bool {
        func commit(_ s: JSONScanner) {
            mark.offset = windowStart + s.position
            mark.line += s.newlines
            if let lineStart = s.lineStart { mark.lineStart = windowStart + lineStart }
        }
        while true {
            s.newlines = 0
            s.lineStart = nil
            switch p.place {
            case .top:
                s.skipWhitespace()
                if s.position == s.end {
                    guard s.isFinal else { throw .needMoreInput }
                    commit(s)
                    return true
                }
                if windowStart + s.position == 0, try skipByteOrderMark(&s) {
                    commit(s)
                    continue
                }
                let c = s.base[s.position]
                if c == UInt8(ascii: "{") {
                    if try isRecordObject(s) {
                        let kind = try recordKind(s) ?? .backupJob
                        try checkExpected(kind, at: s.position)
                        try checkAccepted(kind, at: s.position)
                        records.select(kind)
                        p.decodingTopLevelRecord = true
                        try records.decodeRecord(&s, keep: keepRecord?(p.stats.jobsRead) ?? true)
                        p.decodingTopLevelRecord = false
                        p.stats.topLevelJobs += 1
                        p.stats.jobsRead += 1
                        chains[ChainKey(kind)] = chain(ChainKey(kind))
                        chains[ChainKey(kind)]!.other(
                            at: "\(p.name) (job \(p.stats.topLevelJobs))", what: "a \(kind.noun) object, as in JSON Lines")
                    } else {
                        p.documentIndex += 1
                        p.documentStart = windowStart + s.position
                        p.documentKind = nil
                        p.documentChain = nil
                        p.tokenMember = "NextToken"
                        p.sawQueryInfo = false
                        p.emptyResults = false
                        p.nextToken = nil
                        p.start = .unknown
                        s.position += 1
                        p.place = .listing(first: true)
                    }
                } else if c == UInt8(ascii: "[") {
                    p.documentIndex += 1
                    p.stats.arrays += 1
                    p.recordIndex = 0
                    s.position += 1
                    p.place = .records(first: true, inListing: false, kind: nil)
                } else {
                    let found = try s.describeValue(at: s.position)
                    let seenBefore = p.documentIndex + p.stats.topLevelJobs > 0
                    throw .problem(JSONScanner.Problem(
                        code: seenBefore ? .trailingData : .notAListing,
                        message: seenBefore
                            ? "unexpected \(found) after the end of the previous value"
                            : "expected a job listing ({\"BackupJobs\": [...]}, {\"CopyJobs\": [...]} or {\"RestoreJobs\": [...]}), an array of jobs or a job object, found \(found)",
                        offset: s.position))
                }
            case .listing(let first):
                guard try s.nextItem(first: first, close: UInt8(ascii: "}"), after: "a member") else {
                    if p.documentKind == nil && p.emptyResults {
                        // An empty Results: AWS Config's output always has QueryInfo, and
                        // ListProtectedResources' never has.
                        let kind: RecordKind = p.sawQueryInfo ? .inventoryResource : .protectedResource
                        try checkAccepted(kind, at: s.position - 1)
                        records.select(kind)
                        p.documentKind = kind
                        p.documentChain = p.sawQueryInfo ? ChainKey(kind, source: "SelectResourceConfig") : ChainKey(kind)
                    }
                    guard p.documentKind != nil, let key = p.documentChain else {
                        throw .problem(JSONScanner.Problem(
                            code: .missingBackupJobs,
                            message: "the document that starts at byte \(p.documentStart) has no \(memberNames) member",
                            offset: s.position - 1))
                    }
                    p.stats.listingDocuments += 1
                    p.stats.lastNextToken = p.nextToken
                    if let source = Self.inventorySourceNames[key.source] { p.stats.inventorySources.insert(source) }
                    chains[key] = chain(key, token: p.tokenMember)
                    chains[key]!.listing(at: Self.documentPlace(p), nextToken: p.nextToken, start: p.start)
                    p.place = .top
                    break
                }
                let key = try s.scanMemberName()
                _ = try s.peekToken()
                let valueStart = s.position
                let name = keyText(key, s)
                if var kind = RecordKind(member: name) ?? (name == Self.tagMappingMember ? .inventoryResource : nil) {
                    if let seen = p.documentChain?.source ?? (p.emptyResults ? "Results" : nil) {
                        throw .problem(JSONScanner.Problem(
                            code: .duplicateMember,
                            message: seen == name
                                ? "\(name) appears twice in the document"
                                : "the document holds both \(seen) and \(name): a listing document holds records of one kind",
                            offset: valueStart))
                    }
                    guard s.base[valueStart] == UInt8(ascii: "[") else {
                        throw .problem(JSONScanner.Problem(
                            code: .backupJobsNotArray,
                            message: "\(name) must be an array of \(kind.pluralNoun), found \(try s.describeValue(at: valueStart))",
                            offset: valueStart))
                    }
                    var key = ChainKey(kind, source: name)
                    var next = Place.records(first: true, inListing: true, kind: kind)
                    if name == Self.tagMappingMember {
                        key = ChainKey(kind, source: name)
                        next = .tagMappings(first: true)
                    } else if kind == .protectedResource {
                        // ListProtectedResources' Results are objects; AWS Config's, JSON texts.
                        var probe = s
                        probe.position += 1
                        switch try probe.peekToken() {
                        case UInt8(ascii: "\""):
                            kind = .inventoryResource
                            key = ChainKey(kind, source: "SelectResourceConfig")
                            next = .configResults(first: true)
                        case UInt8(ascii: "]"):
                            p.emptyResults = true
                            s.position += 1
                            _ = try s.peekToken()
                            s.position += 1
                            p.place = .listing(first: false)
                            commit(s)
                            continue
                        default:
                            if p.sawQueryInfo { throw Self.ambiguousResults(at: valueStart) }
                        }
                    }
                    try checkExpected(kind, at: valueStart)
                    try checkAccepted(kind, at: valueStart)
                    s.position += 1
                    p.documentKind = kind
                    p.documentChain = key
                    records.select(kind)
                    p.recordIndex = 0
                    p.place = next
                } else if name == "QueryInfo" {
                    if p.documentKind == .protectedResource { throw Self.ambiguousResults(at: valueStart) }
                    p.sawQueryInfo = true
                    try s.skipValue(depth: 1)
                    p.place = .listing(first: false)
                } else if name == "values" && s.base[valueStart] == UInt8(ascii: "{") && p.documentChain == nil {
                    // `terraform show -json`: the state's resources, read whole.
                    try checkAccepted(.inventoryResource, at: valueStart)
                    let tree = try JSONTree.read(&s, depth: 1)
                    let found: [Record]
                    do throws(JSONScanner.Problem) {
                        found = try InventoryRecords.terraformResources(tree)
                    } catch {
                        throw .problem(error)
                    }
                    records.select(.inventoryResource)
                    for record in found { append(record, &p) }
                    p.documentKind = .inventoryResource
                    p.documentChain = ChainKey(.inventoryResource, source: "terraform")
                    p.place = .listing(first: false)
                } else if name == "NextToken" || name == "PaginationToken" {
                    p.tokenMember = name
                    let next = s.base[valueStart]
                    if next == UInt8(ascii: "\"") {
                        let token = keyText(try s.scanString(), s)
                        p.nextToken = token.isEmpty ? nil : token
                    } else if next == UInt8(ascii: "n") {
                        _ = try s.scanLiteral()
                        p.nextToken = nil
                    } else {
                        throw .problem(JSONScanner.Problem(
                            code: .wrongType,
                            message: "\(name) must be a string or null, found \(try s.describeValue(at: valueStart))",
                            offset: valueStart))
                    }
                    p.place = .listing(first: false)
                } else if name == "BackupAuditFetch" {
                    p.start = try savedListingStart(&s)
                    p.place = .listing(first: false)
                } else {
                    try s.skipValue(depth: 1)
                    p.place = .listing(first: false)
                }
            case .records(let first, let inListing, var kind):
                guard try s.nextItem(first: first, close: UInt8(ascii: "]"), after: "a job") else {
                    if !inListing && kind == nil {
                        // An empty array has no kind, and continues no listing: it breaks the
                        // chain of every kind waiting for its next page (fail closed).
                        for open in Array(chains.keys) { chains[open]?.other(at: Self.documentPlace(p), what: "an empty array") }
                    }
                    p.place = inListing ? .listing(first: false) : .top
                    break
                }
                guard try s.peekToken() == UInt8(ascii: "{") else {
                    throw .problem(JSONScanner.Problem(
                        code: .jobNotObject, message: "expected a job object, found \(try s.describeValue(at: s.position))",
                        offset: s.position))
                }
                if kind == nil {
                    // The first record of a bare array decides the array's kind.
                    let decided = try recordKind(s) ?? .backupJob
                    try checkExpected(decided, at: s.position)
                    try checkAccepted(decided, at: s.position)
                    records.select(decided)
                    chains[ChainKey(decided)] = chain(ChainKey(decided))
                    chains[ChainKey(decided)]!.other(at: Self.documentPlace(p), what: "an array of \(decided.pluralNoun)")
                    kind = decided
                }
                try records.decodeRecord(&s, keep: keepRecord?(p.stats.jobsRead) ?? true)
                p.recordIndex += 1
                p.stats.jobsRead += 1
                p.place = .records(first: false, inListing: inListing, kind: kind)
            case .tagMappings(let first):
                guard try s.nextItem(first: first, close: UInt8(ascii: "]"), after: "a resource tag mapping") else {
                    p.place = .listing(first: false)
                    break
                }
                let entry = try JSONTree.read(&s, depth: 2)
                do throws(JSONScanner.Problem) {
                    append(try InventoryRecords.tagMapping(entry), &p)
                } catch {
                    throw .problem(error)
                }
                p.place = .tagMappings(first: false)
            case .configResults(let first):
                guard try s.nextItem(first: first, close: UInt8(ascii: "]"), after: "a result") else {
                    p.place = .listing(first: false)
                    break
                }
                guard try s.peekToken() == UInt8(ascii: "\"") else {
                    throw .problem(JSONScanner.Problem(
                        code: .mixedKinds,
                        message: "expected an AWS Config result (a JSON text in a string), found \(try s.describeValue(at: s.position))",
                        offset: s.position))
                }
                let start = s.position
                let token = try s.scanString()
                let scratch = ByteScratch()
                let text: [UInt8]
                if token.hasEscapes {
                    try s.unescape(token, into: scratch)
                    text = Array(scratch.bytes)
                } else {
                    text = Array(UnsafeBufferPointer(start: s.base + token.start, count: token.end - token.start))
                }
                do throws(JSONScanner.Problem) {
                    let tree: JSONTree
                    do throws(JSONScanner.Failure) {
                        tree = try JSONTree.read(text: text)
                    } catch {
                        guard case .problem(let inner) = error else { throw JSONScanner.Problem(code: .truncated, message: "the result's JSON text is cut", offset: start) }
                        throw JSONScanner.Problem(
                            code: inner.code, message: "the result's JSON text, at its character \(inner.offset + 1): \(inner.message)", offset: start)
                    }
                    do throws(JSONScanner.Problem) {
                        append(try InventoryRecords.configResult(tree), &p)
                    } catch {
                        // Offsets inside the text are not offsets of the input: point at the string.
                        var outer = error
                        outer.offset = start
                        throw outer
                    }
                } catch {
                    throw .problem(error)
                }
                p.place = .configResults(first: false)
            }
            commit(s)
        }
    }

    /// How people name the inventories, by chain source.
    private static let inventorySourceNames = [
        tagMappingMember: "GetResources output", "SelectResourceConfig": "AWS Config results", "terraform": "terraform state",
    ]

    /// GetResources' member: the tag mappings of the Resource Groups Tagging API.
    private static let tagMappingMember = "ResourceTagMappingList"

    /// Adds a record an inventory reader made, counted like a decoded one.
    private mutating func append(_ record: Record, _ p: inout Progress) {
        records.append(record, keep: keepRecord?(p.stats.jobsRead) ?? true)
        p.recordIndex += 1
        p.stats.jobsRead += 1
    }

    private static func ambiguousResults(at offset: Int) -> JSONScanner.Failure {
        .problem(JSONScanner.Problem(
            code: .ambiguousListing,
            message: "the document's Results are objects, as ListProtectedResources lists them, but it has QueryInfo, as AWS Config's "
                + "select-resource-config output has: it is neither (give each listing as the service or the AWS CLI wrote it)",
            offset: offset))
    }

    /// The inputs hold one family of records: job data, or inventories.
    private func checkAccepted(_ kind: RecordKind, at offset: Int) throws(JSONScanner.Failure) {
        guard !accepted.contains(kind.family) else { return }
        throw .problem(JSONScanner.Problem(
            code: .misplacedKind,
            message: kind.family == .inventory
                ? "\(kind.pluralNoun) are an inventory of resources, not job data: give them as resources"
                : "\(kind.pluralNoun) are job data, not an inventory of resources: give them as jobs",
            offset: offset))
    }

    /// The records members of the families read: "BackupJobs, CopyJobs or RestoreJobs" for job
    /// data; inventories' too (GetResources' ResourceTagMappingList, terraform's values).
    private var memberNames: String {
        let members = RecordKind.allCases.filter { accepted.contains($0.family) }.map(\.member)
            + (accepted.contains(.inventory) ? [Self.tagMappingMember, "values"] : [])
        return members.dropLast().joined(separator: ", ") + " or " + members.last!
    }

    /// A page of a fetch holds the kind that was asked for.
    private func checkExpected(_ kind: RecordKind, at offset: Int) throws(JSONScanner.Failure) {
        guard let expectedKind, kind != expectedKind else { return }
        throw .problem(JSONScanner.Problem(
            code: .notAListing,
            message: "a \(expectedKind.operation) response lists \(expectedKind.pluralNoun) (\(expectedKind.member)); this one holds \(kind.pluralNoun)",
            offset: offset))
    }

    /// Where the fetch of a listing this tool saved started: the `startingToken` of its
    /// `BackupAuditFetch` record (none: the start of the listing). Anything but an object is
    /// not such a record.
    private func savedListingStart(_ s: inout JSONScanner) throws(JSONScanner.Failure) -> ListingChain.Start {
        guard s.base[s.position] == UInt8(ascii: "{") else {
            try s.skipValue(depth: 1)
            return .unknown
        }
        s.position += 1
        var start = ListingChain.Start.beginning
        var first = true
        while try s.nextItem(first: first, close: UInt8(ascii: "}"), after: "a member") {
            first = false
            let key = try s.scanMemberName()
            if try s.peekToken() == UInt8(ascii: "\""), keyText(key, s) == "startingToken" {
                let token = keyText(try s.scanString(), s)
                start = token.isEmpty ? .beginning : .token(token)
            } else {
                try s.skipValue(depth: 2)
            }
        }
        return start
    }

    /// `jobs.json`, or `jobs.json (document 2)` after the first document of a stream.
    private static func documentPlace(_ p: Progress) -> String {
        p.documentIndex > 1 ? "\(p.name) (document \(p.documentIndex))" : p.name
    }

    /// Field names of every kind: a top-level object starting with one is a record.
    private static let fieldNames = Set(RecordKind.allCases.flatMap { $0.schema.fields.map(\.path) })

    /// Tells a record object (a JSON Lines record) from a listing document by its first member.
    private func isRecordObject(_ s: JSONScanner) throws(JSONScanner.Failure) -> Bool {
        var probe = s
        probe.position += 1
        guard try probe.peekToken() == UInt8(ascii: "\"") else { return false }
        let key = try probe.scanString()
        let name = keyText(key, probe)
        return RecordKind(member: name) == nil && name != "NextToken" && Self.fieldNames.contains(name)
    }

    /// The kind of the record object at the scanner's position, by the id member among its
    /// members; nil when it has none (or is not valid JSON: decoding it then says where).
    private func recordKind(_ s: JSONScanner) throws(JSONScanner.Failure) -> RecordKind? {
        var probe = s
        probe.position += 1
        do throws(JSONScanner.Failure) {
            var first = true
            // ResourceArn identifies the resources of inventories, but backup and copy jobs have
            // one too: only an object with no job id is a resource, an inventory's when it has a
            // member only inventory resources have (Tags, Source), else a protected resource.
            var resource = false, inventoryOnly = false
            while try probe.nextItem(first: first, close: UInt8(ascii: "}"), after: "a member") {
                first = false
                let key = try probe.scanMemberName()
                if !key.hasEscapes, let kind = Self.kind(ofIDMember: probe.base + key.start, count: key.end - key.start) {
                    if kind.family == .job { return kind }
                    // Among job data, an object without a job id is a job missing its id.
                    resource = accepted.contains(.inventory)
                } else if !key.hasEscapes {
                    let name = String(decoding: UnsafeBufferPointer(start: probe.base + key.start, count: key.end - key.start), as: UTF8.self)
                    if Self.inventoryOnlyMembers.contains(name) { inventoryOnly = true }
                }
                try probe.skipValue(depth: 1)
            }
            return resource ? (inventoryOnly ? .inventoryResource : .protectedResource) : nil
        } catch .needMoreInput {
            throw .needMoreInput
        } catch {
            return nil
        }
    }

    /// Members of inventory resources that protected resources do not have.
    private static let inventoryOnlyMembers = Set(RecordSchema.inventoryResource.fields.map(\.path))
        .subtracting(RecordSchema.protectedResource.fields.map(\.path))

    /// The id members of the kinds (`BackupJobId`, …), as bytes.
    private static let idMembers: [(kind: RecordKind, name: [UInt8])] = RecordKind.allCases.map {
        ($0, Array($0.schema[$0.schema.idField].path.utf8))
    }

    private static func kind(ofIDMember key: UnsafePointer<UInt8>, count: Int) -> RecordKind? {
        for entry in idMembers where entry.name.count == count
            && entry.name.withUnsafeBufferPointer({ memcmp($0.baseAddress!, key, count) == 0 }) {
            return entry.kind
        }
        return nil
    }

    /// Skips a UTF-8 byte order mark at the start of the input; rejects UTF-16.
    private func skipByteOrderMark(_ s: inout JSONScanner) throws(JSONScanner.Failure) -> Bool {
        let first = s.base[s.position]
        if first == 0xEF {
            guard try s.byte(at: s.position + 1) == 0xBB, try s.byte(at: s.position + 2) == 0xBF else { return false }
            s.position += 3
            return true
        } else if first == 0xFF || first == 0xFE {
            // The second byte may be in the next read: ask for it (a read of one byte must not
            // hide the mark); at the true end there is no mark, and the byte is what it is.
            guard s.position + 1 < s.end || !s.isFinal else { return false }
            let second = try s.byte(at: s.position + 1)
            guard second == 0xFE || second == 0xFF else { return false }
            throw .problem(JSONScanner.Problem(
                code: .unsupportedEncoding,
                message: "the data is UTF-16 (Windows PowerShell's '>' writes UTF-16); save it as UTF-8, for example with Out-File -Encoding utf8",
                offset: s.position))
        }
        return false
    }

    private func keyText(_ token: JSONScanner.StringToken, _ s: JSONScanner) -> String {
        guard token.hasEscapes else {
            return String(decoding: UnsafeBufferPointer(start: s.base + token.start, count: token.end - token.start), as: UTF8.self)
        }
        let scratch = ByteScratch()
        guard (try? s.unescape(token, into: scratch)) != nil else { return "" }
        return String(decoding: scratch.bytes, as: UTF8.self)
    }

    /// `document 2: BackupJobs[12].State`: where a problem is, for its message.
    private func context(_ p: Progress, field: String?) -> String? {
        var place: String?
        switch p.place {
        case .records(_, let inListing, let kind):
            place = inListing ? "\((kind ?? .backupJob).member)[\(p.recordIndex)]" : "[\(p.recordIndex)]"
            if p.documentIndex > 1 { place = "document \(p.documentIndex): " + place! }
        case .tagMappings:
            place = (p.documentIndex > 1 ? "document \(p.documentIndex): " : "") + "\(Self.tagMappingMember)[\(p.recordIndex)]"
        case .configResults:
            place = (p.documentIndex > 1 ? "document \(p.documentIndex): " : "") + "Results[\(p.recordIndex)]"
        case .listing:
            if p.documentIndex > 1 { place = "document \(p.documentIndex)" }
        case .top:
            if p.decodingTopLevelRecord { place = "job \(p.stats.topLevelJobs + 1)" }
        }
        guard let field else { return place }
        return place.map { "\($0).\(field)" } ?? field
    }
}
