import BackupJobs
import NIOCore

/// An AWS error response as the emulator sends it: status, `x-amzn-ErrorType`, and the rest-json body
/// `{"__type":"…","message":"…"}`.
struct EmulatedErrorResponse: Error {
    var status: Int
    var type: String
    var message: String
    var headers: [(name: String, value: String)] = []

    init(status: Int, type: String, message: String, headers: [(name: String, value: String)] = []) {
        self.status = status
        self.type = type
        self.message = message
        self.headers = headers
    }

    var body: [UInt8] {
        var out: [UInt8] = Array(#"{"__type":"#.utf8)
        JSONText.appendString(type, to: &out)
        out += Array(#","message":"#.utf8)
        JSONText.appendString(message, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Whether this rejection comes from request authentication (a 403 before anything ran).
    var isAuthenticationFailure: Bool {
        Self.authenticationTypes.contains(type)
    }

    static let authenticationTypes: Set<String> = [
        "MissingAuthenticationTokenException", "IncompleteSignatureException", "InvalidSignatureException",
        "UnrecognizedClientException", "ExpiredTokenException",
    ]

    static func invalidParameter(_ message: String) -> EmulatedErrorResponse {
        EmulatedErrorResponse(status: 400, type: "InvalidParameterValueException", message: message)
    }
}
