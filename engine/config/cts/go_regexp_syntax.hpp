#pragma once
// Whether Go's regexp.Compile (regexp/syntax Parse with the Perl flags, Go 1.25 as CTS v0.9.0
// is built with) accepts a pattern, and if not, its error text, for the services and
// catalog-services `regexp` fields: "error parsing regexp: missing closing ): `(web`".
//
// The parser's control flow is ported (its parse stack reduced to what errors depend on). Not
// reproduced: the size and nesting limits ("expression too large", "expression nests too
// deeply", far beyond any configuration), and \p{...} names are checked against the names Go
// knows without its exact case and spelling rules (a few names Go refuses are accepted).
#include <optional>
#include <string>
#include <string_view>

namespace baton::config::cts {

std::optional<std::string> go_regexp_syntax_error(std::string_view pattern);

}  // namespace baton::config::cts
