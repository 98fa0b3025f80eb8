/// Reads job listings from a stream of bytes: any sequence of top-level JSON values, each a
/// ListBackupJobs document (`{"BackupJobs": [...], "NextToken": ...}`), an array of jobs, or one
/// job object (JSON Lines). Timestamps may be epoch seconds or ISO 8601 text in any mix.
///
/// The input is read in chunks and each job is decoded as a unit; a job cut by the end of a
/// chunk is decoded again once the next chunk has arrived.
struct ListingDecoder {
    private(set) var jobs = JobObjectDecoder()
    var chunkSize = 4 << 20
    /// Which jobs of a stream to keep, by their position in it (0-based); `nil` keeps all. The
    /// others are still checked, never silently skipped over.
    var keepJob: ((Int) -> Bool)?
    /// The documents of every stream decoded so far, in order: whether they make one listing.
    private(set) var chain = ListingChain()

    /// What one stream held.
    struct StreamStats {
        var listingDocuments = 0
        /// The NextToken of the last listing document; nil when it had none (or `""`, which ends a
        /// listing as it does for botocore).
        var lastNextToken: String?
        var arrays = 0
        var topLevelJobs = 0
        var jobsRead = 0
        var epochTimestamps = 0
        var isoTimestamps = 0
        var bytes = 0
    }

    /// The listing of every job decoded so far, read from these inputs.
    consuming func finish(inputs: [InputRecord]) -> JobListing {
        let conflicts = jobs.builder.duplicateConflicts
        return JobListing(table: jobs.builder.finish(), inputs: inputs, completeness: chain.completeness, conflicts: conflicts)
    }

    private enum Place {
        /// Between top-level values.
        case top
        /// Inside a listing document, before a member (`first`: right after its `{`).
        case listing(first: Bool)
        /// Inside an array of jobs (`inListing`: the document's `BackupJobs`).
        case jobs(first: Bool, inListing: Bool)
    }

    private struct Progress {
        /// The stream, as messages name it.
        let name: String
        var place = Place.top
        var stats = StreamStats()
        var documentIndex = 0
        var documentStart = 0
        var sawBackupJobs = false
        /// The current document's NextToken, and where the fetch of a saved listing started.
        var nextToken: String?
        var start = ListingChain.Start.unknown
        var jobIndex = 0
        var decodingTopLevelJob = false
    }

    /// The last committed position and its line: what survives a refill.
    private struct Mark {
        var offset = 0
        var line = 1
        var lineStart = 0

        /// The line and column of an offset at or after the mark, counting the newlines between.
        func location(of offset: Int, in window: ReadWindow) -> JobInputError.Location {
            var line = self.line, lineStart = self.lineStart
            for absolute in self.offset..<max(self.offset, offset) where window.base[absolute - window.start] == 0x0A {
                line += 1
                lineStart = absolute + 1
            }
            return .init(line: line, column: offset - lineStart + 1, byteOffset: offset)
        }
    }

