/// How timestamps are written in response bodies.
public enum TimestampNotation: Sendable, Hashable {
    /// `1704164645.123`, `1704164645.5`, `1704164645.0`: epoch seconds with up to three decimals
    /// (trailing zeros cut, one kept), as a double prints in most languages.
    case decimal
    /// `1.704164645123E9`: what Java's `Double.toString` prints, as AWS services built on Java
    /// serializers send. Values below 10^7 seconds print as plain decimals, as Java does.
    case scientific
}

/// Writes one `BackupJob` as the JSON object the ListBackupJobs API returns: members in the service
/// model's order, absent members left out, `CreatedBy` and `RecoveryPointLifecycle` nested,
/// `BackupOptions` with its keys sorted, timestamps as epoch seconds, members outside the schema
/// (`BackupJob.additionalFields`) written back as their JSON text.
///
/// Bytes are appended to a caller's buffer with no intermediate `String`s, so a catalog of
/// hundreds of thousands of jobs is serialized once at startup in well under a second.
public enum JobJSONWriter {
    /// The job's JSON object, as text (for tests and debugging; catalogs use `append`).
    public static func json(_ job: BackupJob, notation: TimestampNotation = .decimal) -> String {
        var bytes: [UInt8] = []
        append(job, to: &bytes, notation: notation)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the job's JSON object to `out`.
    public static func append(_ job: BackupJob, to out: inout [UInt8], notation: TimestampNotation = .decimal) {
        let extra = Additional(job.additionalFields)
        var members = Members(notation: notation)
        out.append(UInt8(ascii: "{"))
        members.string("AccountId", job.accountId, &out)
        members.string("BackupJobId", job.backupJobId, &out)
        members.string("BackupVaultName", job.backupVaultName, &out)
        members.string("BackupVaultArn", job.backupVaultArn, &out)
        members.string("VaultType", job.vaultType, &out)
        members.string("VaultLockState", job.vaultLockState, &out)
        members.string("RecoveryPointArn", job.recoveryPointArn, &out)
        if job.recoveryPointLifecycle != nil || !extra.lifecycle.isEmpty {
            let lifecycle = job.recoveryPointLifecycle ?? .init()
            members.key("RecoveryPointLifecycle", &out)
            var nested = Members(notation: notation)
            out.append(UInt8(ascii: "{"))
            nested.integer("MoveToColdStorageAfterDays", lifecycle.moveToColdStorageAfterDays, &out)
            nested.integer("DeleteAfterDays", lifecycle.deleteAfterDays, &out)
            nested.boolean("OptInToArchiveForSupportedResources", lifecycle.optInToArchiveForSupportedResources, &out)
            nested.string("DeleteAfterEvent", lifecycle.deleteAfterEvent, &out)
            nested.raw(extra.lifecycle, &out)
            out.append(UInt8(ascii: "}"))
        }
        members.string("EncryptionKeyArn", job.encryptionKeyArn, &out)
        members.boolean("IsEncrypted", job.isEncrypted, &out)
        members.string("ResourceArn", job.resourceArn, &out)
        members.timestamp("CreationDate", job.creationDate, &out)
        members.timestamp("CompletionDate", job.completionDate, &out)
        members.string("State", job.state?.rawValue, &out)
        members.string("StatusMessage", job.statusMessage, &out)
        members.string("PercentDone", job.percentDone, &out)
        members.integer("BackupSizeInBytes", job.backupSizeInBytes, &out)
        members.string("IamRoleArn", job.iamRoleArn, &out)
        if job.createdBy != nil || !extra.createdBy.isEmpty {
            let creator = job.createdBy ?? .init()
            members.key("CreatedBy", &out)
            var nested = Members(notation: notation)
            out.append(UInt8(ascii: "{"))
            nested.string("BackupPlanId", creator.backupPlanId, &out)
            nested.string("BackupPlanArn", creator.backupPlanArn, &out)
            nested.string("BackupPlanName", creator.backupPlanName, &out)
            nested.string("BackupPlanVersion", creator.backupPlanVersion, &out)
            nested.string("BackupRuleId", creator.backupRuleId, &out)
            nested.string("BackupRuleName", creator.backupRuleName, &out)
            nested.string("BackupRuleCron", creator.backupRuleCron, &out)
            nested.string("BackupRuleTimezone", creator.backupRuleTimezone, &out)
            nested.raw(extra.createdBy, &out)
            out.append(UInt8(ascii: "}"))
        }
        members.timestamp("ExpectedCompletionDate", job.expectedCompletionDate, &out)
        members.timestamp("StartBy", job.startBy, &out)
        members.string("ResourceType", job.resourceType, &out)
        members.integer("BytesTransferred", job.bytesTransferred, &out)
        if let options = job.backupOptions {
            members.key("BackupOptions", &out)
            out.append(UInt8(ascii: "{"))
            for (index, key) in options.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                appendString(options[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        members.string("BackupType", job.backupType, &out)
        members.string("ParentJobId", job.parentJobId, &out)
        members.boolean("IsParent", job.isParent, &out)
        members.string("ResourceName", job.resourceName, &out)
        members.timestamp("InitiationDate", job.initiationDate, &out)
        members.string("MessageCategory", job.messageCategory, &out)
        members.raw(extra.topLevel, &out)
        out.append(UInt8(ascii: "}"))
    }

    // MARK: Values

    /// A JSON string literal: `"`, `\` and control characters escaped, everything else as UTF-8.
    public static func appendString(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendString(utf8: $0, to: &out) }
    }

    /// A JSON string literal of UTF-8 bytes (already valid UTF-8).
    public static func appendString(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var start = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            out.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            default:
                out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigit(byte >> 4), hexDigit(byte & 0xF)])
            }
            start = index + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
        out.append(UInt8(ascii: "\""))
    }

