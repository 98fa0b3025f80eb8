/// The value of one record field, typed as the schema types it. Enumerations (`State`) are their
/// string value; structures have no value of their own.
public enum FieldValue: Hashable, Sendable {
    case string(String)
    case timestamp(Timestamp)
    case integer(Int64)
    case boolean(Bool)
    case stringMap([String: String])
    case integerMap([String: Int64])
}
