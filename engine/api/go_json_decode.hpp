#pragma once
// Reading a request body as Go's encoding/json would, with Go's error texts, for the answers
// CTS gives ("error decoding the request: <Go's error>").
#include <nlohmann/json.hpp>

#include <string>
#include <variant>

namespace baton::api {

// json.Unmarshal of `body` into a value of any type: the value, or Go's error text:
// "unexpected end of JSON input", "invalid character 'x' looking for beginning of value",
// "invalid character 'x' after top-level value", and for other malformed input (which Go
// names by the scanner's state, not tracked here) "invalid character 'x' in JSON".
std::variant<nlohmann::json, std::string> go_json_unmarshal(const std::string& body);

// The Go name of a JSON value's kind in "json: cannot unmarshal <kind> into Go value of type ...".
const char* go_json_kind(const nlohmann::json& value);

}  // namespace baton::api
