public import BackupJobs

/// Fetches every job a request names: pages through its List operation in each Region, in
/// several slices at once when asked, and decodes the pages into one listing as they arrive.
/// Several requests (one per operation: backup, copy and restore jobs) share the requests in
/// flight and make one listing, whose tables share one string pool.
///
/// Fails closed: any request that fails after its retries, any page that is not a listing, any
/// repeated page token fails the whole fetch, whatever the operation. The only data ever left
/// out is a Region the request allows to be skipped (an opt-in Region the account has not
/// enabled), and the record says so.
public struct JobFetcher: Sendable {
    /// One per operation, in the order given.
    public let requests: [FetchRequest]
    let services: [String: BackupService]
    let now: @Sendable () -> Timestamp
    let progress: (@Sendable (FetchProgress) -> Void)?

    /// - Parameters:
    ///   - service: the API of each Region of the request.
    ///   - progress: called after every page (from any task).
    public init(
        request: FetchRequest, service: (String) -> BackupService, now: @escaping @Sendable () -> Timestamp,
        progress: (@Sendable (FetchProgress) -> Void)? = nil
    ) {
        self.init(requests: [request], service: service, now: now, progress: progress)
    }

    /// Fetches several operations into one listing: `requests` name different operations.
    public init(
        requests: [FetchRequest], service: (String) -> BackupService, now: @escaping @Sendable () -> Timestamp,
        progress: (@Sendable (FetchProgress) -> Void)? = nil
    ) {
        self.requests = requests
        var services: [String: BackupService] = [:]
        for region in requests.flatMap(\.regions) where services[region] == nil { services[region] = service(region) }
        self.services = services
        self.now = now
        self.progress = progress
    }

    /// How many slices each Region's window is cut into: none when the Regions alone keep every
    /// request busy; otherwise several per request in flight, so a slice holding more jobs than
    /// the others (backups are rarely spread evenly over a month) does not leave the rest idle.
    static func slices(regions: Int, parallel: Int) -> Int {
        guard parallel > regions else { return 1 }
        return parallel * slicesPerRequest / regions
    }

    static let slicesPerRequest = 4

    /// Codes AWS answers with in a Region the account has not enabled.
    static let disabledRegionCodes: Set<String> = ["UnrecognizedClientException", "InvalidClientTokenId"]

    /// Problems of the requests together, before anything is sent.
    func validate() throws(FilterError) {
        guard !requests.isEmpty else { throw FilterError("nothing to fetch: no operation was asked for") }
        for request in requests { try request.validate() }
        let operations = requests.map(\.operation.name)
        guard Set(operations).count == operations.count else {
            throw FilterError("\(operations.joined(separator: ", ")): each operation is fetched once")
        }
        if requests.count > 1, requests.contains(where: { $0.maxItems != nil || $0.startingToken != nil }) {
            throw FilterError("\(param: .maxItems) and \(param: .startingToken) page through one operation; \(operations.count) were asked for")
        }
    }

