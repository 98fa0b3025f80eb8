import Foundation
import TestSupport
import Testing

/// The libFuzzer harnesses in Fuzz/ are built by Scripts/fuzz.sh, not by SwiftPM, so a change of
/// a library's API used to break them unnoticed until the next campaign. Each is type-checked here
/// against the modules this test run was built with.
struct FuzzHarnessTests {
    /// Where SwiftPM put the modules of this build: `Modules` beside the test bundle.
    static let modules: URL? = {
        var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("Modules")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("BackupJobs.swiftmodule").path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }()

    @Test(arguments: ["rules", "listings", "reports", "selections"])
    func harnessTypeChecksAgainstTheLibraries(_ target: String) throws {
        let modules = try #require(Self.modules, "no Modules directory with BackupJobs.swiftmodule above the test binary")
        let script = CLI.packageRoot.appendingPathComponent("Scripts/fuzz.sh").path
        let result = try ProcessRunner.run(
            "/bin/bash", [script, target], in: CLI.packageRoot, environment: ["FUZZ_TYPECHECK_MODULES": modules.path])
        #expect(result.status == 0, "Fuzz harness of \(target) does not type-check:\n\(result.error.suffix(4000))")
    }

    /// Every harness the script knows is checked above.
    @Test func everyTargetOfTheScriptIsChecked() throws {
        let script = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Scripts/fuzz.sh"), encoding: .utf8)
        let harnesses = try FileManager.default.contentsOfDirectory(atPath: CLI.packageRoot.appendingPathComponent("Fuzz").path)
            .filter { $0.hasSuffix("Fuzzer.swift") }
        #expect(harnesses.count == 4, "Fuzz/ holds \(harnesses.sorted()); add the new target to harnessTypeChecksAgainstTheLibraries")
        for harness in harnesses {
            #expect(script.contains("HARNESS=\(harness.dropLast(".swift".count))"), "Scripts/fuzz.sh builds no target from \(harness)")
        }
    }
}
