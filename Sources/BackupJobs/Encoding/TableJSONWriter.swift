/// Writes rows of a `JobTable` as ListBackupJobs job objects straight from the columns: the same
/// bytes `JobJSONWriter` writes for the materialized `BackupJob` (a test holds the two to that),
/// without building one. Saving a fetched listing of 200k jobs is then a matter of copying
/// interned strings, not allocating millions of them.
struct TableJSONWriter {
    let table: JobTable
    let notation: TimestampNotation

    /// One step of writing a job: the schema in the model's order, structures opened and closed
    /// around their members. Keys (`"Name":`) live in one shared buffer.
    private struct Step {
        enum Role { case member, open, close }
        let field: JobField
        let role: Role
        let key: Range<Int>
        /// For `open`: the index of its `close`; for `close`: the structure's path.
        let closeIndex: Int
        let path: String
    }

    private static let (steps, keys): ([Step], [UInt8]) = {
        var steps: [Step] = []
        var keys: [UInt8] = []
        var openIndex: Int?
        var openField: JobField?
        func close() {
            guard let index = openIndex, let field = openField else { return }
            let path = JobSchema.descriptor(of: field).path
            steps[index] = Step(field: field, role: .open, key: steps[index].key, closeIndex: steps.count, path: path)
            steps.append(Step(field: field, role: .close, key: 0..<0, closeIndex: 0, path: path))
            openIndex = nil
            openField = nil
        }
        for descriptor in JobSchema.fields {
            if descriptor.parent == nil { close() }
            let start = keys.count
            keys += Array("\"\(descriptor.path.split(separator: ".").last!)\":".utf8)
            if case .structure = descriptor.type {
                openIndex = steps.count
                openField = descriptor.field
                steps.append(Step(field: descriptor.field, role: .open, key: start..<keys.count, closeIndex: 0, path: descriptor.path))
            } else {
                precondition(descriptor.parent == nil || descriptor.parent == openField, "the schema lists \(descriptor.path) away from its structure")
                steps.append(Step(field: descriptor.field, role: .member, key: start..<keys.count, closeIndex: 0, path: descriptor.path))
            }
        }
        close()
        return (steps, keys)
    }()

    init(_ table: JobTable, notation: TimestampNotation = .decimal) {
        self.table = table
        self.notation = notation
    }

    /// Appends the job object of `row`.
    func append(row: Int, to out: inout [UInt8]) {
        let additional = additionalMembers(row)
        Self.keys.withUnsafeBufferPointer { keys in
            var first = true
            out.append(UInt8(ascii: "{"))
            var index = 0
            let steps = Self.steps
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

    private func appendMember(_ field: JobField, key: UnsafeBufferPointer<UInt8>, row: Int, first: inout Bool, to out: inout [UInt8]) {
        guard table.has(field, at: row) else { return }
        separate(&first, &out)
        out.append(contentsOf: key)
        switch table.layout.kind(field) {
        case .string:
            table.strings.withUTF8(table.stringID(field, at: row)!) { JobJSONWriter.appendString(utf8: $0, to: &out) }
        case .timestamp:
            JobJSONWriter.appendTimestamp(table.timestamp(field, at: row)!, to: &out, notation: notation)
        case .integer:
            JobJSONWriter.appendInteger(table.integer(field, at: row)!, to: &out)
        case .boolean:
            out.append(contentsOf: table.boolean(field, at: row)! ? Array("true".utf8) : Array("false".utf8))
        case .stringMap:
            let map = table.stringMap(field, at: row)!
            out.append(UInt8(ascii: "{"))
            for (index, key) in map.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JobJSONWriter.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                JobJSONWriter.appendString(map[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .structure:
            break  // written by the caller
        }
    }

    /// Members outside the schema, sorted by path as `JobJSONWriter` writes them.
    private struct Raw {
        var parent: String?
        var name: String
        var json: String
    }

    private func additionalMembers(_ row: Int) -> [Raw] {
        guard table.additionalIndex[row] != 0 else { return [] }
        return table.additionalFields(at: row).sorted { $0.key < $1.key }.map { path, json in
            for step in Self.steps where step.role == .open && path.hasPrefix(step.path + ".") {
                return Raw(parent: step.path, name: String(path.dropFirst(step.path.count + 1)), json: json)
            }
            return Raw(parent: nil, name: path, json: json)
        }
    }

    private func appendRaw(_ members: [Raw], first: inout Bool, to out: inout [UInt8]) {
        for member in members {
            separate(&first, &out)
            JobJSONWriter.appendString(member.name, to: &out)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: member.json.utf8)
        }
    }
}
