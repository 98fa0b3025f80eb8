/// The exit statuses a CI gate can rely on.
enum ExitStatus: Int32, CaseIterable {
    /// Everything checked passes (or fails only below `--fail-on`).
    case success = 0
    /// A rule failed at or above `--fail-on`.
    case ruleFailed = 1
    /// Invalid rules, parameters, waivers, input data or usage, or a report path that cannot be
    /// written: nothing was evaluated. Also a rule that could not be evaluated (a value
    /// overflowed; the reports say which and why), and reports that failed after evaluation (no
    /// report file was changed; the message says so).
    case invalidInput = 2
    /// The job source failed (live fetch from AWS).
    case sourceFailed = 3

    static let help = """
        EXIT STATUS:
          0  success: every rule passes, or fails only below --fail-on
          1  a rule failed at or above --fail-on
          2  invalid rules, parameters, waivers, input data or usage, or a report path
             that cannot be written: nothing was evaluated; or a rule could not be
             evaluated (the reports say which and why); or the reports failed after
             evaluation (no report file was changed, and the message says so)
          3  the job source failed (fetching from AWS)
        """
}
