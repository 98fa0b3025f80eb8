import BackupJobs
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads STS's XML answers:
///
/// ```xml
/// <AssumeRoleResponse><AssumeRoleResult>
///   <Credentials><AccessKeyId>…</AccessKeyId><SecretAccessKey>…</SecretAccessKey>
///     <SessionToken>…</SessionToken><Expiration>2026-11-28T13:00:00Z</Expiration></Credentials>
///   <AssumedRoleUser><Arn>…</Arn><AssumedRoleId>…</AssumedRoleId></AssumedRoleUser>
/// </AssumeRoleResult></AssumeRoleResponse>
///
/// <ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>…</Message></Error>
///   <RequestId>…</RequestId></ErrorResponse>
/// ```
enum STSResponse {
    static func assumedRole(_ body: [UInt8], action: String) throws(STSError) -> AssumedRole {
        guard let document = XMLPaths.parse(body) else { throw STSError(.malformedResponse, "the \(action) response is not XML") }
        let result = "\(action)Response/\(action)Result"
        let requestID = document["\(action)Response/ResponseMetadata/RequestId"]
        func required(_ path: String) throws(STSError) -> String {
            guard let value = document["\(result)/\(path)"], !value.isEmpty else {
                throw STSError(.malformedResponse, "the \(action) response has no \(path.replacingOccurrences(of: "/", with: "."))", requestID: requestID)
            }
            return value
        }
        let accessKey = try required("Credentials/AccessKeyId")
        let secret = try required("Credentials/SecretAccessKey")
        let token = try required("Credentials/SessionToken")
        let expiryText = try required("Credentials/Expiration")
        guard let expiration = Timestamp(iso8601: expiryText) else {
            throw STSError(.malformedResponse, "the \(action) response's Expiration \"\(TextLimits.excerpt(expiryText, limit: 40))\" is not an ISO 8601 time", requestID: requestID)
        }
        return AssumedRole(
            credentials: Credentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: token, expiration: expiration),
            assumedRoleARN: document["\(result)/AssumedRoleUser/Arn"],
            assumedRoleID: document["\(result)/AssumedRoleUser/AssumedRoleId"])
    }

    /// The error in a non-200 answer. Text that is not an STS error document is quoted (short,
    /// with any secret that was sent scrubbed).
    static func error(_ response: HTTPResponse, secrets: [String?]) -> STSError {
        let text = String(decoding: response.body, as: UTF8.self)
        if let document = XMLPaths.parse(response.body), let code = document["ErrorResponse/Error/Code"] {
            let message = document["ErrorResponse/Error/Message"] ?? "(no message)"
            return STSError(
                .service(code: code, status: response.status),
                TextLimits.scrub(TextLimits.excerpt(message, limit: 600), secrets: secrets),
                requestID: document["ErrorResponse/RequestId"] ?? document["ErrorResponse/Error/RequestId"])
        }
        let excerpt = TextLimits.scrub(TextLimits.excerpt(text, limit: 200), secrets: secrets)
        return STSError(.service(code: "HTTP\(response.status)", status: response.status), excerpt.isEmpty ? "(empty body)" : excerpt)
    }
}

/// An XML document flattened to `Root/Child/Leaf → text` (the first occurrence of each path;
/// namespace prefixes dropped). Enough for STS, whose answers are small and shallow.
struct XMLPaths {
    var values: [String: String] = [:]

    subscript(path: String) -> String? { values[path] }

    static func parse(_ bytes: [UInt8]) -> XMLPaths? {
        guard !bytes.isEmpty else { return nil }
        let parser = XMLParser(data: Data(bytes))
        let collector = Collector()
        parser.delegate = collector
        parser.shouldResolveExternalEntities = false
        guard parser.parse(), !collector.failed else { return nil }
        return XMLPaths(values: collector.values)
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var stack: [String] = []
        var text = ""
        var values: [String: String] = [:]
        var failed = false

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            stack.append(local)
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            text += String(decoding: CDATABlock, as: UTF8.self)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            let path = stack.joined(separator: "/")
            if values[path] == nil { values[path] = text.trimmingCharacters(in: .whitespacesAndNewlines) }
            stack.removeLast()
            text = ""
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            failed = true
        }
    }
}
