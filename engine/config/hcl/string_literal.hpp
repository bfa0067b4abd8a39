#pragma once
// The value of a quoted HCL1 string (hcl/strconv/quote.go Unquote): escapes resolved, and
// every `${ ... }` section copied verbatim, backslashes included, braces counted. CTS never
// evaluates interpolations, so "${var.x}" simply stays that text. HCL1 has no `$${` escape
// (that belongs to HIL, which CTS does not run): "$${x}" also stays as written.
//
// \xHH and \NNN give raw bytes, which need not be UTF-8; \u and \U with a surrogate give
// U+FFFD, as Go's utf8.EncodeRune does; a \U escape of 0x80000000 or more gives its low byte
// (Go's int32 arithmetic wraps; checked against HCL1 itself).
#include <optional>
#include <string>
#include <string_view>

namespace baton::config::hcl {

struct UnquoteFailure {
  std::string message;
};

// `quoted` is a whole string token, quotes included, already accepted by the scanner. The
// failures left are those where HCL1's Unquote returns ErrSyntax (and CTS would panic):
// an octal escape above \377, a \U escape above U+10FFFF, a U+FFFD inside `${...}`.
struct Unquoted {
  std::string value;
  std::optional<UnquoteFailure> failure;
};
Unquoted unquote(std::string_view quoted);

}  // namespace baton::config::hcl
