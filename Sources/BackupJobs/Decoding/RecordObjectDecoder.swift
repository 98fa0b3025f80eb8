/// Decodes one record object from JSON bytes straight into the pending row of a table builder:
/// no intermediate `String`, `Date` or dictionary per record. The kind of the records decoded is
/// chosen with `select`; every kind's builder shares one string pool (`ListingBuilder`).
struct RecordObjectDecoder {
    private(set) var listing = ListingBuilder()
    /// The kind records are decoded as, its schema and its member tables.
    private(set) var kind = RecordKind.backupJob
    private var schema = RecordSchema.backupJob
    private var tables = MemberTable.tables(for: .backupJob)
    /// `CreatedBy.`, `RecoveryPointLifecycle.`: how the paths of the kind's structures' members begin.
    private var structurePrefixes = Self.structurePrefixes(of: .backupJob)
    /// Timestamps seen as epoch-second numbers (the API's form) and as ISO 8601 text (the CLI's).
    private(set) var epochTimestamps = 0
    private(set) var isoTimestamps = 0
    /// Records committed (or checked), by kind (`RecordKind.allCases` order).
    private var records = [Int](repeating: 0, count: RecordKind.allCases.count)
    private var kindPosition = 0
    /// Counts for the record being decoded: added to the totals only once it is committed, since
    /// a record cut by a chunk boundary is decoded twice.
    private var pendingEpoch = 0
    private var pendingISO = 0
    private let scratch = ByteScratch()
    private let keyScratch = ByteScratch()
    /// The dotted path of the structure being decoded (`CreatedBy.`), for members kept aside.
    private let pathScratch = ByteScratch()
    private var mapPairs: [UInt32] = []
    private var integerMapPairs: [Int64] = []

    typealias Failure = JSONScanner.Failure
    typealias Problem = JSONScanner.Problem

    /// Rows added from now on come from this input.
    mutating func beginSource(_ name: String) {
        listing.beginSource(name)
    }

    /// Decodes records of `kind` from now on.
    mutating func select(_ kind: RecordKind) {
        listing.select(kind)
        guard kind != self.kind else { return }
        self.kind = kind
        schema = kind.schema
        tables = MemberTable.tables(for: kind)
        structurePrefixes = Self.structurePrefixes(of: kind)
        kindPosition = RecordKind.allCases.firstIndex(of: kind) ?? 0
    }

    private static func structurePrefixes(of kind: RecordKind) -> [String] {
        kind.schema.fields.compactMap { $0.type == .structure ? $0.path + "." : nil }
    }

    /// Records decoded so far (committed or checked), by kind.
    var recordsByKind: [RecordKind: Int] {
        Dictionary(uniqueKeysWithValues: zip(RecordKind.allCases, records).filter { $0.1 > 0 })
    }

    /// Decodes the object at the scanner's position (its `{`) as a record of the selected kind and
    /// commits it to the builder, or only checks it when `keep` is false.
    mutating func decodeRecord(_ s: inout JSONScanner, keep: Bool = true) throws(Failure) {
        let start = s.position
        pendingEpoch = 0
        pendingISO = 0
        listing.current.beginRow()
        s.position += 1
        pathScratch.removeAll()
        try decodeMembers(of: tables[0], &s, depth: 1)
        let id = schema[schema.idField].path
        // Messages have always called every job a job; a resource is named as one.
        let noun = kind.family == .job ? "job" : kind.noun
        guard listing.current.isPresent(schema.idField) else {
            if let other = otherKindOfPendingRecord() {
                throw .problem(Problem(
                    code: .mixedKinds,
                    message: "a \(other.noun) (it has a \(other.schema[other.schema.idField].path)) among \(kind.pluralNoun): "
                        + "an array holds records of one kind",
                    offset: start))
            }
            throw .problem(Problem(code: .missingJobID, message: "the \(noun) has no \(id), which identifies it", offset: start))
        }
        guard !listing.current.pendingStringIsEmpty(schema.idField) else {
            throw .problem(Problem(code: .missingJobID, message: "the \(noun)'s \(id) is empty", offset: start, field: id))
        }
        if keep { listing.current.commitRow() } else { listing.current.discardRow() }
        epochTimestamps += pendingEpoch
        isoTimestamps += pendingISO
        records[kindPosition] += 1
    }

