#pragma once
// How cty prints a number made from a Go float64 (cty.NumberFloatVal, which hcl2shim uses for
// configuration floats): big.NewFloat(v).Text('f', -1). That is the shortest decimal by
// math/big's own rounding walk, which is not always the closest one C++'s to_chars picks
// (4.2045014143806957e17 prints 420450141438069560, not ...570).
#include <string>

namespace baton::driver::terraform {

// Finite `value` only.
std::string go_float_text(double value);

}  // namespace baton::driver::terraform