    public func fetch() async throws(FetchError) -> FetchResult {
        do {
            try validate()
        } catch {
            throw .invalidRequest(error)
        }
        let startedAt = now()
        // The operations share the requests in flight.
        let parallel = requests.map(\.parallel).max() ?? 1
        let slicesPerRegion = Self.slices(regions: requests.reduce(0) { $0 + $1.regions.count }, parallel: parallel)
        var regions: [[FetchRecord.Region]] = []
        var queue: [SliceRun] = []
        for (operation, request) in requests.enumerated() {
            let query = BackupService.listRequest(request.filter, nextToken: nil, maxResults: nil).encodedQuery
            var records: [FetchRecord.Region] = []
            for region in request.regions {
                let endpoint = services[region]!.endpoint
                // The request's URL names the input; with one endpoint for every Region (an
                // override), the Region is added so each Region stays an input of its own.
                let input = endpoint + request.operation.path + (query.isEmpty ? "" : "?" + query)
                    + (endpoint.contains(region) ? "" : " (\(region))")
                let slices: [ListFilter]
                do {
                    slices = try TimeSlices.split(request.filter, into: slicesPerRegion, now: startedAt)
                } catch {
                    // Not reached: the count is at most 64 × 4 and the bounds are parsed times.
                    throw .invalidRequest(FilterError("\(error)"))
                }
                records.append(FetchRecord.Region(name: region, endpoint: endpoint, input: input, slices: slices.count))
                // The first page of a Region's first slice goes first: it tells whether the Region
                // answers at all before its other slices are sent.
                let start: (nextToken: String?, skip: Int) = request.startingToken.map(PaginationToken.decode) ?? (nil, 0)
                queue.append(SliceRun(
                    operation: operation, region: region, input: input, slice: 0, filter: slices[0], token: start.nextToken,
                    skip: start.skip, budget: request.maxItems, firstPageOnly: true, rest: Array(slices.dropFirst())))
            }
            regions.append(records)
        }
        let sink = PageSink(operations: requests.map(\.operation), regions: regions, progress: progress)
        var resumeTokens: [Int: String] = [:]
        do {
            try await withThrowingTaskGroup(of: SliceOutcome.self) { group in
                var running = 0
                func fill() {
                    while running < parallel, !queue.isEmpty {
                        let run = queue.removeFirst()
                        group.addTask { try await self.fetch(run, into: sink) }
                        running += 1
                    }
                }
                fill()
                while let outcome = try await group.next() {
                    running -= 1
                    if let reason = outcome.skipped {
                        await sink.skip(outcome.run.region, of: outcome.run.operation, because: reason)
                        fill()
                        continue
                    }
                    if let continuation = outcome.continuation { queue.append(continuation) }
                    for (index, filter) in outcome.run.rest.enumerated() {
                        queue.append(SliceRun(
                            operation: outcome.run.operation, region: outcome.run.region, input: outcome.run.input,
                            slice: index + 1, filter: filter, token: nil, skip: 0, budget: nil, firstPageOnly: false, rest: []))
                    }
                    if let token = outcome.resumeToken { resumeTokens[outcome.run.operation] = token }
                    fill()
                }
            }
        } catch let error as FetchError {
            throw error
        } catch is CancellationError {
            throw .cancelled
        } catch {
            throw .invalidRequest("\(error)")
        }
        var (listing, fetched) = await sink.finish()
        // `--starting-token` and `--max-items` fetch a part of a listing on purpose; it says so.
        var gaps: [ListingGap] = []
        for (operation, request) in requests.enumerated() {
            let input = fetched[operation].first?.input ?? ""
            let kind = request.operation.kind
            if let start = request.startingToken {
                gaps.append(ListingGap(kind: .missingPart(next: input, startingToken: start), recordKind: kind, after: nil, resumeToken: nil))
            }
            if let resumeToken = resumeTokens[operation] {
                gaps.append(ListingGap(kind: .endsWithNextToken, recordKind: kind, after: input, resumeToken: resumeToken))
            }
        }
        if !gaps.isEmpty { listing.completeness = .incomplete(gaps) }
        let finishedAt = now()
        let records = requests.enumerated().map { operation, request in
            FetchRecord(
                operation: request.operation, startedAt: startedAt, finishedAt: finishedAt,
                filter: request.filter.queryItems.map { FetchRecord.QueryParameter(name: $0.name, value: $0.value) },
                pageSize: request.pageSize, maxItems: request.maxItems, startingToken: request.startingToken,
                parallel: parallel, regions: fetched[operation], resumeToken: resumeTokens[operation])
        }
        return FetchResult(listing: listing, records: records)
    }

    /// Pages through one slice (or only its first page, for a probe).
    private func fetch(_ run: SliceRun, into sink: PageSink) async throws(FetchError) -> SliceOutcome {
        let service = services[run.region]!
        let request = requests[run.operation]
        var token = run.token
        var skip = run.skip
        var budget = run.budget
        var page = run.pagesBefore
        var seen = run.tokensSeen
        while true {
            let response: BackupService.Response
            do {
                response = try await service.list(run.filter, nextToken: token, maxResults: request.pageSize)
            } catch {
                if case .service(let error, _, _) = error, run.isProbe, request.skipsDisabledOptInRegions,
                   Endpoints.optInRegions.contains(run.region), Self.disabledRegionCodes.contains(error.code) {
                    return SliceOutcome(run: run, skipped: "an opt-in Region the account has not enabled (\(error.code))")
                }
                throw error
            }
            page += 1
            let keeping: Range<Int>? = skip > 0 || budget != nil ? skip..<(budget.map { skip + $0 } ?? Int.max) : nil
            let contents = try await sink.add(
                response, operation: run.operation, region: run.region, input: run.input, slice: run.slice,
                name: "\(run.region) slice \(run.slice + 1) page \(page)", keeping: keeping)
            if let remaining = budget {
                let available = max(0, contents.jobs - skip)
                if available > remaining {
                    return SliceOutcome(run: run, resumeToken: PaginationToken.encode(nextToken: token, truncate: skip + remaining))
                }
                budget = remaining - available
            }
            guard let next = contents.nextToken else { return SliceOutcome(run: run) }
            if budget == 0 { return SliceOutcome(run: run, resumeToken: PaginationToken.encode(nextToken: next)) }
            // botocore stops at a token seen on the previous page; any token seen before in this
            // slice means the listing would go round in circles.
            guard !seen.contains(next) else { throw .repeatedToken(region: run.region, operation: request.operation.name) }
            seen.insert(next)
            token = next
            skip = 0
            if run.firstPageOnly {
                var continuation = run
                continuation.token = next
                continuation.skip = 0
                continuation.budget = budget
                continuation.firstPageOnly = false
                continuation.rest = []
                continuation.pagesBefore = page
                continuation.tokensSeen = seen
                return SliceOutcome(run: run, continuation: continuation)
            }
        }
    }
}

