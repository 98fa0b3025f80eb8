/// Builds an HTML document as text. Element and attribute names come from the code; every value
/// and every text goes through `HTMLText`, so no data can open or close markup.
struct HTMLWriter {
    private(set) var html = ""

    /// An element with its attributes (a nil value leaves the attribute out; an empty one writes
    /// it bare, `hidden`), and its content.
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:], content: (inout HTMLWriter) -> Void = { _ in }) {
        open(name, attributes)
        content(&self)
        html += "</\(name)>"
    }

    /// An element holding only text.
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:], text: String, keepingNewlines: Bool = false) {
        element(name, attributes) { $0.text(text, keepingNewlines: keepingNewlines) }
    }

    /// An element without content or end tag (`meta`, `input`).
    mutating func void(_ name: String, _ attributes: KeyValuePairs<String, String?>) {
        open(name, attributes)
    }

    mutating func text(_ text: String, keepingNewlines: Bool = false) {
        html += HTMLText.escaped(text, keepingNewlines: keepingNewlines)
    }

    /// Markup the code wrote itself (the page's style sheet and script, the doctype): never data.
    mutating func trusted(_ markup: StaticString) {
        html += markup.description
    }

    private mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String?>) {
        html += "<\(name)"
        for (key, value) in attributes {
            guard let value else { continue }
            html += value.isEmpty ? " \(key)" : " \(key)=\"\(HTMLText.escaped(value))\""
        }
        html += ">"
    }
}
