#pragma once
// JSON text as Go's encoding/json writes it (Go 1.25), for bodies and printouts that must read
// as CTS's: object keys in sorted order (struct fields of oapigen's types are declared in that
// order too), HTML-safe string escapes (<, >, & as \u003c, \u003e, \u0026; U+2028, U+2029),
// \b \f \n \r \t, other control characters as \u00XX, invalid UTF-8 as \ufffd.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace baton::api::model {

// json.Marshal.
std::string go_json_marshal(const nlohmann::json& value);
// The same with the object keys in insertion order, for Go structs whose fields are not
// declared alphabetically (CTS's older API types: TaskStatus, OverallStatus).
std::string go_json_marshal(const nlohmann::ordered_json& value);
// json.MarshalIndent(value, prefix, indent): empty objects and arrays stay `{}` and `[]`.
std::string go_json_marshal_indent(const nlohmann::json& value, std::string_view prefix, std::string_view indent);
// Where nlohmann's parser refuses `text`: the byte position it reports (1-based: one past the
// offending byte; past the end for a truncated text). 0 when the text parses.
std::size_t json_parse_error_position(std::string_view text);
// A Go JSON string literal, quotes included.
std::string go_json_string(std::string_view text);

}  // namespace baton::api::model
