#pragma once
// Go regular expressions (regexp.Compile, RE2 syntax, searched anywhere in the subject) on
// std::regex's ECMAScript engine, after a translation that keeps Go's meaning where the two
// differ and refuses what it cannot keep. Used where baton must match as a Go program would:
// the services `regexp` of CTS tasks (engine/watch) and fake-consul's `matches` filters.
//
// - Go rejects, and so does the translation, with Go's message: back-references (\1), lookaround
//   ((?= (?! (?<= (?<!), escapes Go does not know (\c, \k, \C ...), unbalanced parentheses,
//   a missing ], a trailing backslash, a repetition with nothing to repeat.
// - Translated to keep Go's meaning: `.` never matches '\n' (ECMAScript also excludes '\r'),
//   \A and \z, \a, octal and \x{...} escapes, named groups (?P<n>...) and (?<n>...), a ']'
//   first in a class, a '{' that is not a repeat count (a literal in Go, an error in
//   ECMAScript), a repeated anchor (`^*`), [[:word:]] and [[:ascii:]], a leading (?i) / (?s) /
//   (?is) flag group. Class ranges are checked here, so a reversed one is reported as Go
//   reports it ("invalid character class range: `z-a`").
// - Refused although Go accepts them (the message says "unsupported by baton (std::regex)"):
//   Unicode classes \pL \p{Greek}, flags anywhere but at the very start, (?m) and (?U), negated
//   POSIX classes [[:^alpha:]], non-ASCII characters inside [...].
// - Differences that remain: std::regex works on bytes, Go on runes, so `.` and [^x] match one
//   byte of a multi-byte character and (?i) folds ASCII only; \s also matches \v; messages for
//   errors std::regex finds itself (rather than the translation) name the whole pattern where
//   Go names the offending fragment.
// A better engine for this job is RE2 itself (Debian's libre2-dev): Go's regexp/syntax is a
// port of it, so syntax, semantics and error codes would match without translation.
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <variant>

namespace baton::text {

class GoRegex {
 public:
  // The compiled expression, or Go's error text: "error parsing regexp: missing closing ): `(`".
  static std::variant<std::shared_ptr<const GoRegex>, std::string> compile(std::string_view pattern);

  // Go's regexp.MatchString: is there a match anywhere in `subject`?
  bool search(std::string_view subject) const;

  // What std::regex was given, for tests and debugging.
  const std::string& translated() const { return translated_; }

  GoRegex(std::regex regex, std::string translated) : regex_(std::move(regex)), translated_(std::move(translated)) {}

 private:
  std::regex regex_;
  std::string translated_;
};

}  // namespace baton::text
