/// Writes rows of a `RecordTable` as the record objects its List operation returns, straight from
/// the columns: members in the service model's order, absent members left out, structures nested,
/// map keys sorted, timestamps as epoch seconds, members outside the schema written back as their
/// JSON text (sorted by path). Saving a fetched listing of 200k jobs is then a matter of copying
/// interned strings, not allocating millions of them; the emulator serves its pages with it.
/// This is the one writer of records: any kind, and `BackupJob`s through a table.
public struct TableJSONWriter {
    let table: RecordTable
    let notation: TimestampNotation
    private let steps: [Step]
    private let keys: [UInt8]

    /// One step of writing a job: the schema in the model's order, structures opened and closed
    /// around their members. Keys (`"Name":`) live in one shared buffer.
    private struct Step {
        enum Role { case member, open, close }
        let field: FieldIndex
        let role: Role
        let key: Range<Int>
        /// For `open`: the index of its `close`; for `close`: the structure's path.
        let closeIndex: Int
        let path: String
    }

    private static func steps(_ schema: RecordSchema) -> ([Step], [UInt8]) {
        var steps: [Step] = []
        var keys: [UInt8] = []
        var openIndex: Int?
        var openField: FieldIndex?
        func close() {
            guard let index = openIndex, let field = openField else { return }
            let path = schema[field].path
            steps[index] = Step(field: field, role: .open, key: steps[index].key, closeIndex: steps.count, path: path)
            steps.append(Step(field: field, role: .close, key: 0..<0, closeIndex: 0, path: path))
            openIndex = nil
            openField = nil
        }
        for descriptor in schema.fields {
            if descriptor.parent == nil { close() }
            let start = keys.count
            keys += Array("\"\(descriptor.name)\":".utf8)
            if case .structure = descriptor.type {
                precondition(descriptor.parent == nil, "\(descriptor.path): structures within structures are not written")
                openIndex = steps.count
                openField = descriptor.index
                steps.append(Step(field: descriptor.index, role: .open, key: start..<keys.count, closeIndex: 0, path: descriptor.path))
            } else {
                precondition(descriptor.parent == nil || descriptor.parent == openField, "the schema lists \(descriptor.path) away from its structure")
                steps.append(Step(field: descriptor.index, role: .member, key: start..<keys.count, closeIndex: 0, path: descriptor.path))
            }
        }
        close()
        return (steps, keys)
    }

    public init(_ table: RecordTable, notation: TimestampNotation = .decimal) {
        self.table = table
        self.notation = notation
        (steps, keys) = Self.steps(table.schema)
    }

    /// The record object of `row`, as text (for tests and debugging; writers use `append`).
    public func json(row: Int) -> String {
        var bytes: [UInt8] = []
        append(row: row, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the record object of `row`.
    public func append(row: Int, to out: inout [UInt8]) {
        let additional = additionalMembers(row)
        keys.withUnsafeBufferPointer { keys in
            var first = true
            out.append(UInt8(ascii: "{"))
            var index = 0
            while index < steps.count {
                let step = steps[index]
                index += 1
                switch step.role {
                case .member:
                    appendMember(step.field, key: UnsafeBufferPointer(rebasing: keys[step.key]), row: row, first: &first, to: &out)
                case .open:
                    guard table.has(step.field, at: row) || additional.contains(where: { $0.parent == step.path }) else {
                        index = step.closeIndex + 1
                        continue
                    }
                    separate(&first, &out)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: keys[step.key]))
                    out.append(UInt8(ascii: "{"))
                    first = true
                case .close:
                    if !additional.isEmpty { appendRaw(additional.filter { $0.parent == step.path }, first: &first, to: &out) }
                    out.append(UInt8(ascii: "}"))
                    first = false
                }
            }
            if !additional.isEmpty { appendRaw(additional.filter { $0.parent == nil }, first: &first, to: &out) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private func separate(_ first: inout Bool, _ out: inout [UInt8]) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
    }

    private func appendMember(_ field: FieldIndex, key: UnsafeBufferPointer<UInt8>, row: Int, first: inout Bool, to out: inout [UInt8]) {
        guard table.has(field, at: row) else { return }
        separate(&first, &out)
        out.append(contentsOf: key)
        switch table.layout.kind(field) {
        case .string:
            table.strings.withUTF8(table.stringID(field, at: row)!) { JSONText.appendString(utf8: $0, to: &out) }
        case .timestamp:
            JSONText.appendTimestamp(table.timestamp(field, at: row)!, to: &out, notation: notation)
        case .integer:
            JSONText.appendInteger(table.integer(field, at: row)!, to: &out)
        case .boolean:
            out.append(contentsOf: table.boolean(field, at: row)! ? Array("true".utf8) : Array("false".utf8))
        case .stringMap:
            let map = table.stringMap(field, at: row)!
            out.append(UInt8(ascii: "{"))
            for (index, key) in map.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                JSONText.appendString(map[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .integerMap:
            let map = table.integerMap(field, at: row)!
            out.append(UInt8(ascii: "{"))
            for (index, key) in map.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                JSONText.appendInteger(map[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .structure:
            break  // written by the caller
        }
    }

    /// Members outside the schema, sorted by path.
    private struct Raw {
        var parent: String?
        var name: String
        var json: String
    }

    private func additionalMembers(_ row: Int) -> [Raw] {
        guard table.additionalIndex[row] != 0 else { return [] }
        return table.additionalFields(at: row).sorted { $0.key < $1.key }.map { path, json in
            for step in steps where step.role == .open && path.hasPrefix(step.path + ".") {
                return Raw(parent: step.path, name: String(path.dropFirst(step.path.count + 1)), json: json)
            }
            return Raw(parent: nil, name: path, json: json)
        }
    }

    private func appendRaw(_ members: [Raw], first: inout Bool, to out: inout [UInt8]) {
        for member in members {
            separate(&first, &out)
            JSONText.appendString(member.name, to: &out)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: member.json.utf8)
        }
    }
}