    /// Decimal digits of an integer, with a `-` when negative.
    public static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude, to: &out)
    }

    /// Epoch seconds of a timestamp, in the given notation.
    public static func appendTimestamp(_ time: Timestamp, to out: inout [UInt8], notation: TimestampNotation = .decimal) {
        let milliseconds = time.millisecondsSinceEpoch
        if milliseconds < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = milliseconds.magnitude
        if notation == .scientific, magnitude >= 10_000_000_000 {
            // d.dddE n: the digits of the milliseconds, the point after the first one.
            var digits: [UInt8] = []
            appendDigits(magnitude, to: &digits)
            var last = digits.count - 1
            while last > 1, digits[last] == UInt8(ascii: "0") { last -= 1 }
            out.append(digits[0])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[1...max(1, last)])
            out.append(UInt8(ascii: "E"))
            appendDigits(UInt64(digits.count - 4), to: &out)
            return
        }
        appendDigits(magnitude / 1000, to: &out)
        out.append(UInt8(ascii: "."))
        var fraction = magnitude % 1000
        var width = 3
        while width > 1, fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        if width == 3 && fraction < 100 { out.append(UInt8(ascii: "0")) }
        if width >= 2 && fraction < 10 { out.append(UInt8(ascii: "0")) }
        appendDigits(fraction, to: &out)
    }

    public static func appendDigits(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: UInt64.max has 20 digits
        withUnsafeMutableBytes(of: &buffer) { raw in
            var position = raw.count
            var rest = value
            while rest > 0 {
                position -= 1
                raw[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            out.append(contentsOf: raw[position...])
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// Members outside the schema, split by the object they belong in, each a `"key":json` run.
    private struct Additional {
        var topLevel: [(key: String, json: String)] = []
        var createdBy: [(key: String, json: String)] = []
        var lifecycle: [(key: String, json: String)] = []

        init(_ fields: [String: String]) {
            guard !fields.isEmpty else { return }
            for (path, json) in fields.sorted(by: { $0.key < $1.key }) {
                if path.hasPrefix("CreatedBy.") {
                    createdBy.append((String(path.dropFirst("CreatedBy.".count)), json))
                } else if path.hasPrefix("RecoveryPointLifecycle.") {
                    lifecycle.append((String(path.dropFirst("RecoveryPointLifecycle.".count)), json))
                } else {
                    topLevel.append((path, json))
                }
            }
        }
    }

    /// Writes the members of one object, placing the commas.
    private struct Members {
        let notation: TimestampNotation
        var isFirst = true

        init(notation: TimestampNotation) {
            self.notation = notation
        }

        mutating func key(_ name: StaticString, _ out: inout [UInt8]) {
            if !isFirst { out.append(UInt8(ascii: ",")) }
            isFirst = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
        }

        mutating func string(_ name: StaticString, _ value: String?, _ out: inout [UInt8]) {
            guard let value else { return }
            key(name, &out)
            JobJSONWriter.appendString(value, to: &out)
        }

        mutating func integer(_ name: StaticString, _ value: Int64?, _ out: inout [UInt8]) {
            guard let value else { return }
            key(name, &out)
            JobJSONWriter.appendInteger(value, to: &out)
        }

        mutating func boolean(_ name: StaticString, _ value: Bool?, _ out: inout [UInt8]) {
            guard let value else { return }
            key(name, &out)
            let literal: StaticString = value ? "true" : "false"
            out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        }

        mutating func timestamp(_ name: StaticString, _ value: Timestamp?, _ out: inout [UInt8]) {
            guard let value else { return }
            key(name, &out)
            JobJSONWriter.appendTimestamp(value, to: &out, notation: notation)
        }

        mutating func raw(_ members: [(key: String, json: String)], _ out: inout [UInt8]) {
            for (name, json) in members {
                if !isFirst { out.append(UInt8(ascii: ",")) }
                isFirst = false
                JobJSONWriter.appendString(name, to: &out)
                out.append(UInt8(ascii: ":"))
                out.append(contentsOf: json.utf8)
            }
        }
    }
}
