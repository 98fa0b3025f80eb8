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
    /// The documents of every stream decoded so far, in order, per kind: whether they make one
    /// listing of that kind.
    private var chains: [RecordKind: ListingChain] = [:]

    /// What one stream held.
    struct StreamStats {
        var listingDocuments = 0
        /// The NextToken of the last listing document; nil when it had none (or `""`, which ends a
        /// listing as it does for botocore).
        var lastNextToken: String?
        var arrays = 0
        var topLevelJobs = 0
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
        let gaps = RecordKind.allCases.flatMap { chains[$0]?.completeness.gaps ?? [] }
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
    }

    private struct Progress {
        /// The stream, as messages name it.
        let name: String
        var place = Place.top
        var stats = StreamStats()
        var documentIndex = 0
        var documentStart = 0
        /// The kind of the current document's records member, once read.
        var documentKind: RecordKind?
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
                        records.select(kind)
                        p.decodingTopLevelRecord = true
                        try records.decodeRecord(&s, keep: keepRecord?(p.stats.jobsRead) ?? true)
                        p.decodingTopLevelRecord = false
                        p.stats.topLevelJobs += 1
                        p.stats.jobsRead += 1
                        chains[kind, default: ListingChain(kind: kind)].other(
                            at: "\(p.name) (job \(p.stats.topLevelJobs))", what: "a \(kind.noun) object, as in JSON Lines")
                    } else {
                        p.documentIndex += 1
                        p.documentStart = windowStart + s.position
                        p.documentKind = nil
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
                    guard let kind = p.documentKind else {
                        throw .problem(JSONScanner.Problem(
                            code: .missingBackupJobs,
                            message: "the document that starts at byte \(p.documentStart) has no \(Self.memberNames) member",
                            offset: s.position - 1))
                    }
                    p.stats.listingDocuments += 1
                    p.stats.lastNextToken = p.nextToken
                    chains[kind, default: ListingChain(kind: kind)].listing(at: Self.documentPlace(p), nextToken: p.nextToken, start: p.start)
                    p.place = .top
                    break
                }
                let key = try s.scanMemberName()
                _ = try s.peekToken()
                let valueStart = s.position
                let name = keyText(key, s)
                if let kind = RecordKind(member: name) {
                    if let seen = p.documentKind {
                        throw .problem(JSONScanner.Problem(
                            code: .duplicateMember,
                            message: seen == kind
                                ? "\(name) appears twice in the document"
                                : "the document holds both \(seen.member) and \(name): a listing document holds records of one kind",
                            offset: valueStart))
                    }
                    try checkExpected(kind, at: valueStart)
                    guard s.base[valueStart] == UInt8(ascii: "[") else {
                        throw .problem(JSONScanner.Problem(
                            code: .backupJobsNotArray,
                            message: "\(name) must be an array of \(kind.pluralNoun), found \(try s.describeValue(at: valueStart))",
                            offset: valueStart))
                    }
                    s.position += 1
                    p.documentKind = kind
                    records.select(kind)
                    p.recordIndex = 0
                    p.place = .records(first: true, inListing: true, kind: kind)
                } else if name == "NextToken" {
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
                            message: "NextToken must be a string or null, found \(try s.describeValue(at: valueStart))",
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
                        for open in chains.keys { chains[open]?.other(at: Self.documentPlace(p), what: "an empty array") }
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
                    records.select(decided)
                    chains[decided, default: ListingChain(kind: decided)].other(
                        at: Self.documentPlace(p), what: "an array of \(decided.pluralNoun)")
                    kind = decided
                }
                try records.decodeRecord(&s, keep: keepRecord?(p.stats.jobsRead) ?? true)
                p.recordIndex += 1
                p.stats.jobsRead += 1
                p.place = .records(first: false, inListing: inListing, kind: kind)
            }
            commit(s)
        }
    }

    /// "BackupJobs, CopyJobs or RestoreJobs"
    private static let memberNames: String = {
        let members = RecordKind.allCases.map(\.member)
        return members.dropLast().joined(separator: ", ") + " or " + members.last!
    }()

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
            while try probe.nextItem(first: first, close: UInt8(ascii: "}"), after: "a member") {
                first = false
                let key = try probe.scanMemberName()
                if !key.hasEscapes, let kind = Self.kind(ofIDMember: probe.base + key.start, count: key.end - key.start) {
                    return kind
                }
                try probe.skipValue(depth: 1)
            }
            return nil
        } catch .needMoreInput {
            throw .needMoreInput
        } catch {
            return nil
        }
    }

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
        case .listing:
            if p.documentIndex > 1 { place = "document \(p.documentIndex)" }
        case .top:
            if p.decodingTopLevelRecord { place = "job \(p.stats.topLevelJobs + 1)" }
        }
        guard let field else { return place }
        return place.map { "\($0).\(field)" } ?? field
    }
}
