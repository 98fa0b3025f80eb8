import Foundation

/// An error response from an AWS service (rest-json and JSON protocols): the code from
/// `x-amzn-ErrorType` or the body's `__type`, and the message.
public struct AWSErrorResponse: Error, Sendable, CustomStringConvertible {
    public var status: Int
    /// `ThrottlingException`, `AccessDeniedException`, ...
    public var code: String
    public var message: String
    public var requestID: String?
    /// The operation that was called (`ListCopyJobs`), when the client knows it: an access denied
    /// names its permission.
    public var operation: String?

    public init(status: Int, code: String, message: String, requestID: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    /// Reads an error response. Codes may come namespaced (`com.amazon.backup#ThrottlingException`)
    /// or with a suffix (`ThrottlingException:http://internal.amazon.com/...`).
    public static func parse(_ response: HTTPResponse) -> AWSErrorResponse {
        var code = response.header("x-amzn-ErrorType")
        var message: String?
        if let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] {
            code = code ?? (object["__type"] as? String) ?? (object["code"] as? String) ?? (object["Code"] as? String)
            message = (object["message"] as? String) ?? (object["Message"] as? String) ?? (object["errorMessage"] as? String)
        }
        var cleaned = code ?? ""
        if let colon = cleaned.firstIndex(of: ":") { cleaned = String(cleaned[..<colon]) }
        if let hash = cleaned.lastIndex(of: "#") { cleaned = String(cleaned[cleaned.index(after: hash)...]) }
        if cleaned.isEmpty { cleaned = response.status == 429 ? "TooManyRequestsException" : "HTTP\(response.status)" }
        let text = message ?? String(decoding: response.body.prefix(300), as: UTF8.self)
        return AWSErrorResponse(status: response.status, code: cleaned, message: text,
                            requestID: response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id"))
    }

    public var description: String {
        "\(code) (HTTP \(status)): \(message)" + (requestID.map { " [request \($0)]" } ?? "")
    }

    /// What a user should read: for access denied, the permission and identity; for an invalid
    /// parameter, which one.
    public var explanation: String {
        switch code {
        case "AccessDeniedException", "AccessDenied", "UnauthorizedOperation":
            let identity = message.firstMatch(of: /User: (\S+)/).map { String($0.output.1) } ?? "the caller"
            return "access denied: \(identity) may not call backup:\(operation ?? "ListBackupJobs"); grant it that permission (the managed policy AWSBackupAuditAccess has it). AWS said: \(message)"
        case "InvalidParameterValueException", "ValidationException", "InvalidParameterException":
            return "AWS rejected a parameter: \(message)"
        case "UnrecognizedClientException", "InvalidClientTokenId", "InvalidSignatureException", "SignatureDoesNotMatch", "ExpiredTokenException":
            return "AWS did not accept the credentials (\(code)): \(message); check the profile or environment credentials, the clock, and that the Region is enabled for the account"
        default:
            return description
        }
    }
}
