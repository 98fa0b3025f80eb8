/// A JSON value with the byte offset where it starts, so a member of the wrong type or value can
/// be named by line and column. Plan and selection documents are small (a few kilobytes), so they
/// are read as a tree; the job listings, which can be gigabytes, have their streaming decoder.
struct JSONNode: Sendable {
    enum Value: Sendable {
        case null
        case bool(Bool)
        /// The number's text as written: members are read as integers or timestamps exactly,
        /// never through a binary floating point value.
        case number(String)
        case string(String)
        case array([JSONNode])
        case object([Member])
    }

    struct Member: Sendable {
        var name: String
        var nameOffset: Int
        var node: JSONNode
    }

    var value: Value
    var offset: Int

    /// `a string`, `the number 5`, `an object`: for messages.
    var kindDescription: String {
        switch value {
        case .null: "null"
        case .bool(let flag): "the boolean \(flag)"
        case .number(let text): "the number \(text.prefix(40))"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
