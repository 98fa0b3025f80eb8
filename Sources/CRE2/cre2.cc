// The C interface of cre2.h over RE2. No C++ exception may cross into Swift: compiling and
// locating an error catch them. Matching allocates only within the budget RE2 gave the pattern
// when it compiled (max_mem), so it runs out of memory no sooner than Swift code would.
#include "cre2.h"

#include <re2/re2.h>

#include <string>
#include <vector>

struct cre2_regex {
    std::string pattern;
    RE2::Options options;
    RE2 re;

    cre2_regex(const unsigned char *text, size_t length, const RE2::Options &opts)
        : pattern(length == 0 ? "" : reinterpret_cast<const char *>(text), length), options(opts), re(re2::StringPiece(pattern), options) {}
};

static RE2::Options optionsFor(int case_insensitive) {
    RE2::Options options;  // UTF-8, default memory budget (max_mem, 8 MiB): a huge pattern is an error
    options.set_log_errors(false);
    options.set_never_capture(true);
    options.set_case_sensitive(case_insensitive == 0);
    return options;
}

cre2_regex *cre2_new(const unsigned char *pattern, size_t length, int case_insensitive) {
    try {
        return new cre2_regex(pattern, length, optionsFor(case_insensitive));
    } catch (...) {
        return nullptr;
    }
}

void cre2_delete(cre2_regex *regex) { delete regex; }

int cre2_error_code(const cre2_regex *regex) { return regex->re.error_code(); }

const char *cre2_error(const cre2_regex *regex) { return regex->re.error().c_str(); }

/// Whether the pattern cut after `end` bytes fails with the same error as the whole pattern.
/// RE2 parses left to right and stops at the first error, so a prefix that ends at or after the
/// offending fragment fails the same way and one that ends before it does not.
static bool prefixFailsAlike(const cre2_regex *regex, size_t end) {
    RE2 prefix(re2::StringPiece(regex->pattern.data(), end), regex->options);
    return prefix.error_code() == regex->re.error_code() && prefix.error_arg() == regex->re.error_arg();
}

int cre2_error_location(const cre2_regex *regex, size_t *offset, size_t *length) {
    const RE2 &re = regex->re;
    if (re.ok()) return 0;
    const std::string &pattern = regex->pattern;
    const std::string &argument = re.error_arg();
    *offset = 0;
    *length = pattern.size();
    if (re.error_code() == RE2::ErrorTrailingBackslash && !pattern.empty()) {
        *offset = pattern.size() - 1;
        *length = 1;
        return 1;
    }
    if (argument.empty()) return 1;
    try {
        // RE2 copies the fragment rather than giving its place: find the occurrence it means,
        // the first one whose prefix fails alike (a binary search, since that is monotone).
        std::vector<size_t> occurrences;
        for (size_t at = pattern.find(argument); at != std::string::npos; at = pattern.find(argument, at + 1)) {
            occurrences.push_back(at);
        }
        if (occurrences.empty()) return 1;
        size_t low = 0, high = occurrences.size() - 1;
        while (low < high) {
            size_t middle = low + (high - low) / 2;
            if (prefixFailsAlike(regex, occurrences[middle] + argument.size())) high = middle; else low = middle + 1;
        }
        *offset = occurrences[low];
        *length = argument.size();
    } catch (...) {
        // Out of memory while searching: the whole pattern is still a true answer.
    }
    return 1;
}

int cre2_partial_match(const cre2_regex *regex, const unsigned char *text, size_t length) {
    if (!regex->re.ok()) return 0;
    re2::StringPiece subject(length == 0 ? "" : reinterpret_cast<const char *>(text), length);
    return RE2::PartialMatch(subject, regex->re) ? 1 : 0;
}
