#pragma once
// Writes a Body as HCL1 native syntax that parses back to the same document (positions aside):
// for logging the effective configuration, and for the round-trip property test.
//
// Not everything a Body can hold has an HCL1 spelling: null (HCL1 has none; printed as `null`,
// which HCL1 refuses), and strings whose `${` sections do not close or hold characters the
// scanner refuses inside them (they are copied verbatim, as HCL1 reads them).
#include <string>

#include "engine/config/hcl/document.hpp"

namespace baton::config::hcl {

std::string print_native(const Body& body);

// A string as an HCL1 quoted literal: "a\"b\n", `${...}` sections verbatim.
std::string quote_native(std::string_view value);

}  // namespace baton::config::hcl
