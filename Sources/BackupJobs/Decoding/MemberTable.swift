#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The member names of one JSON object shape (a record, `CreatedBy`, `RecoveryPointLifecycle`),
/// matched straight from the bytes of a key.
///
/// Every key of every record goes through `member(named:count:)`, so the tables are plain memory
/// built once per kind and never freed: a lookup touches no reference counts.
struct MemberTable: @unchecked Sendable {
    struct Member {
        var nameStart: Int32
        var nameLength: Int32
        var field: FieldIndex
        /// How the decoder reads the value: as the table stores it.
        var kind: StorageLayout.Kind
        /// For a structure: the index of its members' table in `MemberTable.all`.
        var nested: Int32
    }

    private let members: UnsafePointer<Member>
    /// Members are sorted by name length; those of length `n` are `bucketStart[n]..<bucketStart[n + 1]`.
    private let bucketStart: UnsafePointer<Int32>
    private let longestName: Int
    private let names: UnsafePointer<UInt8>

    private init(_ descriptors: [(name: String, descriptor: FieldDescriptor, nested: Int)]) {
        let sorted = descriptors.sorted { $0.name.utf8.count < $1.name.utf8.count }
        let longest = sorted.last?.name.utf8.count ?? 0
        let nameBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, sorted.reduce(0) { $0 + $1.name.utf8.count }))
        let members = UnsafeMutablePointer<Member>.allocate(capacity: max(1, sorted.count))
        let buckets = UnsafeMutablePointer<Int32>.allocate(capacity: longest + 2)
        var offset = 0
        for (index, entry) in sorted.enumerated() {
            let name = Array(entry.name.utf8)
            (nameBytes + offset).initialize(from: name, count: name.count)
            (members + index).initialize(to: Member(
                nameStart: Int32(offset), nameLength: Int32(name.count), field: entry.descriptor.index,
                kind: StorageLayout.Kind(entry.descriptor.type),
                nested: Int32(entry.nested)))
            offset += name.count
        }
        for length in 0...longest + 1 {
            buckets[length] = Int32(sorted.firstIndex { $0.name.utf8.count >= length } ?? sorted.count)
        }
        self.members = UnsafePointer(members)
        self.bucketStart = UnsafePointer(buckets)
        self.longestName = longest
        self.names = UnsafePointer(nameBytes)
    }

    @inline(__always)
    func member(named key: UnsafePointer<UInt8>, count: Int) -> Member? {
        guard count <= longestName else { return nil }
        var index = Int(bucketStart[count])
        let end = Int(bucketStart[count + 1])
        while index < end {
            let candidate = members[index]
            if memcmp(names + Int(candidate.nameStart), key, count) == 0 { return candidate }
            index += 1
        }
        return nil
    }

    func name(of member: Member) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: names + Int(member.nameStart), count: Int(member.nameLength))
    }

    /// A kind's tables: index 0 is the record itself; structures' tables follow. Immutable after
    /// initialization.
    static func tables(for kind: RecordKind) -> UnsafePointer<MemberTable> {
        byKind[RecordKind.allCases.firstIndex(of: kind) ?? 0]
    }

    /// Per kind, in `RecordKind` order.
    nonisolated(unsafe) private static let byKind = RecordKind.allCases.map { build($0.schema) }

    private static func build(_ schema: RecordSchema) -> UnsafePointer<MemberTable> {
        var tables: [MemberTable] = []
        func build(prefix: String) -> Int {
            let index = tables.count
            tables.append(MemberTable([]))
            let members = schema.fields.compactMap { descriptor -> (String, FieldDescriptor, Int)? in
                guard descriptor.path.hasPrefix(prefix) else { return nil }
                let name = String(descriptor.path.dropFirst(prefix.count))
                guard !name.contains(".") else { return nil }
                let nested = descriptor.type == .structure ? build(prefix: descriptor.path + ".") : -1
                return (name, descriptor, nested)
            }
            tables[index] = MemberTable(members)
            return index
        }
        _ = build(prefix: "")
        let storage = UnsafeMutablePointer<MemberTable>.allocate(capacity: tables.count)
        storage.initialize(from: tables, count: tables.count)
        return UnsafePointer(storage)
    }
}
