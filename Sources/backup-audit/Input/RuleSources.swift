import Foundation
import RuleLanguage

/// Reads rule files from paths: a file, a directory (its `*.rules` files, in name order, as one
/// rule set), or `-` for standard input. The only place rule text is read from disk.
struct RuleSources {
    var files: [SourceFile] = []
    /// Paths that could not be read, as diagnostics (no source to quote).
    var problems: [Diagnostic] = []

    static let fileExtension = "rules"

    init(paths: [String], standardInput: () -> Data = { FileHandle.standardInput.readDataToEndOfFile() }) {
        for path in paths {
            if path == "-" {
                add(standardInput(), name: "<stdin>")
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(Diagnostic(.unreadableFile, "no such file or directory", file: path, at: SourceRange(0, 0)))
                continue
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                let ruleFiles = names.filter { $0.hasSuffix("." + Self.fileExtension) && !$0.hasPrefix(".") }.sorted()
                if ruleFiles.isEmpty {
                    problems.append(Diagnostic(.unreadableFile, "the directory holds no .rules files", file: path, at: SourceRange(0, 0)))
                }
                for name in ruleFiles { read((path as NSString).appendingPathComponent(name)) }
            } else {
                read(path)
            }
        }
    }

    var byName: [String: SourceFile] {
        Dictionary(files.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private mutating func read(_ path: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            problems.append(Diagnostic(.unreadableFile, "cannot read the file", file: path, at: SourceRange(0, 0)))
            return
        }
        add(data, name: path)
    }

    private mutating func add(_ data: Data, name: String) {
        let bytes = [UInt8](data)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            // Say where the first bad byte is, counting lines and characters before it.
            let valid = Self.validPrefixLength(bytes)
            let prefix = String(decoding: bytes[..<valid], as: UTF8.self)
            let line = prefix.filter { $0 == "\n" }.count + 1
            let column = (prefix.split(separator: "\n", omittingEmptySubsequences: false).last?.unicodeScalars.count ?? 0) + 1
            problems.append(Diagnostic(
                .invalidUTF8, "the file is not valid UTF-8 (line \(line), column \(column), byte \(valid)); save it as UTF-8",
                file: name, at: SourceRange(valid, valid + 1)))
            return
        }
        files.append(SourceFile(name: name, text: text))
    }

    /// The length of the longest valid UTF-8 prefix: where the first bad byte is.
    private static func validPrefixLength(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while case .scalarValue(let scalar) = decoder.decode(&iterator) { offset += UTF8.width(scalar) }
        return offset
    }
}
