/// `like` patterns, for saying "starts with, then anything" without a regular expression:
/// `*` is any run of characters (none too), `?` exactly one character (one Unicode scalar, as
/// RE2's `.` is), `\` makes the next character literal; the whole text must match. A glob becomes
/// an anchored RE2 pattern, so it matches in linear time like `matches` does.
enum Glob {
    /// A glob ending in a `\` that escapes nothing; `offset` is the backslash's UTF-8 offset.
    struct TrailingBackslash: Error, Equatable {
        var offset: Int
    }

    /// The RE2 pattern that matches exactly the texts `glob` matches.
    static func regularExpression(for glob: String) -> Result<String, TrailingBackslash> {
        // (?s): `*` and `?` match line breaks too; \A and \z anchor at the ends of the whole text.
        var pattern = #"(?s)\A"#
        var escaping = false, afterStar = false
        var offset = 0
        for scalar in glob.unicodeScalars {
            defer { offset += scalar.utf8.count }
            if escaping {
                pattern += quoted(scalar)
                escaping = false
                afterStar = false
                continue
            }
            switch scalar {
            case "\\": escaping = true
            case "*":
                // `**` means what `*` does.
                if !afterStar { pattern += ".*" }
                afterStar = true
                continue
            case "?": pattern += "."
            default: pattern += quoted(scalar)
            }
            afterStar = false
        }
        if escaping { return .failure(TrailingBackslash(offset: offset - 1)) }
        return .success(pattern + #"\z"#)
    }

    /// A scalar as a literal in RE2 syntax, as `RE2::QuoteMeta` writes it: ASCII other than
    /// letters, digits and `_` behind a backslash, NUL as `\x00`, everything else as itself.
    static func quoted(_ scalar: Unicode.Scalar) -> String {
        if scalar == "\0" { return #"\x00"# }
        let isWordCharacter = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
        return scalar.isASCII && !isWordCharacter ? "\\" + String(scalar) : String(scalar)
    }
}
