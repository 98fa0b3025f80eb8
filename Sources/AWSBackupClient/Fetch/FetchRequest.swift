
/// What a fetch asks for: one List operation and its filters, the Regions, and how to page.
public struct FetchRequest: Sendable {
    public var regions: [String]
    /// The operation and its filters (ListBackupJobs unless said otherwise).
    public var filter: ListFilter
    public var operation: ListOperation { filter.operation }
    /// `MaxResults` of each request (`--page-size`, 1...1000); the service's default when nil.
    public var pageSize: Int?
    /// Stop after this many jobs and hand out a resume token (`--max-items`).
    public var maxItems: Int?
    /// Where a previous `--max-items` fetch stopped (`--starting-token`): its resume token, or a
    /// NextToken of the service.
    public var startingToken: String?
    /// Requests in flight at once. Above 1, each Region's creation window is cut into slices
    /// fetched side by side.
    public var parallel = 1
    /// Regions that answer "this Region is not enabled for the account" are skipped with a
    /// warning instead of failing the fetch (`--all-regions`): only opt-in Regions qualify.
    public var skipsDisabledOptInRegions = false

    public init(regions: [String], operation: ListOperation = .listBackupJobs) {
        self.regions = regions
        filter = ListFilter(operation)
    }

    public static let pageSizeRange = 1...1000
    public static let parallelRange = 1...64

    /// Problems a request can have before anything is sent; each names the parameter.
    public func validate() throws(FilterError) {
        try filter.validate()
        guard !regions.isEmpty else { throw FilterError("no Region: pass \(param: .region), set AWS_REGION, or set region in the profile") }
        var seen = Set<String>()
        for region in regions {
            guard region.wholeMatch(of: /[a-z]{2}(-[a-z]+)+-[0-9]+/) != nil else {
                throw FilterError("\(param: .region) '\(region)' is not a Region name (like us-east-1)")
            }
            guard seen.insert(region).inserted else { throw FilterError("\(param: .region) \(region) is given twice") }
        }
        if let pageSize, !Self.pageSizeRange.contains(pageSize) {
            throw FilterError("\(param: .pageSize) \(pageSize) is outside 1...1000, the sizes \(operation.name) accepts")
        }
        if let maxItems, maxItems < 1 { throw FilterError("\(param: .maxItems) must be at least 1") }
        guard Self.parallelRange.contains(parallel) else {
            throw FilterError("\(param: .parallel) \(parallel) is outside \(Self.parallelRange.lowerBound)...\(Self.parallelRange.upperBound)")
        }
        if maxItems != nil || startingToken != nil {
            let flag: RequestParameter = maxItems != nil ? .maxItems : .startingToken
            guard regions.count == 1 else { throw FilterError("\(param: flag) pages through one Region; \(regions.count) were given") }
            guard parallel == 1 else { throw FilterError("\(param: flag) follows the service's page order, which \(param: .parallel) does not keep; drop one of them") }
        }
    }
}
