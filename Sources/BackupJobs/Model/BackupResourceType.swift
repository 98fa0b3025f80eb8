/// The AWS Backup resource type (`ResourceType` of jobs: EBS, EC2, RDS, Aurora, …) of a resource
/// an inventory names by ARN only (GetResources, a list of ARNs, terraform state).
///
/// Derived from the ARN's service and resource prefix, as AWS Backup's documentation of supported
/// resources gives them (https://docs.aws.amazon.com/aws-backup/latest/devguide/whatisbackup.html
/// "Supported AWS resources", and each type's ARN format in its service's reference). Never
/// guessed: an ARN that does not say is left without a type.
///
/// An RDS cluster (`arn:aws:rds:…:cluster:NAME`) is Aurora, DocumentDB, Neptune or a Multi-AZ DB
/// cluster (RDS): the four share the ARN's form, so only the engine decides (terraform's `engine`,
/// AWS Config's `configuration.engine`); without it the type stays absent. An RDS instance
/// (`db:NAME`) is RDS, unless its engine says it is a member of an Aurora, DocumentDB or Neptune
/// cluster, which AWS Backup protects through the cluster (then absent).
public enum BackupResourceType {
    /// The type of the resource `arn` names; `engine` is the database engine where the inventory
    /// gives it (`aurora-mysql`, `docdb`, `neptune`, `postgres`).
    public static func of(arn: String, engine: String? = nil) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn" else { return nil }
        let service = parts[2], resource = parts[5]
        func starts(_ prefix: String) -> Bool { resource.hasPrefix(prefix) }
        switch service {
        case "ec2": return starts("volume/") ? "EBS" : starts("instance/") ? "EC2" : nil
        case "rds":
            if starts("cluster:") { return clusterType(engine: engine) }
            guard starts("db:") else { return nil }
            guard let engine else { return "RDS" }
            return isClusterMemberEngine(engine) ? nil : "RDS"
        case "dynamodb": return starts("table/") && !resource.contains("/stream/") && !resource.contains("/index/") ? "DynamoDB" : nil
        case "elasticfilesystem": return starts("file-system/") ? "EFS" : nil
        case "fsx": return starts("file-system/") || starts("volume/") ? "FSx" : nil
        // A bucket's ARN is `arn:aws:s3:::NAME`; an object's holds a `/`.
        case "s3": return parts[3].isEmpty && parts[4].isEmpty && !resource.isEmpty && !resource.contains("/") ? "S3" : nil
        case "storagegateway": return starts("gateway/") && resource.contains("/volume/") ? "Storage Gateway" : nil
        case "backup-gateway": return starts("vm/") ? "VirtualMachine" : nil
        case "cloudformation": return starts("stack/") ? "CloudFormation" : nil
        case "redshift": return starts("cluster:") ? "Redshift" : nil
        case "redshift-serverless": return starts("namespace/") ? "Redshift Serverless" : nil
        case "timestream": return starts("database/") && resource.contains("/table/") ? "Timestream" : nil
        case "eks": return starts("cluster/") ? "EKS" : nil
        case "dsql": return starts("cluster/") ? "DSQL" : nil
        case "ssm-sap": return starts("HANA/") ? "SAP HANA on Amazon EC2" : nil
        default: return nil
        }
    }

    /// The engines whose instances are members of a cluster AWS Backup protects as a whole.
    private static func isClusterMemberEngine(_ engine: String) -> Bool {
        engine.hasPrefix("aurora") || engine == "docdb" || engine == "neptune"
    }

    /// The type of an RDS cluster by its engine; nil when the engine is unknown or not given.
    private static func clusterType(engine: String?) -> String? {
        guard let engine else { return nil }
        if engine.hasPrefix("aurora") { return "Aurora" }
        if engine == "docdb" { return "DocumentDB" }
        if engine == "neptune" { return "Neptune" }
        // Multi-AZ DB clusters run the RDS engines; AWS Backup lists them as RDS.
        if ["mysql", "postgres"].contains(engine) { return "RDS" }
        return nil
    }
}
