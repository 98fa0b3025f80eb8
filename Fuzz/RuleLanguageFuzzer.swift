// libFuzzer harness for the RuleLanguage module: lexer, parser, checker, diagnostic renderer
// and formatter. Built and run by `Scripts/fuzz.sh rules` (not part of Package.swift).
//
// For every input:
//   1. decode the bytes as UTF-8 (invalid sequences become U+FFFD), parse, compile, render;
//   2. when the parse has no errors: format, re-parse the formatted text and require
//      (a) no errors on the re-parse and (b) formatting again gives the identical text.
// A broken invariant calls fatalError, which libFuzzer records as a crash with the input; the
// message shows the texts as escaped Swift string literals so \r, tabs and odd Unicode are visible.

import RuleLanguage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let source = SourceFile(name: "fuzz.rules", text: text)

    // Parsing must never crash or hang.
    let (file, diagnostics) = Parser.parse(source)

    // Checking and compiling the same text, and rendering everything it reports. The compile
    // diagnostics include the parse diagnostics, so rendering them once covers both (rendering
    // is the costliest step on long lines, so it is not done twice).
    let (_, compileDiagnostics) = RuleSet.compile([source])
    _ = DiagnosticRenderer.render(compileDiagnostics, sources: [source.name: source])

    // The formatter is only defined for files that parse cleanly.
    guard !diagnostics.hasErrors else { return 0 }

    let formatted = Formatter.format(file, source: source)
    let formattedSource = SourceFile(name: "formatted.rules", text: formatted)
    let (reparsed, reparseDiagnostics) = Parser.parse(formattedSource)
    if reparseDiagnostics.hasErrors {
        let rendered = DiagnosticRenderer.render(reparseDiagnostics.errors, sources: [formattedSource.name: formattedSource])
        fatalError("""
            formatter produced text that does not parse
            --- input (escaped) ---
            \(text.debugDescription)
            --- formatted (escaped) ---
            \(formatted.debugDescription)
            --- formatted ---
            \(formatted)
            --- errors ---
            \(rendered)
            """)
    }

    let reformatted = Formatter.format(reparsed, source: formattedSource)
    if reformatted != formatted {
        fatalError("""
            formatter is not idempotent
            --- input (escaped) ---
            \(text.debugDescription)
            --- formatted once (escaped) ---
            \(formatted.debugDescription)
            --- formatted twice (escaped) ---
            \(reformatted.debugDescription)
            """)
    }
    return 0
}