    /// Adds a record an inventory reader built (GetResources, AWS Config, terraform, a list),
    /// merged by id like decoded ones; or only counts it when `keep` is false.
    mutating func append(_ record: Record, keep: Bool = true) {
        select(record.kind)
        if keep { listing.current.append(record) }
        records[kindPosition] += 1
    }

    /// The kind whose id the pending record has among its members outside the schema: a record
    /// of another kind decoded as this one.
    private func otherKindOfPendingRecord() -> RecordKind? {
        let paths = Set(listing.current.pendingAdditionalPaths)
        return RecordKind.allCases.first { $0 != kind && paths.contains($0.schema[$0.schema.idField].path) }
    }

    private mutating func decodeMembers(of table: MemberTable, _ s: inout JSONScanner, depth: Int) throws(Failure) {
        var first = true
        while try s.nextItem(first: first, close: UInt8(ascii: "}"), after: "a member") {
            first = false
            let keyToken = try s.scanMemberName()
            _ = try s.peekToken()
            let member: MemberTable.Member?
            if keyToken.hasEscapes {
                try s.unescape(keyToken, into: keyScratch)
                member = keyScratch.count == 0 ? nil : table.member(named: keyScratch.bytes.baseAddress!, count: keyScratch.count)
            } else {
                member = table.member(named: s.base + keyToken.start, count: keyToken.end - keyToken.start)
            }
            if let member {
                do throws(Failure) {
                    try decodeValue(of: member, in: table, &s, depth: depth)
                } catch .problem(var problem) {
                    if problem.field == nil { problem.field = schema[member.field].path }
                    throw .problem(problem)
                }
            } else {
                try keepAdditionalMember(keyToken, &s, depth: depth)
            }
        }
    }

    private mutating func decodeValue(
        of member: MemberTable.Member, in table: MemberTable, _ s: inout JSONScanner, depth: Int
    ) throws(Failure) {
        let field = member.field
        let valueStart = s.position
        let first = s.base[valueStart]
        if first == UInt8(ascii: "n") {
            _ = try s.scanLiteral()  // null: the member is absent
            return
        }
        guard listing.current.markPresent(field) else {
            throw .problem(Problem(
                code: .duplicateMember, message: "the member appears twice in the same object", offset: valueStart))
        }
        switch member.kind {
        case .string:
            guard first == UInt8(ascii: "\"") else { throw try wrongType(member, s, at: valueStart) }
            let token = try s.scanString()
            listing.current.setString(field, try stringBytes(token, s))
        case .timestamp:
            let parsed: Timestamp?
            if first == UInt8(ascii: "\"") {
                let token = try s.scanString()
                parsed = TimestampParser.parseISO8601(try stringBytes(token, s))
                pendingISO += 1
            } else if first == UInt8(ascii: "-") || first &- UInt8(ascii: "0") < 10 {
                let range = try s.scanNumber()
                parsed = TimestampParser.parseEpochSeconds(UnsafeBufferPointer(start: s.base + range.lowerBound, count: range.count))
                pendingEpoch += 1
            } else {
                throw try wrongType(member, s, at: valueStart)
            }
            guard let parsed else { throw try wrongType(member, s, at: valueStart) }
            listing.current.setTimestamp(field, parsed)
        case .integer:
            guard first == UInt8(ascii: "-") || first &- UInt8(ascii: "0") < 10 else { throw try wrongType(member, s, at: valueStart) }
            let range = try s.scanNumber()
            let number = DecimalNumber(UnsafeBufferPointer(start: s.base + range.lowerBound, count: range.count))
            guard let value = number?.exactInteger else {
                // A number too large for Int64 (1e40 bytes) is not stored rounded or clipped.
                let tooLarge = number.map { $0.floorScaled(byPowerOfTen: 0) == nil } ?? false
                throw try wrongType(member, s, at: valueStart, outOfRange: tooLarge)
            }
            listing.current.setInteger(field, value)
        case .boolean:
            guard first == UInt8(ascii: "t") || first == UInt8(ascii: "f") else { throw try wrongType(member, s, at: valueStart) }
            listing.current.setBoolean(field, try s.scanLiteral() == UInt8(ascii: "t"))
        case .stringMap:
            guard first == UInt8(ascii: "{") else { throw try wrongType(member, s, at: valueStart) }
            try decodeStringMap(member, &s)
        case .integerMap:
            guard first == UInt8(ascii: "{") else { throw try wrongType(member, s, at: valueStart) }
            try decodeIntegerMap(member, &s)
        case .structure:
            guard first == UInt8(ascii: "{") else { throw try wrongType(member, s, at: valueStart) }
            s.position += 1
            let prefixLength = pathScratch.count
            pathScratch.append(table.name(of: member))
            pathScratch.append(UInt8(ascii: "."))
            defer { pathScratch.truncate(to: prefixLength) }
            try decodeMembers(of: tables[Int(member.nested)], &s, depth: depth + 1)
        }
    }

