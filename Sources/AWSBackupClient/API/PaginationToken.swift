import Foundation

/// botocore's paginator tokens: base64 of JSON `{"NextToken": ..., "boto_truncate_amount": n}`,
/// so a token from `aws backup list-backup-jobs --max-items` resumes here and the other way round.
public enum PaginationToken {
    public static func encode(nextToken: String?, truncate: Int? = nil) -> String {
        // json.dumps' layout, so the tokens are byte for byte the AWS CLI's.
        var json = "{\"NextToken\": " + (nextToken.map(jsonString) ?? "null")
        if let truncate { json += ", \"boto_truncate_amount\": \(truncate)" }
        json += "}"
        return Data(json.utf8).base64EncodedString()
    }

    /// The service token and how many jobs of its page were already returned. A token that is not
    /// one of these is passed to the service as it is (botocore does the same).
    public static func decode(_ token: String) -> (nextToken: String?, skip: Int) {
        guard let data = Data(base64Encoded: token),
              let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any]
        else { return (token, 0) }
        return (object["NextToken"] as? String, (object["boto_truncate_amount"] as? Int) ?? 0)
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value > 0x7E:
                // json.dumps escapes everything outside ASCII (ensure_ascii), as UTF-16 units.
                for unit in String(scalar).utf16 { out += "\\u" + String(format: "%04x", unit) }
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
