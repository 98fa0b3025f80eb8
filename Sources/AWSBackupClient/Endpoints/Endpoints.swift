import Foundation

/// Where the AWS Backup API of a Region answers, as the SDKs resolve it.
public enum Endpoints {
    /// Regions where AWS Backup runs in the commercial partition, for `--all-regions`. Regions a
    /// new account has not enabled ("opt-in" Regions) answer UnrecognizedClientException; a fetch
    /// over all Regions skips those and says so.
    public static let allRegions = [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-east-2", "ap-south-1",
        "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
        "ap-southeast-7", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2",
        "eu-north-1", "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
    ]

    /// Regions an account must enable before use.
    public static let optInRegions: Set<String> = [
        "af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
        "ap-southeast-7", "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1", "me-south-1",
        "me-central-1", "mx-central-1",
    ]

    /// The DNS suffix of a Region's partition.
    public static func dnsSuffix(_ region: String) -> String {
        if region.hasPrefix("cn-") { return "amazonaws.com.cn" }
        if region.hasPrefix("us-isob-") { return "sc2s.sgov.gov" }
        if region.hasPrefix("us-iso-") { return "c2s.ic.gov" }
        return "amazonaws.com"
    }

    /// `https://backup.{region}.{suffix}`, or the FIPS endpoint. An explicit endpoint (the
    /// `--endpoint-url` flag, then `AWS_ENDPOINT_URL_BACKUP`, then `AWS_ENDPOINT_URL`) wins.
    public static func backup(region: String, fips: Bool = false, override: String? = nil) -> String {
        if let override { return override.hasSuffix("/") ? String(override.dropLast()) : override }
        return "https://backup\(fips ? "-fips" : "").\(region).\(dnsSuffix(region))"
    }

    /// The endpoint override from the environment, per the SDKs' precedence.
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` turns the variables off (the flag still counts).
    public static func backupOverride(flag: String?, variables: [String: String]) -> String? {
        if let flag { return flag }
        guard variables["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() != "true" else { return nil }
        return variables["AWS_ENDPOINT_URL_BACKUP"].nonEmpty ?? variables["AWS_ENDPOINT_URL"].nonEmpty
    }

    /// Whether FIPS endpoints were asked for (`AWS_USE_FIPS_ENDPOINT=true`).
    public static func usesFIPS(variables: [String: String]) -> Bool {
        variables["AWS_USE_FIPS_ENDPOINT"]?.lowercased() == "true"
    }

    /// The host and port of an endpoint URL, and whether it is TLS.
    public static func parse(_ url: String) -> (scheme: String, host: String, port: Int?)? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        var rest = url[schemeEnd.upperBound...]
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        if rest.hasPrefix("[") , let close = rest.firstIndex(of: "]") {
            let host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            return (scheme, host, after.hasPrefix(":") ? Int(after.dropFirst()) : nil)
        }
        let parts = rest.split(separator: ":", maxSplits: 1)
        guard let host = parts.first, !host.isEmpty else { return nil }
        return (scheme, String(host), parts.count == 2 ? Int(parts[1]) : nil)
    }

    /// Plain HTTP to anything but this machine sends signed requests in the clear.
    public static func isInsecure(_ url: String) -> Bool {
        guard let parsed = parse(url), parsed.scheme == "http" else { return false }
        return !["127.0.0.1", "localhost", "::1"].contains(parsed.host) && !parsed.host.hasPrefix("127.")
    }
}

extension Optional where Wrapped == String {
    var nonEmpty: String? {
        guard let value = self, !value.isEmpty else { return nil }
        return value
    }
}
