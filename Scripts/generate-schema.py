#!/usr/bin/env python3
"""Generate the record schemas from the AWS Backup service model.

The service model (model/aws-backup/backup-listings.service-model.json, extracted from botocore by
Scripts/extract-model.py) is the one source of truth for what each record holds; kinds.toml says
what the model does not (each kind's id, state lifecycle, timestamps); documented-values.toml
the values AWS documents for plain string fields. This script turns them into:

  Sources/BackupJobs/Schema/Generated/RecordKind.swift   RecordKind and each kind's RecordSchema
  Sources/BackupJobs/Schema/Generated/<Enum>.swift       one field enum and its descriptors per shape
  docs/schema.md                                         the same tables for people

  Scripts/generate-schema.py           rewrite the files (and delete stale ones in Generated/)
  Scripts/generate-schema.py --check   exit 1 if any file is out of date (a test runs this)

Structures (CreatedBy, RecoveryPointLifecycle) are flattened to dotted paths, so a rule names
`CreatedBy.BackupPlanId`; the structure itself stays in the table so a rule can test whether it is
present. Maps are string to string (BackupOptions) or to a long (CopyJob's ChildJobsInState, keyed
by CopyJobState). Lists (only RecoveryPointByBackupVault's AggregatedScanResult.Findings, a shape
not read yet) are not fields: a decoder keeps such a member as JSON text, like a member newer than
the model, until a kind that is read needs it typed.
"""
import html, json, os, re, sys, tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "model/aws-backup/backup-listings.service-model.json")
KINDS = os.path.join(ROOT, "model/aws-backup/kinds.toml")
DOCUMENTED = os.path.join(ROOT, "model/aws-backup/documented-values.toml")
SWIFT_DIR = os.path.join(ROOT, "Sources/BackupJobs/Schema/Generated")
DOC_OUT = os.path.join(ROOT, "docs/schema.md")

TYPE_NAMES = {"string": "string", "timestamp": "timestamp", "long": "integer",
              "integer": "integer", "boolean": "boolean"}
INVENTORY_MODEL = os.path.join(ROOT, "model/inventory/inventory-shapes.json")

KIND_KEYS = {"family", "shape", "fields", "operation", "noun", "plural", "id", "resource"}
# Jobs have a state and its lifecycle, a creation and a completion, a vault; inventories (what
# should be protected, what AWS Backup protected) have at most a completion (LastBackupTime) and a
# vault. `member` names the listing member of a kind whose shape is ours (model/inventory/), not
# the service model's.
JOB_KEYS = {"state", "creation", "completion", "vault", "lifecycle", "finished", "in_flight"}
OPTIONAL_KIND_KEYS = {"progress", "completion", "vault", "member"}
FAMILIES = {"job": "job", "inventory": "inventory"}


def first_sentence(doc):
    """The model's documentation is HTML; keep its first sentence as plain text."""
    text = html.unescape(re.sub(r"<[^>]+>", "", doc or "")).strip()
    text = re.sub(r"\s+", " ", text)
    match = re.match(r"(.+?\.)(\s|$)", text)
    return match.group(1) if match else text


def case_name(path):
    parts = path.split(".")
    joined = "".join(p[0].upper() + p[1:] for p in parts)
    return joined[0].lower() + joined[1:]


class Field:
    def __init__(self, path, kind, doc, shape, parent, enum=None, map_keys=None):
        self.path, self.kind, self.doc, self.shape, self.parent = path, kind, doc, shape, parent
        self.enum = enum  # (shape name, values) of an enumeration
        self.map_keys = map_keys  # the enumerated keys of a map, when the model enumerates them


def fields(shapes, root):
    """Every member of `root`, nested structures flattened, in the model's member order; and the
    list members left out (kept as JSON text by decoders)."""
    out, lists = [], []

    def walk(shape_name, prefix, parent):
        for name, member in shapes[shape_name]["members"].items():
            target = shapes[member["shape"]]
            path = prefix + name
            doc = first_sentence(member.get("documentation") or target.get("documentation"))
            kind = target["type"]
            if kind == "structure":
                index = len(out)
                out.append(Field(path, "structure", doc, member["shape"], parent))
                walk(member["shape"], path + ".", index)
            elif kind == "map":
                key = shapes[target["key"]["shape"]]
                value = shapes[target["value"]["shape"]]["type"]
                assert key["type"] == "string", path
                map_kind = {"string": "stringMap", "long": "integerMap"}.get(value)
                assert map_kind, f"{path}: a map of {value} (the schema has maps of strings and of longs)"
                out.append(Field(path, map_kind, doc, member["shape"], parent, map_keys=key.get("enum")))
            elif kind == "list":
                lists.append(path)
            elif kind == "string" and "enum" in target:
                out.append(Field(path, "enumeration", doc, member["shape"], parent, enum=(member["shape"], target["enum"])))
            else:
                out.append(Field(path, TYPE_NAMES[kind], doc, member["shape"], parent))

    walk(root, "", None)
    return out, lists


