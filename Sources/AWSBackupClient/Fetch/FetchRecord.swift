public import BackupJobs

/// What a fetch did, for the evidence trail: when, against which endpoints, with which filters,
/// how many requests and pages, and which Regions were skipped and why.
public struct FetchRecord: Sendable, Equatable {
    /// The List operation called (its kind is the kind of the records fetched).
    public var operation: ListOperation
    public var startedAt: Timestamp
    public var finishedAt: Timestamp
    /// The filters as sent (query parameters of the operation, before slicing).
    public var filter: [QueryParameter]
    public var pageSize: Int?
    public var maxItems: Int?
    public var startingToken: String?
    public var parallel: Int
    public var regions: [Region]
    /// Set when `--max-items` stopped the fetch early: pass it as `--starting-token` to go on.
    public var resumeToken: String?
    /// The named profile the credentials came from, when one was named.
    public var profile: String?

    public struct QueryParameter: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    public struct Region: Sendable, Equatable {
        public var name: String
        public var endpoint: String
        /// The name the listing's input has in reports.
        public var input: String
        public var slices = 1
        public var requests = 0
        public var retries = 0
        public var pages = 0
        /// Records in the pages, before duplicates (from overlapping slices) were merged.
        public var jobs = 0
        /// Why the Region was not fetched; nil when it was.
        public var skipped: String?
    }

    public var skippedRegions: [Region] { regions.filter { $0.skipped != nil } }
    public var requests: Int { regions.reduce(0) { $0 + $1.requests } }
    public var retries: Int { regions.reduce(0) { $0 + $1.retries } }
    public var pages: Int { regions.reduce(0) { $0 + $1.pages } }
}

/// Running totals, reported after every page.
public struct FetchProgress: Sendable, Equatable {
    public var pages = 0
    /// Records of every kind.
    public var jobs = 0
    public var retries = 0
    /// Records so far of each kind fetched, in the request's order.
    public var kinds: [(kind: RecordKind, jobs: Int)] = []
    /// Jobs so far in each Region, in the request's order.
    public var regions: [(name: String, jobs: Int)] = []

    public static func == (lhs: FetchProgress, rhs: FetchProgress) -> Bool {
        lhs.pages == rhs.pages && lhs.jobs == rhs.jobs && lhs.retries == rhs.retries
            && lhs.regions.map(\.name) == rhs.regions.map(\.name) && lhs.regions.map(\.jobs) == rhs.regions.map(\.jobs)
            && lhs.kinds.map(\.kind) == rhs.kinds.map(\.kind) && lhs.kinds.map(\.jobs) == rhs.kinds.map(\.jobs)
    }
}

/// The jobs of a fetch and how they were fetched.
public struct FetchResult: Sendable {
    public var listing: Listing
    /// One per operation, in the order of the requests (never empty).
    public var records: [FetchRecord]

    public init(listing: Listing, records: [FetchRecord]) {
        self.listing = listing
        self.records = records
    }

    /// The record of a fetch of one operation (the first one's, of several).
    public var record: FetchRecord {
        get { records[0] }
        set { records[0] = newValue }
    }
}
