#pragma once
// What CTS's decoding actually starts from: config.go decodeConfig first decodes a file into a
// Go map[string]interface{} (hcl.Decode for .hcl, json.Unmarshal for .json) and then lets
// mapstructure, with its hooks, turn that map into the Config struct. A later schema decoder
// that wants CTS's exact behaviour can start from the same map; this builds it, with positions.
//
// HCL1 (decoder.go, decoding into interface{}) gives the shapes CTS's hooks switch on:
//   - a block or `key = { ... }`, directly in a map:   []map[string]interface{} with one map;
//     repeated, the maps are appended in order (`task {} task {}` is two tasks);
//   - labels nest:  condition "services" { x = 1 }  ->  condition: [ {services: [ {x: 1} ]} ]
//     (all items sharing the first key are gathered, matched case-insensitively, as
//     ObjectList.Filter does);
//   - an object inside a list: map[string]interface{} (not wrapped);
//   - a list: []interface{}; a repeated list attribute appends to the earlier one;
//   - an integer literal: int; a float literal: float64; strings and heredocs: string;
//   - a repeated scalar attribute replaces the earlier one, decoded into the earlier one's type
//     (`port = 1` then `port = "x"` fails, as it does in CTS).
// json.Unmarshal: objects are map[string]interface{} (a repeated key keeps the last value),
// arrays []interface{}, every number float64, null nil.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/hcl/error.hpp"
#include "engine/config/hcl/parse.hpp"

namespace baton::config::hcl {

enum class GoKind {
  nil,
  boolean,    // bool
  integer,    // int (64-bit)
  floating,   // float64
  string,     // string
  slice,      // []interface{}
  map_slice,  // []map[string]interface{}: each element is a GoKind::map
  map,        // map[string]interface{}
};

struct GoEntry;

struct GoValue {
  GoKind kind = GoKind::nil;
  Position position;  // of the source value (for a map_slice, of its first element)
  bool boolean = false;
  std::int64_t integer = 0;
  double floating = 0;
  std::string string;
  std::vector<GoValue> elements;  // slice and map_slice
  std::vector<GoEntry> entries;   // map, in order of first appearance (Go maps have none)

  // The entry with exactly this key, or nullptr.
  const GoValue* find(std::string_view key) const;
};

struct GoEntry {
  std::string key;
  Position key_position;
  GoValue value;
};

// The map CTS hands to mapstructure for this file, or the error hcl.Decode would return
// (with our position; HCL1's own message names the same path, e.g. "root.port").
Result<GoValue> to_go_value(const File& file);

// "map[string]interface {}" style names, for messages.
const char* go_type_name(GoKind kind);

}  // namespace baton::config::hcl
