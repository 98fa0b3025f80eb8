/// Whether the documents of a listing make one whole: every page that announces a next one
/// (`NextToken`) is followed by a page that continues it, and every saved part that was fetched
/// from a token follows the part that ended with it.
public enum ListingCompleteness: Sendable, Equatable {
    case complete
    /// Parts are missing; each gap says where, and the token to fetch them from when it is known.
    case incomplete([ListingGap])

    public var isComplete: Bool { self == .complete }

    public var gaps: [ListingGap] {
        if case .incomplete(let gaps) = self { return gaps }
        return []
    }
}

/// A place where pages of a listing are missing. Pages continue pages of their own kind: a
/// listing of copy jobs is one chain, a listing of backup jobs another.
public struct ListingGap: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The last document of the inputs ends with a NextToken: the pages after it are missing.
        case endsWithNextToken
        /// The value after a document with a NextToken cannot continue it: a JSON array, a job
        /// (JSON Lines), or a saved listing fetched from the start. `next` is where it is.
        case notContinued(next: String, what: String)
        /// A saved listing fetched from token `startingToken` does not follow a document ending
        /// with that token. `next` is the saved listing.
        case missingPart(next: String, startingToken: String)
    }

    public var kind: Kind
    /// The kind of the records whose pages are missing.
    public var recordKind: RecordKind
    /// The document before the gap (`jobs.json`, `jobs.json (document 3)`), or nil when the gap
    /// is at the start of the data.
    public var after: String?
    /// The NextToken of the document before the gap: where fetching the missing pages starts.
    /// Nil when that is unknown (the first part is missing, or the document before the gap ended
    /// without a token).
    public var resumeToken: String?
    /// The member that held the token: NextToken, or GetResources' PaginationToken.
    public var tokenMember: String

    public init(kind: Kind, recordKind: RecordKind = .backupJob, tokenMember: String = "NextToken", after: String?, resumeToken: String?) {
        self.kind = kind
        self.recordKind = recordKind
        self.tokenMember = tokenMember
        self.after = after
        self.resumeToken = resumeToken
    }

    /// What is missing; a gap in a listing of another kind than backup jobs names the kind first
    /// (`copy jobs: copy.json ends with NextToken …`).
    public var description: String {
        recordKind == .backupJob ? explanation : "\(recordKind.pluralNoun): \(explanation)"
    }

    private var explanation: String {
        let token = resumeToken.map { "with \(tokenMember) \($0)" } ?? "without a \(tokenMember)"
        let ending = after.map { "\($0) ends \(token)" }
        switch kind {
        case .endsWithNextToken:
            return "\(ending ?? "the data ends with a \(tokenMember)"), and nothing follows it: the pages after it are missing"
        case .notContinued(let next, let what):
            return "\(ending ?? "a document ends with a \(tokenMember)"), but what follows it (\(what) in \(next)) cannot continue it: the pages after it are missing"
        case .missingPart(let next, let startingToken):
            guard let after else {
                return "\(next) was fetched from token \(startingToken), but nothing before it ends with that token: the first part of the listing is missing"
            }
            return "\(next) was fetched from token \(startingToken), but the document before it (\(after)) ends \(token): the part between them is missing"
        }
    }
}

/// As reports and summaries write a gap: `{"kind", "after", "resumeToken", "description"}`.
extension ListingGap: Encodable {
    private enum CodingKeys: String, CodingKey { case kind, after, resumeToken, description }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(recordKind, forKey: .kind)
        try container.encodeIfPresent(after, forKey: .after)
        try container.encodeIfPresent(resumeToken, forKey: .resumeToken)
        try container.encode(description, forKey: .description)
    }
}

/// Follows the documents of one kind in every input, in the order read, and finds the gaps: a
/// NextToken that nothing of the kind continues, and a saved part whose start does not meet the
/// end of the part before it.
///
/// A raw page does not say which token it answers, so any listing document continues the one
/// before it; a listing this tool saved says which token its fetch started from (none: from the
/// start of the listing), so a missing middle part between saved parts is found too.
struct ListingChain {
    let kind: RecordKind
    /// The member that carries the next page's token: NextToken; GetResources' PaginationToken.
    let tokenMember: String

    init(kind: RecordKind, tokenMember: String = "NextToken") {
        self.kind = kind
        self.tokenMember = tokenMember
    }
    /// Where a saved listing's fetch started, from its `BackupAuditFetch` record.
    enum Start: Equatable {
        /// A document without such a record: a raw page, or someone else's export.
        case unknown
        case beginning
        case token(String)
    }

    /// The last document, when it ended with a NextToken not yet continued.
    private var open: (place: String, token: String)?
    /// The last listing document, for a saved part that must follow it.
    private var previous: (place: String, token: String?)?
    private(set) var gaps: [ListingGap] = []

    /// A listing document has been read.
    mutating func listing(at place: String, nextToken: String?, start: Start) {
        switch start {
        case .unknown:
            break
        case .beginning:
            if let open {
                gaps.append(ListingGap(kind: .notContinued(next: place, what: "a saved listing fetched from the start"), recordKind: kind, tokenMember: tokenMember,
                                       after: open.place, resumeToken: open.token))
            }
        case .token(let token):
            if open?.token != token {
                gaps.append(ListingGap(kind: .missingPart(next: place, startingToken: token), recordKind: kind, tokenMember: tokenMember,
                                       after: previous?.place, resumeToken: previous?.token))
            }
        }
        open = nextToken.map { (place, $0) }
        previous = (place, nextToken)
    }

    /// A value of the kind that is not a listing document (an array of records, a record) has
    /// been read.
    @inline(__always)
    mutating func other(at place: @autoclosure () -> String, what: String) {
        if let open {
            gaps.append(ListingGap(kind: .notContinued(next: place(), what: what), recordKind: kind, tokenMember: tokenMember, after: open.place, resumeToken: open.token))
            self.open = nil
        }
        previous = nil
    }

    /// Every gap, including a NextToken left open at the end.
    var completeness: ListingCompleteness {
        var all = gaps
        if let open { all.append(ListingGap(kind: .endsWithNextToken, recordKind: kind, tokenMember: tokenMember, after: open.place, resumeToken: open.token)) }
        return all.isEmpty ? .complete : .incomplete(all)
    }
}
