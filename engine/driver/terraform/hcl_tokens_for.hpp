#pragma once
// hclwrite's token generators (hcl v2.13.0 hclwrite/generate.go): TokensForValue, quoted string
// escaping and absolute traversals such as `var.services`. Spacing is left to format_tokens.
#include <string>
#include <string_view>
#include <vector>

#include "engine/driver/terraform/hcl_token.hpp"
#include "engine/driver/terraform/value.hpp"

namespace baton::driver::terraform {

// escapeQuotedStringLit: \n \r \t \" \\ escaped; `${` and `%{` doubled to `$${` and `%%{`;
// runes Go does not consider printable as \uXXXX or \UXXXXXXXX; invalid UTF-8 as U+FFFD.
std::string escape_quoted_string(std::string_view text);

Token identifier_token(std::string name);

// `"text"`, escaped.
Tokens tokens_for_string(std::string_view text);

// TokensForValue: null, true/false, numbers, quoted strings, `[a, b]`, and `{` newline
// `key = value` lines `}` (bare keys when they are identifiers, quoted otherwise; `{}` if empty).
Tokens tokens_for_value(const Value& value);

// `root.step.step`: one identifier per name, joined by dots, names written as given.
Tokens tokens_for_traversal(const std::vector<std::string>& names);

}  // namespace baton::driver::terraform