    private mutating func decodeStringMap(_ member: MemberTable.Member, _ s: inout JSONScanner) throws(Failure) {
        // The pairs buffer is lent out and given back, keeping its capacity for the next map.
        var pairs: [UInt32] = []
        swap(&pairs, &mapPairs)
        defer { swap(&pairs, &mapPairs) }
        pairs.removeAll(keepingCapacity: true)
        try decodeMapMembers(member, &s, into: &pairs, key: { $0 }) { decoder, s throws(Failure) in
            guard try s.peekToken() == UInt8(ascii: "\"") else {
                throw .problem(Problem(
                    code: .wrongType,
                    message: "expected a string value in \(decoder.schema[member.field].path), found \(try s.describeValue(at: s.position))",
                    offset: s.position))
            }
            return decoder.listing.current.intern(try decoder.stringBytes(try s.scanString(), s))
        }
        listing.current.setStringMap(member.field, pairs: pairs)
    }

    /// An object of integers (`ChildJobsInState`); keys are interned, values exact 64-bit integers.
    private mutating func decodeIntegerMap(_ member: MemberTable.Member, _ s: inout JSONScanner) throws(Failure) {
        var pairs: [Int64] = []
        swap(&pairs, &integerMapPairs)
        defer { swap(&pairs, &integerMapPairs) }
        pairs.removeAll(keepingCapacity: true)
        try decodeMapMembers(member, &s, into: &pairs, key: { Int64($0) }) { decoder, s throws(Failure) in
            let valueStart = s.position
            let next = try s.peekToken()
            guard next == UInt8(ascii: "-") || next &- UInt8(ascii: "0") < 10 else {
                throw .problem(Problem(
                    code: .wrongType,
                    message: "expected an integer value in \(decoder.schema[member.field].path), found \(try s.describeValue(at: s.position))",
                    offset: s.position))
            }
            let range = try s.scanNumber()
            guard let value = DecimalNumber(UnsafeBufferPointer(start: s.base + range.lowerBound, count: range.count))?.exactInteger else {
                throw .problem(Problem(
                    code: .wrongType,
                    message: "expected an integer from -9223372036854775808 to 9223372036854775807 in \(decoder.schema[member.field].path), found \(try s.describeValue(at: valueStart))",
                    offset: valueStart))
            }
            return value
        }
        listing.current.setIntegerMap(member.field, pairs: pairs)
    }

