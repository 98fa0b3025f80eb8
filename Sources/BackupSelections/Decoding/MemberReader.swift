import BackupJobs

/// The bytes and name of the input being decoded, to turn a node's offset into a located error.
struct DecodeContext {
    let bytes: [UInt8]
    let source: String
    /// 1-based index of the top-level document.
    let document: Int

    func error(_ code: SelectionInputError.Code, at offset: Int, path: String?, _ message: String) -> SelectionInputError {
        SelectionInputError(
            code, source: source, location: .of(offset: offset, in: bytes),
            context: path.flatMap { $0.isEmpty ? nil : "document \(document): \($0)" } ?? "document \(document)", message: message)
    }

    func origin(_ path: String) -> DocumentOrigin {
        DocumentOrigin(source: source, document: document, path: path)
    }
}

/// Typed access to the members of one JSON object, each error naming the member's path
/// (`BackupPlan.Rules[0].StartWindowMinutes`) and place. `null` reads as an absent member: AWS
/// leaves optional members out, and a null one carries no value either way.
struct MemberReader {
    let context: DecodeContext
    let members: [JSONNode.Member]
    let path: String
    let offset: Int

    init(context: DecodeContext, node: JSONNode, path: String) throws(SelectionInputError) {
        guard case .object(let members) = node.value else {
            throw context.error(.wrongType, at: node.offset, path: path, "expected an object, found \(node.kindDescription)")
        }
        self.context = context
        self.members = members
        self.path = path
        self.offset = node.offset
    }

    func has(_ name: String) -> Bool { node(name) != nil }

    func node(_ name: String) -> JSONNode? {
        guard let member = members.first(where: { $0.name == name }) else { return nil }
        if case .null = member.node.value { return nil }
        return member.node
    }

    func memberPath(_ name: String) -> String { path.isEmpty ? name : path + "." + name }

    /// Refuses members outside `known`: for the objects whose every member changes which resources
    /// are selected, where skipping one AWS adds later would select more than the real selection.
    func rejectUnknownMembers(_ known: Set<String>) throws(SelectionInputError) {
        for member in members where !known.contains(member.name) {
            throw context.error(
                .invalidValue, at: member.nameOffset, path: memberPath(member.name),
                "an unknown member of \(path.isEmpty ? "the document" : path); it could change which resources are selected, so it is not ignored (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    func wrongType(_ node: JSONNode, _ path: String, expected: String) -> SelectionInputError {
        context.error(.wrongType, at: node.offset, path: path, "expected \(expected), found \(node.kindDescription)")
    }

    // MARK: Scalars

    func string(_ name: String) throws(SelectionInputError) -> String? {
        guard let node = node(name) else { return nil }
        guard case .string(let text) = node.value else { throw wrongType(node, memberPath(name), expected: "a string") }
        return text
    }

    func requiredString(_ name: String) throws(SelectionInputError) -> String {
        guard let text = try string(name) else { throw missing(name) }
        return text
    }

    func missing(_ name: String) -> SelectionInputError {
        context.error(.missingMember, at: offset, path: path.isEmpty ? nil : path, "the required member \(name) is missing")
    }

    func int64(_ name: String) throws(SelectionInputError) -> Int64? {
        guard let node = node(name) else { return nil }
        guard case .number(let text) = node.value else { throw wrongType(node, memberPath(name), expected: "an integer") }
        guard let value = Int64(text) else {
            throw context.error(.invalidValue, at: node.offset, path: memberPath(name), "expected an integer in the 64-bit range, found \(text.prefix(40))")
        }
        return value
    }

    func bool(_ name: String) throws(SelectionInputError) -> Bool? {
        guard let node = node(name) else { return nil }
        guard case .bool(let flag) = node.value else { throw wrongType(node, memberPath(name), expected: "true or false") }
        return flag
    }

    /// Epoch seconds (the API's numbers, fractions allowed) or ISO 8601 text (the AWS CLI's).
    func timestamp(_ name: String) throws(SelectionInputError) -> Timestamp? {
        guard let node = node(name) else { return nil }
        let parsed: Timestamp?
        switch node.value {
        case .number(let text): parsed = EpochSeconds.timestamp(text)
        case .string(let text): parsed = Timestamp(iso8601: text)
        default: throw wrongType(node, memberPath(name), expected: "a timestamp (epoch seconds or ISO 8601 text)")
        }
        guard let parsed, parsed >= .earliestSupported, parsed <= .latestSupported else {
            throw context.error(.invalidValue, at: node.offset, path: memberPath(name), "not a timestamp in the years 0001-9999")
        }
        return parsed
    }

    // MARK: Containers

    func object(_ name: String) throws(SelectionInputError) -> MemberReader? {
        guard let node = node(name) else { return nil }
        return try MemberReader(context: context, node: node, path: memberPath(name))
    }

    func array(_ name: String) throws(SelectionInputError) -> [JSONNode]? {
        guard let node = node(name) else { return nil }
        guard case .array(let elements) = node.value else { throw wrongType(node, memberPath(name), expected: "an array") }
        return elements
    }

    func objects(_ name: String) throws(SelectionInputError) -> [MemberReader] {
        var readers: [MemberReader] = []
        for (index, element) in (try array(name) ?? []).enumerated() {
            readers.append(try MemberReader(context: context, node: element, path: memberPath(name) + "[\(index)]"))
        }
        return readers
    }

    func strings(_ name: String) throws(SelectionInputError) -> [String] {
        var texts: [String] = []
        for (index, element) in (try array(name) ?? []).enumerated() {
            guard case .string(let text) = element.value else {
                throw wrongType(element, memberPath(name) + "[\(index)]", expected: "a string")
            }
            texts.append(text)
        }
        return texts
    }

    func stringMap(_ name: String) throws(SelectionInputError) -> [String: String] {
        guard let map = try object(name) else { return [:] }
        var values: [String: String] = [:]
        for member in map.members {
            guard case .string(let text) = member.node.value else {
                throw wrongType(member.node, map.memberPath(member.name), expected: "a string")
            }
            values[member.name] = text
        }
        return values
    }
}
