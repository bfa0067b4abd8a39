#pragma once
// CTS's variableTypeString (templates/tftmpl/variables.go): the Terraform type declared for a
// provider object or a module input variable, from its value. Collections are generic
// (`list(any)`, `map(any)`), structural types spelled out; a null is "unknown".
#include "engine/driver/terraform/hcl_token.hpp"
#include "engine/driver/terraform/value.hpp"

namespace baton::driver::terraform {

// The tokens hclwrite.Format lexes from CTS's raw `type = ...` text; object types put one
// attribute per line.
Tokens variable_type_tokens(const Value& value);

// `type = <type>` and its newline, as CTS appends it to a variable block.
Tokens variable_type_line(const Value& value);

}  // namespace baton::driver::terraform