def swift_string(text):
    return json.dumps(text, ensure_ascii=False)


def swift_strings(values):
    return "[" + ", ".join(swift_string(v) for v in values) + "]"


SERVICE_SHAPES = set()


def load():
    with open(MODEL) as f:
        model = json.load(f)
    SERVICE_SHAPES.update(model["shapes"])
    with open(KINDS, "rb") as f:
        config = tomllib.load(f)
    with open(DOCUMENTED, "rb") as f:
        documented = tomllib.load(f)
    shapes = model["shapes"]
    with open(INVENTORY_MODEL) as f:
        ours = json.load(f)["shapes"]
    for shape, definition in ours.items():
        assert shape not in shapes, f"{INVENTORY_MODEL}: {shape} is a shape of the service model"
        shapes[shape] = definition
    kinds, ready = config["kinds"], config["shapes"]
    tables = {}
    for name, kind in kinds.items():
        assert kind.get("family") in FAMILIES, f"{KINDS}: kinds.{name}: family is job or inventory"
        required = KIND_KEYS | (JOB_KEYS if kind["family"] == "job" else set())
        assert required <= set(kind) <= required | OPTIONAL_KIND_KEYS, f"{KINDS}: kinds.{name}: keys"
        tables[kind["shape"]] = fields(shapes, kind["shape"])
        check_kind(name, kind, model, tables[kind["shape"]][0])
    for shape, entry in ready.items():
        assert set(entry) == {"fields", "operation"}, f"{KINDS}: shapes.{shape}: keys"
        tables[shape] = fields(shapes, shape)
        check_member(entry["operation"], shape, model)
    check_documented(documented, kinds, tables)
    return model, kinds, ready, tables, documented


def check_member(operation, shape, model):
    """The operation's output lists records of `shape` under one member: the listing's member."""
    shapes = model["shapes"]
    output = shapes[model["operations"][operation]["output"]["shape"]]
    members = [name for name, m in output["members"].items()
               if shapes[m["shape"]]["type"] == "list" and shapes[m["shape"]]["member"]["shape"] == shape]
    assert len(members) == 1, f"{operation} does not list {shape} under one member"
    return members[0]


def check_kind(name, kind, model, rows):
    by_path = {f.path: f for f in rows}
    where = f"{KINDS}: kinds.{name}"
    if "member" in kind:
        # A shape of ours: no operation of the service model lists it.
        assert kind["shape"] not in model["shapes"] or kind["family"] == "inventory", where
    else:
        kind["member"] = check_member(kind["operation"], kind["shape"], model)
    for key in ("id", "resource", "vault"):
        if key in kind:
            assert by_path.get(kind[key]) and by_path[kind[key]].kind == "string", f"{where}: {key} is not a string field"
    for key in ("creation", "completion"):
        if key in kind:
            assert by_path.get(kind[key]) and by_path[kind[key]].kind == "timestamp", f"{where}: {key} is not a timestamp"
    if "progress" in kind:
        assert by_path.get(kind["progress"]) and by_path[kind["progress"]].kind == "string", f"{where}: progress"
    if "state" not in kind:
        return
    state = by_path.get(kind["state"])
    assert state and state.kind == "enumeration", f"{where}: state is not an enumeration"
    values = state.enum[1]
    grouped = [v for group in kind["lifecycle"] for v in group]
    assert sorted(grouped) == sorted(values), f"{where}: lifecycle must hold each of {values} once"
    assert kind["finished"] == kind["lifecycle"][-1], f"{where}: finished must be the last lifecycle group"
    assert set(kind["in_flight"]) <= set(values) and not set(kind["in_flight"]) & set(kind["finished"]), f"{where}: in_flight"


