import ArgumentParser
import BackupJobs
import Foundation

/// `--now`: the run's one instant, shared by every command that both fetches and judges (`check`,
/// `eval`, `query`) and by `fetch`. Rules judge by it (`within`, `older than`, waivers) and the
/// relative times of a fetch (`--by-created-after 7d`) count back from it, so the data fetched
/// and the rules judging it agree on when "7d ago" was. Signatures, credential expiry and the
/// fetch record's times read the real clock instead (LiveFetch).
struct ClockOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The time of the run, as in a rule file (2026-11-28T12:00:00Z, 2026-11-28): rules judge by it and relative fetch times (--by-created-after 7d) count back from it; default: the clock, read once at the start.",
        valueName: "timestamp"))
    var now: String?

    /// The instant, read once: `--now`, or the clock.
    func instant() throws -> Timestamp {
        try TimeArgument.instant(now)
    }
}

/// Timestamps given on the command line.
enum TimeArgument {
    static func parse(_ text: String) throws -> Timestamp {
        if let timestamp = timestamp(text) { return timestamp }
        throw ValidationError("'\(text)' is not a timestamp; write it as in a rule file: 2026-11-28T12:00:00Z, 2026-11-28T12:00Z or 2026-11-28")
    }

    /// A date or a date and time, written as in a rule file (`Timestamp(written:)`).
    static func timestamp(_ text: String) -> Timestamp? {
        Timestamp(written: text)
    }

    /// The instant a `--now` names, or the clock when it was not given.
    static func instant(_ text: String?) throws -> Timestamp {
        try text.map(parse) ?? current()
    }

    static func current() -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
