#pragma once
// JSON configuration files, read as CTS reads them: config.go decodeConfig hands .json files to
// Go's encoding/json (json.Unmarshal into map[string]interface{}), not to HCL's JSON parser.
//
// The result is the same Body model the native syntax produces, with real positions: every
// JSON member becomes an Attribute (its key's position), objects become object values holding
// a Body, arrays become lists, and null stays null. Nothing is turned into a Block here,
// because in JSON only the schema can tell a block from an attribute: `"consul": {...}` is the
// consul block, `"node_meta": {...}` a map. block_view.hpp reads blocks out of this tree when
// the schema asks for them, and go_value.hpp reproduces what json.Unmarshal gives CTS.
//
// Members are kept in source order, duplicates included (json.Unmarshal keeps the last).
// Numbers keep their text; an integral literal that fits int64 also keeps its int64 value.
#include <string_view>

#include "engine/config/hcl/document.hpp"
#include "engine/config/hcl/error.hpp"

namespace baton::config::hcl {

// The top level must be an object (or `null`, which json.Unmarshal accepts as "no settings").
// Errors carry the line and column nlohmann's parser stopped at.
Result<Body> parse_json_body(std::string_view file, std::string_view text);

}  // namespace baton::config::hcl