    mutating func decode(_ source: any ByteSource, name: String, isCompressed: Bool) throws(JobInputError) -> StreamStats {
        let window = ReadWindow(capacity: chunkSize)
        var progress = Progress(name: name)
        var mark = Mark()
        let timestampsBefore = (jobs.epochTimestamps, jobs.isoTimestamps)
        jobs.builder.beginSource(name)
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
                throw JobInputError(
                    problem.code, source: name,
                    location: mark.location(of: window.start + problem.offset, in: window),
                    isCompressed: isCompressed,
                    context: context(progress, field: problem.field),
                    message: problem.message)
            }
        }
        progress.stats.bytes = window.start + window.count
        progress.stats.epochTimestamps = jobs.epochTimestamps - timestampsBefore.0
        progress.stats.isoTimestamps = jobs.isoTimestamps - timestampsBefore.1
        guard progress.stats.listingDocuments + progress.stats.arrays + progress.stats.topLevelJobs > 0 else {
            throw JobInputError(
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
                    if try isJobObject(s) {
                        p.decodingTopLevelJob = true
                        try jobs.decodeJob(&s, keep: keepJob?(p.stats.jobsRead) ?? true)
                        p.decodingTopLevelJob = false
                        p.stats.topLevelJobs += 1
                        p.stats.jobsRead += 1
                        chain.other(at: "\(p.name) (job \(p.stats.topLevelJobs))", what: "a job object, as in JSON Lines")
                    } else {
                        p.documentIndex += 1
                        p.documentStart = windowStart + s.position
                        p.sawBackupJobs = false
                        p.nextToken = nil
                        p.start = .unknown
                        s.position += 1
                        p.place = .listing(first: true)
                    }
                } else if c == UInt8(ascii: "[") {
                    p.documentIndex += 1
                    p.stats.arrays += 1
                    p.jobIndex = 0
                    chain.other(at: Self.documentPlace(p), what: "an array of jobs")
                    s.position += 1
                    p.place = .jobs(first: true, inListing: false)
                } else {
                    let found = try s.describeValue(at: s.position)
                    let seenBefore = p.documentIndex + p.stats.topLevelJobs > 0
                    throw .problem(JSONScanner.Problem(
                        code: seenBefore ? .trailingData : .notAListing,
                        message: seenBefore
                            ? "unexpected \(found) after the end of the previous value"
                            : "expected a job listing ({\"BackupJobs\": [...]}), an array of jobs or a job object, found \(found)",
                        offset: s.position))
                }
            case .listing(let first):
                guard try s.nextItem(first: first, close: UInt8(ascii: "}"), after: "a member") else {
                    guard p.sawBackupJobs else {
                        throw .problem(JSONScanner.Problem(
                            code: .missingBackupJobs,
                            message: "the document that starts at byte \(p.documentStart) has no BackupJobs member",
                            offset: s.position - 1))
                    }
                    p.stats.listingDocuments += 1
                    p.stats.lastNextToken = p.nextToken
                    chain.listing(at: Self.documentPlace(p), nextToken: p.nextToken, start: p.start)
                    p.place = .top
                    break
                }
                let key = try s.scanMemberName()
                _ = try s.peekToken()
                let valueStart = s.position
                switch keyText(key, s) {
                case "BackupJobs":
                    guard !p.sawBackupJobs else {
                        throw .problem(JSONScanner.Problem(
                            code: .duplicateMember, message: "BackupJobs appears twice in the document", offset: valueStart))
                    }
                    guard s.base[valueStart] == UInt8(ascii: "[") else {
                        throw .problem(JSONScanner.Problem(
                            code: .backupJobsNotArray,
                            message: "BackupJobs must be an array of jobs, found \(try s.describeValue(at: valueStart))",
                            offset: valueStart))
                    }
                    s.position += 1
                    p.sawBackupJobs = true
                    p.jobIndex = 0
                    p.place = .jobs(first: true, inListing: true)
                case "NextToken":
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
                case "BackupAuditFetch":
                    p.start = try savedListingStart(&s)
                    p.place = .listing(first: false)
                default:
                    try s.skipValue(depth: 1)
                    p.place = .listing(first: false)
                }
            case .jobs(let first, let inListing):
                guard try s.nextItem(first: first, close: UInt8(ascii: "]"), after: "a job") else {
                    p.place = inListing ? .listing(first: false) : .top
                    break
                }
                guard try s.peekToken() == UInt8(ascii: "{") else {
                    throw .problem(JSONScanner.Problem(
                        code: .jobNotObject, message: "expected a job object, found \(try s.describeValue(at: s.position))",
                        offset: s.position))
                }
                try jobs.decodeJob(&s, keep: keepJob?(p.stats.jobsRead) ?? true)
                p.jobIndex += 1
                p.stats.jobsRead += 1
                p.place = .jobs(first: false, inListing: inListing)
            }
            commit(s)
        }
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

    /// Tells a job object (a JSON Lines record) from a listing document by its first member.
    private func isJobObject(_ s: JSONScanner) throws(JSONScanner.Failure) -> Bool {
        var probe = s
        probe.position += 1
        guard try probe.peekToken() == UInt8(ascii: "\"") else { return false }
        let key = try probe.scanString()
        let name = keyText(key, probe)
        return name != "BackupJobs" && name != "NextToken" && JobSchema.descriptor(path: name) != nil
    }

    /// Skips a UTF-8 byte order mark at the start of the input; rejects UTF-16.
    private func skipByteOrderMark(_ s: inout JSONScanner) throws(JSONScanner.Failure) -> Bool {
        let first = s.base[s.position]
        if first == 0xEF {
            guard try s.byte(at: s.position + 1) == 0xBB, try s.byte(at: s.position + 2) == 0xBF else { return false }
            s.position += 3
            return true
        } else if first == 0xFF || first == 0xFE, let second = try? s.byte(at: s.position + 1), second == 0xFE || second == 0xFF {
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
        case .jobs(_, let inListing):
            place = inListing ? "BackupJobs[\(p.jobIndex)]" : "[\(p.jobIndex)]"
            if p.documentIndex > 1 { place = "document \(p.documentIndex): " + place! }
        case .listing:
            if p.documentIndex > 1 { place = "document \(p.documentIndex)" }
        case .top:
            if p.decodingTopLevelJob { place = "job \(p.stats.topLevelJobs + 1)" }
        }
        guard let field else { return place }
        return place.map { "\($0).\(field)" } ?? field
    }
}
