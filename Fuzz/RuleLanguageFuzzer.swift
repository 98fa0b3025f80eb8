// libFuzzer harness for the RuleLanguage module: lexer, parser, checker, diagnostic renderer
// and formatter. Built and run by Scripts/fuzz-rules.sh (not part of Package.swift).
//
// For every input:
//   1. decode the bytes as UTF-8 (invalid sequences become U+FFFD), parse, compile, render;
//   2. when the parse has no errors: format, re-parse the formatted text and require
//      (a) no errors on the re-parse and (b) formatting again gives the identical text.
// A broken invariant calls fatalError, which libFuzzer records as a crash with the input.

import RuleLanguage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let source = SourceFile(name: "fuzz.rules", text: text)

    // Parsing must never crash or hang.
    let (file, diagnostics) = Parser.parse(source)

    // Checking and compiling the same text, and rendering everything it reports.
    let (_, compileDiagnostics) = RuleSet.compile([source])
    let sources = [source.name: source]
    _ = DiagnosticRenderer.render(diagnostics, sources: sources)
    _ = DiagnosticRenderer.render(compileDiagnostics, sources: sources)

    // The formatter is only defined for files that parse cleanly.
    guard !diagnostics.hasErrors else { return 0 }

    let formatted = Formatter.format(file, source: source)
    let formattedSource = SourceFile(name: "formatted.rules", text: formatted)
    let (reparsed, reparseDiagnostics) = Parser.parse(formattedSource)
    if reparseDiagnostics.hasErrors {
        let rendered = DiagnosticRenderer.render(reparseDiagnostics.errors, sources: [formattedSource.name: formattedSource])
        fatalError("""
            formatter produced text that does not parse
            --- input ---
            \(text)
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
            --- input ---
            \(text)
            --- formatted once ---
            \(formatted)
            --- formatted twice ---
            \(reformatted)
            """)
    }
    return 0
}
