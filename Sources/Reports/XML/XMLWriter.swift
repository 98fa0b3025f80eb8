import CLibXML2

/// XML through libxml2: a writer (xmlTextWriter, into memory) and a schema validator. The only
/// code in backup-audit that touches C pointers.
public enum XMLError: Error, CustomStringConvertible {
    case libxml(String)

    public var description: String {
        switch self {
        case .libxml(let what): "libxml2: \(what)"
        }
    }
}

/// Streams an XML document into memory. Text and attribute values are escaped by libxml2;
/// characters XML 1.0 forbids are replaced with U+FFFD first, so any string is safe to write.
final class XMLWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr

    init() throws(XMLError) {
        guard let buffer = xmlBufferCreate() else { throw .libxml("cannot allocate a buffer") }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw .libxml("cannot create a writer")
        }
        self.buffer = buffer
        self.writer = writer
        xmlTextWriterSetIndent(writer, 1)
        xmlTextWriterSetIndentString(writer, "  ")
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    func startDocument() throws(XMLError) {
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "start the document")
    }

    func startElement(_ name: String) throws(XMLError) {
        try check(xmlTextWriterStartElement(writer, name), "start <\(name)>")
    }

    func attribute(_ name: String, _ value: String) throws(XMLError) {
        try check(xmlTextWriterWriteAttribute(writer, name, Self.legal(value)), "write \(name)=")
    }

    func text(_ value: String) throws(XMLError) {
        try check(xmlTextWriterWriteString(writer, Self.legal(value)), "write text")
    }

    func endElement() throws(XMLError) {
        try check(xmlTextWriterEndElement(writer), "end an element")
    }

    /// Ends the document and returns its bytes.
    func finish() throws(XMLError) -> [UInt8] {
        try check(xmlTextWriterEndDocument(writer), "end the document")
        try check(xmlTextWriterFlush(writer), "flush")
        guard let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: Int(xmlBufferLength(buffer))))
    }

    private func check(_ status: Int32, _ what: String) throws(XMLError) {
        guard status >= 0 else { throw .libxml("cannot \(what)") }
    }

    /// Replaces what XML 1.0 does not allow: controls other than tab, newline and carriage
    /// return, and U+FFFE/U+FFFF.
    static func legal(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isLegal($0) }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(isLegal(scalar) ? scalar : "\u{FFFD}") }
        return String(scalars)
    }

    static func isLegal(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}

/// Validates XML against an XML Schema with libxml2 (for the JUnit writer's tests, and for
/// users checking a report against their CI's schema).
public enum XMLSchemaValidation {
    /// The validation errors, empty when the document is valid.
    public static func errors(in document: [UInt8], schemaPath: String) throws(XMLError) -> [String] {
        guard let parser = xmlSchemaNewParserCtxt(schemaPath) else { throw .libxml("cannot read the schema \(schemaPath)") }
        defer { xmlSchemaFreeParserCtxt(parser) }
        guard let schema = xmlSchemaParse(parser) else { throw .libxml("cannot parse the schema \(schemaPath)") }
        defer { xmlSchemaFree(schema) }
        guard let validator = xmlSchemaNewValidCtxt(schema) else { throw .libxml("cannot create a validator") }
        defer { xmlSchemaFreeValidCtxt(validator) }
        let collector = ErrorCollector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        xmlSchemaSetValidStructuredErrors(validator, { context, error in
            guard let context, let error, let message = error.pointee.message else { return }
            let collector = Unmanaged<ErrorCollector>.fromOpaque(context).takeUnretainedValue()
            collector.messages.append("line \(error.pointee.line): " + String(cString: message).trimmingTrailingNewlines())
        }, context)
        let parsed = document.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { xmlReadMemory($0.baseAddress, Int32($0.count), "report.xml", nil, Int32(XML_PARSE_NONET.rawValue)) }
        }
        guard let parsed else { return ["the document is not well-formed XML"] }
        defer { xmlFreeDoc(parsed) }
        let status = withExtendedLifetime(collector) { xmlSchemaValidateDoc(validator, parsed) }
        if status != 0 && collector.messages.isEmpty { collector.messages.append("invalid (libxml2 status \(status))") }
        return collector.messages
    }

    private final class ErrorCollector {
        var messages: [String] = []
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
