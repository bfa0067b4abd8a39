#pragma once
// Values CTS keeps as Go's interface{} rather than decoding them into fields: a backend's and
// a terraform_provider's arguments, required_providers. They stay exactly what mapstructure
// made of the decoded file (hcl::GoValue), and this file holds what CTS does with such values:
// compare them, print them with %v, and HookWeakDecodeFromSlice's unSlice.
#include <string>

#include "engine/config/hcl/go_value.hpp"

namespace baton::config::cts {

// Go's reflect.DeepEqual on decoded values: positions ignored, maps compared as sets of entries.
bool go_equal(const hcl::GoValue& a, const hcl::GoValue& b);

// fmt's %v: `map[a:1 b:[x y]]` (keys sorted), `[1 2]`, `<nil>`, floats as %g with the shortest
// digits ("1e+06", "2.5").
std::string go_sprint(const hcl::GoValue& value);

// internal/decode unSlice: every map entry, at any depth, whose value is a one-element slice
// becomes that element (one level per entry, as reflectwalk visits each entry once).
void un_slice(hcl::GoValue& value);

// A map[string]interface{} (or any decoded value) held by the typed configuration.
struct GoObject {
  hcl::GoValue value;

  friend bool operator==(const GoObject& a, const GoObject& b) { return go_equal(a.value, b.value); }
};

// An empty map[string]interface{}.
GoObject empty_go_map();

}  // namespace baton::config::cts