def check_documented(documented, kinds, tables):
    for path, entry in documented.items():
        where = f"{DOCUMENTED}: {path}"
        assert set(entry) == {"kinds", "closed", "description", "sources", "values"}, f"{where}: keys"
        assert isinstance(entry["closed"], bool) and entry["values"] and entry["sources"], where
        assert len(set(entry["values"])) == len(entry["values"]), f"{where}: a value twice"
        for name in entry["kinds"]:
            assert name in kinds, f"{where}: no kind {name}"
            rows = {f.path: f for f in tables[kinds[name]["shape"]][0]}
            assert rows.get(path) and rows[path].kind == "string", f"{where}: not a plain string field of {name}"


def documented_for(documented, kind_name):
    return {path: entry for path, entry in documented.items() if kind_name in entry["kinds"]}


HEADER = [
    "// GENERATED by Scripts/generate-schema.py from model/aws-backup/ (the service model of",
    "// botocore {botocore}, AWS Backup API {api}; kinds.toml; documented-values.toml). Do not edit by",
    "// hand: change the model files or the script and run `Scripts/generate-schema.py`.",
    "",
]


def header(model):
    prov = model["_provenance"]
    return [line.format(botocore=prov["botocore_version"], api=prov["api_version"]) for line in HEADER]


def render_fields(model, shape, enum_name, rows, lists, conformance, kind_name, documented):
    lines = header(model) + [
        f"/// Every member of the service model's `{shape}` shape, nested structures flattened to dotted",
        "/// paths, in the model's order.",
    ]
    if lists:
        lines.append(f"/// Not fields (lists, kept as JSON text like members newer than the model): {', '.join(f'`{p}`' for p in lists)}.")
    lines.append(f"public enum {enum_name}: Int, {conformance} {{")
    for row in rows:
        lines.append(f"    /// `{row.path}`")
        lines.append(f"    case {case_name(row.path)}")
    lines += ["}", "", f"extension {enum_name} {{"]
    if kind_name:
        lines += [f"    public static let kind = RecordKind.{kind_name}", ""]
    lines += [
        f"    /// One descriptor per `{enum_name}`, in the model's member order.",
        "    public static let descriptors: [FieldDescriptor] = [",
    ]
    for index, row in enumerate(rows):
        if row.kind == "enumeration":
            name, values = row.enum
            type_expr = f".enumeration(name: {swift_string(name)}, values: {swift_strings(values)})"
        else:
            type_expr = "." + row.kind
        args = [f"index: {index}, path: {swift_string(row.path)}, type: {type_expr}, shape: {swift_string(row.shape)}"]
        if row.parent is not None:
            args.append(f"parent: {row.parent}")
        if row.map_keys:
            args.append(f"mapKeys: {swift_strings(row.map_keys)}")
        args.append(f"summary: {swift_string(row.doc)}")
        if row.path in documented:
            entry = documented[row.path]
            args.append(
                f"documentedValues: DocumentedValues(\n                values: {swift_strings(entry['values'])},\n"
                f"                isClosed: {'true' if entry['closed'] else 'false'}, description: {swift_string(entry['description'])})")
        lines.append("        FieldDescriptor(")
        lines.append("            " + ",\n            ".join(args) + "),")
    lines += ["    ]", "}", ""]
    return "\n".join(lines)