/// One slice of one Region of one operation, from a page token on.
struct SliceRun: Sendable {
    /// Which request (operation) of the fetch.
    var operation: Int
    var region: String
    var input: String
    var slice: Int
    var filter: ListFilter
    var token: String?
    /// Jobs of the first page already returned before (from a resume token).
    var skip: Int
    /// Jobs still to return (`--max-items`).
    var budget: Int?
    var firstPageOnly: Bool
    /// The Region's other slices, sent once the probe has answered.
    var rest: [ListFilter]
    var pagesBefore = 0
    var tokensSeen: Set<String> = []

    var isProbe: Bool { firstPageOnly && slice == 0 }
}

/// How a run ended. A probe's `rest` slices are sent next, unless the Region was skipped.
struct SliceOutcome: Sendable {
    var run: SliceRun
    /// Where the slice goes on (after a probe's first page).
    var continuation: SliceRun?
    var resumeToken: String?
    /// Why the Region was skipped.
    var skipped: String?
}

/// Decodes pages as they arrive, one at a time, and keeps the counts.
actor PageSink {
    private var accumulator = PageAccumulator()
    private let operations: [ListOperation]
    /// By operation, then Region.
    private var regions: [[FetchRecord.Region]]
    private var totals = FetchProgress()
    private let progress: (@Sendable (FetchProgress) -> Void)?

    init(operations: [ListOperation], regions: [[FetchRecord.Region]], progress: (@Sendable (FetchProgress) -> Void)?) {
        self.operations = operations
        self.regions = regions
        self.progress = progress
        totals.kinds = operations.map { ($0.kind, 0) }
        var names: [String] = []
        for region in regions.joined() where !names.contains(region.name) { names.append(region.name) }
        totals.regions = names.map { ($0, 0) }
        for region in regions.joined() { accumulator.declare(input: region.input) }
    }

    func add(
        _ response: BackupService.Response, operation: Int, region: String, input: String, slice: Int, name: String, keeping: Range<Int>?
    ) throws(FetchError) -> PageAccumulator.Page {
        let page: PageAccumulator.Page
        do {
            page = try accumulator.add(
                page: response.body, kind: operations[operation].kind, input: input, stream: slice, name: name, keeping: keeping)
        } catch {
            throw .invalidPage(error, region: region, operation: operations[operation].name)
        }
        let index = regions[operation].firstIndex { $0.name == region }!
        regions[operation][index].requests += response.attempts
        regions[operation][index].retries += response.attempts - 1
        regions[operation][index].pages += 1
        regions[operation][index].jobs += page.jobs
        totals.pages += 1
        totals.jobs += page.jobs
        totals.retries += response.attempts - 1
        totals.kinds[operation].jobs += page.jobs
        if let total = totals.regions.firstIndex(where: { $0.name == region }) { totals.regions[total].jobs += page.jobs }
        progress?(totals)
        return page
    }

    func skip(_ region: String, of operation: Int, because reason: String) {
        let index = regions[operation].firstIndex { $0.name == region }!
        regions[operation][index].skipped = reason
        regions[operation][index].requests += 1
    }

    /// The listing, and the Regions of each operation.
    func finish() -> (Listing, [[FetchRecord.Region]]) {
        var listing = accumulator.finish()
        let skipped = Set(regions.joined().filter { $0.skipped != nil }.map(\.input))
        listing.inputs.removeAll { skipped.contains($0.path) }
        return (listing, regions)
    }
}
