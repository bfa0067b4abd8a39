#pragma once
// Helpers shared by the hcl_* tests: a position-free dump of a document (so equality and
// failure messages read as text), and parse-or-fail shortcuts.
#include <string>
#include <string_view>

#include "engine/config/hcl/document.hpp"
#include "engine/config/hcl/go_value.hpp"
#include "engine/config/hcl/parse.hpp"

namespace baton::config::hcl::testing {

// One line per item, nested by indentation; values typed: `a = int(1 "1")`, `b = str("x")`.
std::string dump(const Body& body);
std::string dump(const Value& value);
std::string dump(const GoValue& value);

// The parse's value, or a gtest failure naming the error (and an empty File).
File parse_ok(std::string_view name, std::string_view text);
// "name:line:column: message", or "parsed" when the text parsed.
std::string error_of(std::string_view name, std::string_view text);
std::string native_error_of(std::string_view text);  // parse_native_body on "t.hcl"

// The byte offset of a 1-based line and code-point column in `text` (npos when outside).
std::size_t offset_of(std::string_view text, int line, int column);

}  // namespace baton::config::hcl::testing