def render_kinds(model, kinds, tables):
    prov = model["_provenance"]
    lines = header(model) + [
        "/// The kinds of records backup-audit reads: one per List operation of AWS Backup, each with",
        "/// a schema generated from the operation's record shape (`RecordSchema`); and the resources of",
        "/// inventories (`family`).",
        "public enum RecordKind: String, CaseIterable, Hashable, Sendable {",
    ]
    for name, kind in kinds.items():
        lines.append(f"    /// `{kind['shape']}` records, {listed_by(kind)} under `{kind['member']}`.")
        lines.append(f"    case {name}")
    lines += [
        "}",
        "",
        "extension RecordKind {",
        "    /// The kind's fields, identity, states and timestamps.",
        "    public var schema: RecordSchema {",
        "        switch self {",
    ]
    for name in kinds:
        lines.append(f"        case .{name}: RecordSchema.{name}")
    lines += ["        }", "    }", "}", "", "extension RecordSchema {",
              "    /// The API version of the service model the schemas were generated from.",
              f"    public static let modelAPIVersion = {swift_string(prov['api_version'])}",
              "    /// The botocore release the service model was extracted from.",
              f"    public static let modelBotocoreVersion = {swift_string(prov['botocore_version'])}"]
    for name, kind in kinds.items():
        rows = tables[kind["shape"]][0]
        enum = kind["fields"]

        def field(key):
            return f"{enum}.{case_name(kind[key])}.index" if key in kind else "nil"

        lines += [
            "",
            f"    /// {kind['operation']}: `{kind['shape']}` records under `{kind['member']}`.",
            f"    public static let {name} = RecordSchema(",
            f"        kind: .{name}, family: .{kind['family']}, shape: {swift_string(kind['shape'])}, operation: {swift_string(kind['operation'])},",
            f"        member: {swift_string(kind['member'])}, noun: {swift_string(kind['noun'])}, pluralNoun: {swift_string(kind['plural'])},",
            f"        fields: {enum}.descriptors,",
            f"        idField: {field('id')}, creationField: {field('creation')}, completionField: {field('completion')},",
            f"        progressField: {field('progress')}, resourceField: {field('resource')}, vaultField: {field('vault')},",
        ]
        if "state" not in kind:
            lines.append("        states: .stateless)")
            continue
        states = kind["lifecycle"]
        values = [f for f in rows if f.path == kind["state"]][0].enum[1]
        ranks = [next(r + 1 for r, group in enumerate(states) if v in group) for v in values]
        lines += [
            f"        states: RecordStates(",
            f"            field: {field('state')},",
            f"            values: {swift_strings(values)},",
            f"            ranks: {ranks},",
            f"            finished: {swift_strings(kind['finished'])},",
            f"            inFlight: {swift_strings(kind['in_flight'])}))",
        ]
    lines += ["}", ""]
    return "\n".join(lines)


def listed_by(kind):
    """How a kind's records are listed, for comments and docs."""
    if kind["family"] == "inventory" and kind["shape"] not in SERVICE_SHAPES:
        return f"read from {kind['operation']}"
    return f"listed by {kind['operation']}"


def type_cell(row, documented):
    if row.kind == "enumeration":
        return "enum " + row.enum[0] + ": " + ", ".join(f"`{v}`" for v in row.enum[1])
    if row.path in documented:
        entry = documented[row.path]
        listed = ", ".join(f"`{v}`" for v in entry["values"])
        return f"string, one of: {listed}" if entry["closed"] else f"string; documented: {listed} (an open list)"
    if row.kind == "integerMap":
        keys = f" (keys: {', '.join(f'`{k}`' for k in row.map_keys)})" if row.map_keys else ""
        return "map of string to integer" + keys
    return {"stringMap": "map of string to string", "integer": "integer (64-bit)"}.get(row.kind, row.kind)


def field_table(rows, documented):
    lines = ["| field | type | summary |", "|---|---|---|"]
    for row in rows:
        cell = row.doc.replace("|", "\\|")
        lines.append(f"| `{row.path}` | {type_cell(row, documented)} | {cell} |")
    return lines


def anchor(title):
    return re.sub(r"[^a-z0-9 -]", "", title.lower()).replace(" ", "-")


