/// The parts of an ARN a selection decision needs: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
public struct ResourceArn: Equatable, Hashable, Sendable {
    public var partition: String
    public var service: String
    public var region: String
    public var account: String
    /// Everything after the fifth colon: `volume/vol-1`, `db:orders`, `my-bucket`.
    public var resource: String

    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[1].isEmpty, !parts[2].isEmpty, !parts[5].isEmpty else { return nil }
        partition = String(parts[1])
        service = String(parts[2])
        region = String(parts[3])
        account = String(parts[4])
        resource = String(parts[5])
    }
}

/// The resource types AWS Backup protects, named as ListBackupJobs and ListProtectedResources
/// name them (the service model's `ByResourceType` documentation), and how each one's ARNs look.
public enum BackupResourceType {
    /// Every type the service model lists.
    public static let supported: Set<String> = [
        "Aurora", "CloudFormation", "DocumentDB", "DynamoDB", "EBS", "EC2", "EFS", "EKS", "FSx", "Neptune", "RDS",
        "Redshift", "S3", "SAP HANA on Amazon EC2", "Storage Gateway", "Timestream", "VirtualMachine",
    ]

    /// The type an ARN names, when its shape tells: `nil` for an ARN of a type AWS Backup does
    /// not protect, or one whose type the ARN alone cannot tell. An RDS cluster ARN
    /// (`rds:…:cluster:…`) may be Aurora, DocumentDB, Neptune or an RDS Multi-AZ cluster, so it
    /// gives `nil` too; the resource's own type (from an inventory) then decides.
    public static func type(of arn: ResourceArn) -> String? {
        let resource = arn.resource
        switch arn.service {
        case "ec2":
            if resource.hasPrefix("volume/") { return "EBS" }
            if resource.hasPrefix("instance/") { return "EC2" }
        case "rds":
            if resource.hasPrefix("db:") { return "RDS" }
        case "dynamodb":
            if resource.hasPrefix("table/") { return "DynamoDB" }
        case "elasticfilesystem":
            if resource.hasPrefix("file-system/") { return "EFS" }
        case "fsx":
            if resource.hasPrefix("file-system/") || resource.hasPrefix("volume/") { return "FSx" }
        case "s3":
            // A bucket's ARN is its name: no Region, no account, no slash.
            if arn.region.isEmpty, arn.account.isEmpty, !resource.contains("/") { return "S3" }
        case "storagegateway":
            if resource.hasPrefix("gateway/"), resource.contains("/volume/") { return "Storage Gateway" }
        case "redshift":
            if resource.hasPrefix("cluster:") { return "Redshift" }
        case "timestream":
            if resource.hasPrefix("database/"), resource.contains("/table/") { return "Timestream" }
        case "cloudformation":
            if resource.hasPrefix("stack/") { return "CloudFormation" }
        case "ssm-sap":
            if resource.hasPrefix("HANA/") { return "SAP HANA on Amazon EC2" }
        case "backup-gateway":
            if resource.hasPrefix("vm/") { return "VirtualMachine" }
        case "eks":
            if resource.hasPrefix("cluster/") { return "EKS" }
        default:
            break
        }
        return nil
    }

    /// Whether AWS Backup could protect the ARN's resource, by its shape, for an RDS cluster's
    /// ambiguous ARN too (every type it may be is protected).
    static func isProtectable(_ arn: ResourceArn) -> Bool {
        type(of: arn) != nil || (arn.service == "rds" && arn.resource.hasPrefix("cluster:"))
    }
}
