// A minimal C interface to RE2 (Debian: libre2-dev), so Swift can use RE2 without C++ interop.
// RE2 matches in time linear in the text for every pattern: no backtracking, hence no
// backreferences and no lookaround.
#ifndef CRE2_H
#define CRE2_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A compiled pattern, or the reason it did not compile. Matching is thread-safe.
typedef struct cre2_regex cre2_regex;

/// Compiles `length` bytes of UTF-8 at `pattern` (NUL bytes allowed; NULL when `length` is 0) in RE2 syntax, without
/// capturing groups and without logging. Returns NULL only when memory ran out; otherwise a
/// handle to free with cre2_delete, which may hold an error (cre2_error_code).
cre2_regex *cre2_new(const unsigned char *pattern, size_t length, int case_insensitive);

void cre2_delete(cre2_regex *regex);

/// RE2's error code (RE2::ErrorCode): 0 when the pattern compiled.
int cre2_error_code(const cre2_regex *regex);

/// RE2's error message ("invalid escape sequence: \1"); "" when the pattern compiled. Valid
/// until cre2_delete.
const char *cre2_error(const cre2_regex *regex);

/// Where in the pattern the error is: the byte offset and length of the fragment RE2 names
/// (error_arg), or the whole pattern when RE2 names none. Returns 0 when there is no error.
int cre2_error_location(const cre2_regex *regex, size_t *offset, size_t *length);

/// Whether the pattern matches somewhere in `length` bytes of UTF-8 at `text` (unanchored,
/// unless the pattern anchors itself). Always 0 for a pattern with an error.
int cre2_partial_match(const cre2_regex *regex, const unsigned char *text, size_t length);

#ifdef __cplusplus
}
#endif

#endif