def render_doc(model, kinds, ready, tables, documented):
    prov = model["_provenance"]
    lines = [
        "# The record schemas",
        "",
        "<!-- GENERATED by Scripts/generate-schema.py; do not edit by hand. -->",
        "",
        "Every field of the AWS Backup records backup-audit reads, as the AWS Backup service model",
        f"(API {prov['api_version']}, botocore {prov['botocore_version']}) defines it: one section per kind of",
        "record. Rules name fields by these paths. Members AWS adds after this model are kept as",
        "*additional fields* (see [inputs.md](inputs.md#fields-aws-adds-later)).",
        "",
        "| kind | operation | listing member | id | state (lifecycle, earliest first) |",
        "|---|---|---|---|---|",
    ]
    for name, kind in kinds.items():
        title = kind["plural"][0].upper() + kind["plural"][1:]
        if "state" in kind:
            lifecycle = " < ".join("/".join(group) for group in kind["lifecycle"])
            state = f"`{kind['state']}`: {lifecycle}"
        else:
            state = "none (an inventory)"
        lines.append(f"| [{title}](#{anchor(title)}) | {kind['operation']} | `{kind['member']}` | `{kind['id']}` | {state} |")
    lines += [
        "",
        "A record's state ends in one of the last group's values (*finished*); the states before",
        "them, but for ABORTING, are *in flight*. A state newer than the model ranks with the",
        "finished ones when the same record appears twice ([inputs.md](inputs.md#the-same-job-twice)).",
    ]
    for name, kind in kinds.items():
        rows, lists = tables[kind["shape"]]
        title = kind["plural"][0].upper() + kind["plural"][1:]
        extra = f", `progress` {kind['progress']}" if "progress" in kind else ""
        lines += ["", f"## {title}", ""]
        if "state" in kind:
            lines += [
                f"`{kind['shape']}`, listed by {kind['operation']} under `{kind['member']}`. Identified by `{kind['id']}`;",
                f"state `{kind['state']}`; timestamps `{kind['creation']}` and `{kind['completion']}`{extra}; resource",
                f"`{kind['resource']}`, vault `{kind['vault']}`.",
                "",
            ]
        else:
            latest = f"; the later `{kind['completion']}` is kept of the same resource twice" if "completion" in kind else ""
            vault = f"; vault `{kind['vault']}`" if "vault" in kind else ""
            lines += [
                f"`{kind['shape']}`, {listed_by(kind)} under `{kind['member']}`: an inventory, no state. Identified by",
                f"`{kind['id']}`{latest}{vault} ([inputs.md](inputs.md#inventories)).",
                "",
            ]
        lines += field_table(rows, documented_for(documented, name))
    lines += [
        "",
        "Timestamps are instants in UTC with millisecond precision. A JSON `null` is a missing value.",
        "",
        "## Documented values",
        "",
        "The service model types these fields as plain strings; their values come from AWS's documentation",
        "([documented-values.toml](../model/aws-backup/documented-values.toml)). A rule comparing one of them with a",
        "quoted value outside a *closed* list is an error; near misses of an *open* list get a warning; a value AWS",
        "added after the list is given through a parameter ([language.md](language.md#values-the-schema-knows)).",
        "",
    ]
    for path, entry in documented.items():
        closed = "closed" if entry["closed"] else "open"
        used = ", ".join(kinds[k]["plural"] for k in entry["kinds"])
        lines.append(f"- `{path}` ({closed}: {entry['description']}; {used}): " + ", ".join(f"<{url}>" for url in entry["sources"]))
    lines += [
        "",
        "## Shapes not read yet",
        "",
        "Generated and ready for the kinds that come next; listings of them are not read yet.",
    ]
    for shape, entry in ready.items():
        rows, lists = tables[shape]
        member = check_member(entry["operation"], shape, model)
        lines += ["", f"### {shape}", "", f"Listed by {entry['operation']} under `{member}`."]
        if lists:
            lines.append("Lists are not fields (a decoder keeps them as JSON text): " + ", ".join(f"`{p}`" for p in lists) + ".")
        lines.append("")
        lines += field_table(rows, {})
    lines.append("")
    return "\n".join(lines)


def outputs():
    model, kinds, ready, tables, documented = load()
    files = {os.path.join(SWIFT_DIR, "RecordKind.swift"): render_kinds(model, kinds, tables)}
    for name, kind in kinds.items():
        rows, lists = tables[kind["shape"]]
        files[os.path.join(SWIFT_DIR, kind["fields"] + ".swift")] = render_fields(
            model, kind["shape"], kind["fields"], rows, lists, "RecordField", name, documented_for(documented, name))
    for shape, entry in ready.items():
        rows, lists = tables[shape]
        files[os.path.join(SWIFT_DIR, entry["fields"] + ".swift")] = render_fields(
            model, shape, entry["fields"], rows, lists, "ShapeField", None, {})
    files[DOC_OUT] = render_doc(model, kinds, ready, tables, documented)
    return files


def main():
    check = "--check" in sys.argv[1:]
    files = outputs()
    stale = []
    existing = {os.path.join(SWIFT_DIR, f) for f in os.listdir(SWIFT_DIR)} if os.path.isdir(SWIFT_DIR) else set()
    for path in sorted(existing - set(files)):
        if check:
            stale.append(os.path.relpath(path, ROOT) + " (not generated any more)")
        else:
            os.remove(path)
    os.makedirs(SWIFT_DIR, exist_ok=True)
    for path, text in files.items():
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current == text:
            continue
        if check:
            stale.append(os.path.relpath(path, ROOT))
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    if stale:
        print("out of date with the service model: " + ", ".join(stale)
              + " (run Scripts/generate-schema.py)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
