/// A resource to decide selections for: its ARN, its AWS Backup resource type when the inventory
/// gives one (`EBS`, `Aurora`), and its tags, keys and values exactly as AWS holds them.
public struct SelectableResource: Equatable, Sendable {
    public var arn: String
    public var resourceType: String?
    public var tags: [String: String]

    public init(arn: String, resourceType: String? = nil, tags: [String: String] = [:]) {
        self.arn = arn
        self.resourceType = resourceType
        self.tags = tags
    }
}
