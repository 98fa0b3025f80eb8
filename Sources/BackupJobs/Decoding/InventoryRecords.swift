/// Turns the entries of the inventories users have into inventory resources
/// (`RecordKind.inventoryResource`): a GetResources tag mapping, an AWS Config query result, the
/// resources of a terraform state. Each source names the same things differently (ResourceARN,
/// arn; Tags as Key/Value pairs, key/value pairs or a map); the record has one name for each.
///
/// A malformed entry is a problem at its place, never skipped: an inventory that silently lost a
/// resource would report it as not needing protection.
enum InventoryRecords {
    typealias Problem = JSONScanner.Problem

    /// The sources, as the record's `Source` field names them.
    enum Source: String {
        case getResources = "GetResources"
        case selectResourceConfig = "SelectResourceConfig"
        case terraformState = "TerraformState"
        case arnList = "ARNList"
        case csv = "CSV"
    }

    /// A resource of an inventory: its ARN is checked, its type derived from it where the source
    /// gives none, its account taken from it where the source names none.
    static func record(
        arn: String, at offset: Int, field: String, source: Source, tags: [String: String]?, name: String? = nil,
        account: String? = nil, sourceType: String? = nil, backupType: String? = nil, engine: String? = nil
    ) throws(Problem) -> Record {
        guard !arn.isEmpty else {
            throw Problem(code: .missingResourceARN, message: "the resource's \(field) is empty", offset: offset, field: field)
        }
        guard isARN(arn) else {
            throw Problem(
                code: .notAnARN,
                message: "\(field) is not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE): \"\(arn.prefix(80))\"",
                offset: offset, field: field)
        }
        var record = Record(.inventoryResource, id: arn)
        func set(_ field: InventoryResourceField, _ text: String?) {
            if let text, !text.isEmpty { record[field] = .string(text) }
        }
        set(.resourceType, backupType ?? BackupResourceType.of(arn: arn, engine: engine))
        set(.resourceName, name)
        set(.accountId, account ?? ARN.account(of: arn))
        set(.sourceResourceType, sourceType)
        set(.source, source.rawValue)
        if let tags { record[InventoryResourceField.tags] = .stringMap(tags) }
        return record
    }

    /// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` with a partition, a service and a resource.
    static func isARN(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count == 6 && parts[0] == "arn" && !parts[1].isEmpty && !parts[2].isEmpty && !parts[5].isEmpty
    }

    // MARK: GetResources

    /// One entry of `ResourceTagMappingList`: `{"ResourceARN": …, "Tags": [{"Key", "Value"}]}`.
    /// Other members (ComplianceDetails) say nothing about protection and are not kept.
    static func tagMapping(_ entry: JSONTree) throws(Problem) -> Record {
        guard case .object = entry.value else {
            throw Problem(code: .jobNotObject, message: "expected a resource tag mapping object, found \(entry.description)", offset: entry.offset)
        }
        let arn = try requiredString(entry, "ResourceARN")
        let tags = try entry["Tags"].flatMap { (tags) throws(Problem) -> [String: String]? in
            try tagList(tags, field: "Tags", key: "Key", value: "Value")
        }
        return try record(arn: arn.text, at: arn.offset, field: "ResourceARN", source: .getResources, tags: tags)
    }

    /// A list of `{KEY: k, VALUE: v}` objects as a map; a key twice is an error (AWS never lists one twice).
    static func tagList(_ tree: JSONTree, field: String, key: String, value: String) throws(Problem) -> [String: String]? {
        if tree.isNull { return nil }
        guard case .array(let entries) = tree.value else {
            throw Problem(code: .wrongType, message: "expected a list of {\"\(key)\", \"\(value)\"} objects, found \(tree.description)",
                          offset: tree.offset, field: field)
        }
        var tags: [String: String] = [:]
        for (index, entry) in entries.enumerated() {
            let place = "\(field)[\(index)]"
            guard case .object = entry.value else {
                throw Problem(code: .wrongType, message: "expected a {\"\(key)\", \"\(value)\"} object, found \(entry.description)",
                              offset: entry.offset, field: place)
            }
            let name = try requiredString(entry, key, place: place)
            // A tag may have an empty value; a missing one is the empty string, as AWS shows it.
            let text = try optionalString(entry, value, place: place) ?? ""
            guard tags.updateValue(text, forKey: name.text) == nil else {
                throw Problem(code: .duplicateMember, message: "the tag key \"\(name.text)\" appears twice", offset: name.offset, field: place)
            }
        }
        return tags
    }

    // MARK: AWS Config

