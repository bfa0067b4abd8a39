#pragma once
// hclwrite's token generators (hcl v2.13.0 hclwrite/generate.go): TokensForValue, quoted string
// escaping and absolute traversals such as `var.services`. Spacing is left to format_tokens.
#include <map>
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

// The same tokens as tokens_for_value(Value::string(text)), Value::string_map(entries) and
// Value::string_list(elements), appended to `to` without building Values: a catalog of 10,000
// instances renders each instance's maps and tags (a property test holds them equal).
void append_string_tokens(Tokens& to, std::string_view text);
void append_string_map_tokens(Tokens& to, const std::map<std::string, std::string>& entries);
void append_string_list_tokens(Tokens& to, const std::vector<std::string>& elements);

// `root.step.step`: one identifier per name, joined by dots, names written as given.
Tokens tokens_for_traversal(const std::vector<std::string>& names);

}  // namespace baton::driver::terraform