    /// The members of a map object (the scanner at its `{`) as alternating key and value in
    /// `pairs`: keys interned (and refused when repeated), each value read by `value`.
    @inline(__always)
    private mutating func decodeMapMembers<Cell: Equatable>(
        _ member: MemberTable.Member, _ s: inout JSONScanner, into pairs: inout [Cell], key: (UInt32) -> Cell,
        value: (inout Self, inout JSONScanner) throws(Failure) -> Cell
    ) throws(Failure) {
        s.position += 1
        var first = true
        while try s.nextItem(first: first, close: UInt8(ascii: "}"), after: "a member") {
            first = false
            let keyStart = s.position
            let keyCell = key(listing.current.intern(try stringBytes(try s.scanMemberName(), s)))
            let valueCell = try value(&self, &s)
            if stride(from: 0, to: pairs.count, by: 2).contains(where: { pairs[$0] == keyCell }) {
                throw .problem(Problem(
                    code: .duplicateMember, message: "the key appears twice in the same map", offset: keyStart))
            }
            pairs += [keyCell, valueCell]
        }
    }

    /// Keeps a member the schema does not know, under its dotted path, as JSON text.
    private mutating func keepAdditionalMember(_ key: JSONScanner.StringToken, _ s: inout JSONScanner, depth: Int) throws(Failure) {
        let valueStart = s.position
        let prefixLength = pathScratch.count
        defer { pathScratch.truncate(to: prefixLength) }
        pathScratch.append(try stringBytes(key, s))
        let path = pathScratch.bytes
        // A record's member named `CreatedBy.X` would have the path of the member X of CreatedBy:
        // the two could not be told apart, and the listing written back would move it there.
        if prefixLength == 0, let prefix = structurePrefixes.first(where: { path.starts(with: $0.utf8) }) {
            let structure = prefix.dropLast()
            throw .problem(Problem(
                code: .ambiguousMember,
                message: "a member named \"\(String(decoding: path, as: UTF8.self))\" cannot be told from a member of \(structure); "
                    + "members of \(structure) belong inside it",
                offset: key.start - 1))
        }
        _ = try s.skipValue(depth: depth)
        let json = UnsafeBufferPointer(start: s.base + valueStart, count: s.position - valueStart)
        guard listing.current.addAdditional(path: path, json: json) else {
            // Known members are checked by `markPresent`; without this, a rule would read the
            // first value and a listing written back would hold the last.
            throw .problem(Problem(
                code: .duplicateMember, message: "the member appears twice in the same object", offset: valueStart,
                field: String(decoding: path, as: UTF8.self)))
        }
    }

    /// The unescaped bytes of a string token: in the window when it has no escapes, else in
    /// `scratch` (valid until the next string with escapes).
    @inline(__always)
    private func stringBytes(_ token: JSONScanner.StringToken, _ s: JSONScanner) throws(Failure) -> UnsafeBufferPointer<UInt8> {
        guard token.hasEscapes else {
            return UnsafeBufferPointer(start: s.base + token.start, count: token.end - token.start)
        }
        try s.unescape(token, into: scratch)
        return scratch.bytes
    }

    private func wrongType(_ member: MemberTable.Member, _ s: JSONScanner, at offset: Int, outOfRange: Bool = false) throws(Failure) -> Failure {
        let expected = outOfRange ? "an integer from -9223372036854775808 to 9223372036854775807" : expectedValue(member)
        return .problem(Problem(
            code: .wrongType, message: "expected \(expected), found \(try s.describeValue(at: offset))", offset: offset))
    }

    private func expectedValue(_ member: MemberTable.Member) -> String {
        switch schema[member.field].type {
        case .string: "a string"
        case .enumeration(let name, _): "a string (\(name))"
        case .timestamp: "a timestamp (epoch seconds, or ISO 8601 text such as 2026-11-21T16:27:59.885Z)"
        case .integer: "an integer"
        case .boolean: "true or false"
        case .stringMap: "an object of strings"
        case .integerMap: "an object of integers"
        case .structure: "an object"
        }
    }
}