    /// One result of `select-resource-config` (or an aggregator's query): a JSON text with the
    /// selected properties. `arn` must be selected; `resourceType`, `resourceName`, `accountId`,
    /// `tags` and `configuration.engine` are read where selected.
    static func configResult(_ tree: JSONTree) throws(Problem) -> Record {
        guard case .object = tree.value else {
            throw Problem(code: .jobNotObject, message: "expected an AWS Config result object, found \(tree.description)", offset: tree.offset)
        }
        guard tree["arn"] != nil else {
            throw Problem(
                code: .missingResourceARN,
                message: "the result has no arn: select it in the query (SELECT arn, resourceType, resourceName, accountId, tags, configuration.engine WHERE ...)",
                offset: tree.offset)
        }
        let arn = try requiredString(tree, "arn")
        let tags = try tree["tags"].flatMap { (tags) throws(Problem) -> [String: String]? in
            try tagList(tags, field: "tags", key: "key", value: "value")
        }
        let engine = try tree["configuration"].flatMap { (configuration) throws(Problem) -> String? in
            try optionalString(configuration, "engine", place: "configuration")
        }
        return try record(
            arn: arn.text, at: arn.offset, field: "arn", source: .selectResourceConfig, tags: tags,
            name: try optionalString(tree, "resourceName"), account: try optionalString(tree, "accountId"),
            sourceType: try optionalString(tree, "resourceType"), engine: engine)
    }

    // MARK: terraform

    /// The resources of a `terraform show -json` state's `values`: every managed resource of the
    /// root module and its child modules, at any depth, that has an `arn` attribute. Data sources
    /// read resources managed elsewhere (or the caller's identity) and are not part of what the
    /// configuration holds; resources without an ARN (attachments, policies) are no resource AWS
    /// Backup could protect.
    static func terraformResources(_ values: JSONTree) throws(Problem) -> [Record] {
        var records: [Record] = []
        guard let root = values["root_module"] else { return records }
        try module(root, place: "values.root_module", into: &records)
        return records
    }

    private static func module(_ module: JSONTree, place: String, into records: inout [Record]) throws(Problem) {
        guard case .object = module.value else {
            throw Problem(code: .wrongType, message: "expected a module object, found \(module.description)", offset: module.offset, field: place)
        }
        for (index, resource) in try list(module["resources"], place: place + ".resources").enumerated() {
            let at = "\(place).resources[\(index)]"
            guard case .object = resource.value else {
                throw Problem(code: .wrongType, message: "expected a resource object, found \(resource.description)", offset: resource.offset, field: at)
            }
            guard try optionalString(resource, "mode", place: at) != "data",
                  let attributes = resource["values"], case .object = attributes.value,
                  let arnValue = attributes["arn"], !arnValue.isNull
            else { continue }
            guard case .string(let arn) = arnValue.value else {
                throw Problem(code: .wrongType, message: "expected the arn as a string, found \(arnValue.description)", offset: arnValue.offset, field: at + ".values.arn")
            }
            if arn.isEmpty { continue }  // not known yet (a resource being replaced): no ARN to protect
            // tags_all holds the provider's default tags too: what the resource really carries.
            let tagsTree = attributes["tags_all"].flatMap { $0.isNull ? nil : $0 } ?? attributes["tags"]
            let tags = try tagsTree.flatMap { (tree) throws(Problem) -> [String: String]? in
                try stringMap(tree, place: at + ".values.tags")
            }
            records.append(try record(
                arn: arn, at: arnValue.offset, field: at + ".values.arn", source: .terraformState, tags: tags,
                sourceType: try optionalString(resource, "type", place: at),
                engine: try optionalString(attributes, "engine", place: at + ".values")))
        }
        for (index, child) in try list(module["child_modules"], place: place + ".child_modules").enumerated() {
            try self.module(child, place: "\(place).child_modules[\(index)]", into: &records)
        }
    }

    private static func list(_ tree: JSONTree?, place: String) throws(Problem) -> [JSONTree] {
        guard let tree, !tree.isNull else { return [] }
        guard case .array(let elements) = tree.value else {
            throw Problem(code: .wrongType, message: "expected an array, found \(tree.description)", offset: tree.offset, field: place)
        }
        return elements
    }

    private static func stringMap(_ tree: JSONTree, place: String) throws(Problem) -> [String: String]? {
        switch tree.value {
        case .null: return nil
        case .object(let members):
            var map: [String: String] = [:]
            for (name, value) in members {
                guard case .string(let text) = value.value else {
                    throw Problem(code: .wrongType, message: "expected a string tag value, found \(value.description)", offset: value.offset, field: "\(place).\(name)")
                }
                map[name] = text
            }
            return map
        default:
            throw Problem(code: .wrongType, message: "expected a map of tags, found \(tree.description)", offset: tree.offset, field: place)
        }
    }

    // MARK: Members

    private static func requiredString(_ object: JSONTree, _ name: String, place: String? = nil) throws(Problem) -> (text: String, offset: Int) {
        let field = place.map { "\($0).\(name)" } ?? name
        guard let value = object[name], !value.isNull else {
            throw Problem(code: name.lowercased().hasSuffix("arn") ? .missingResourceARN : .wrongType,
                          message: "the entry has no \(name)", offset: object.offset, field: place)
        }
        guard case .string(let text) = value.value else {
            throw Problem(code: .wrongType, message: "expected a string, found \(value.description)", offset: value.offset, field: field)
        }
        return (text, value.offset)
    }

    private static func optionalString(_ object: JSONTree, _ name: String, place: String? = nil) throws(Problem) -> String? {
        guard let value = object[name], !value.isNull else { return nil }
        guard case .string(let text) = value.value else {
            throw Problem(code: .wrongType, message: "expected a string, found \(value.description)", offset: value.offset,
                          field: place.map { "\($0).\(name)" } ?? name)
        }
        return text
    }
}
