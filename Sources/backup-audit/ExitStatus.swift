/// The exit statuses a CI gate can rely on.
enum ExitStatus: Int32, CaseIterable {
    /// Everything checked passes (or fails only below `--fail-on`).
    case success = 0
    /// A rule failed at or above `--fail-on`.
    case ruleFailed = 1
    /// Invalid rules, parameters, waivers, input data or usage (nothing was evaluated), or a
    /// rule could not be evaluated (a value overflowed; the reports say which and why).
    case invalidInput = 2
    /// The job source failed (live fetch from AWS).
    case sourceFailed = 3

    static let help = """
        EXIT STATUS:
          0  success: every rule passes, or fails only below --fail-on
          1  a rule failed at or above --fail-on
          2  invalid rules, parameters, waivers, input data or usage (nothing was evaluated),
             or a rule could not be evaluated (the reports say which and why)
          3  the job source failed (fetching from AWS)
        """
}
