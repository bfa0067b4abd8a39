#pragma once
// Reading number literals the way CTS's Go code reads them: strconv.ParseInt(text, 0, 64) for
// HCL1 integer literals (decimal, 0x hexadecimal, 0-prefixed octal) and strconv.ParseFloat for
// floats and JSON numbers. Locale-independent (std::from_chars), never throws.
#include <optional>
#include <string>
#include <string_view>

#include "engine/config/hcl/document.hpp"

namespace baton::config::hcl {

// A Number, or a message saying why Go would refuse the text ("value out of range").
struct NumberReading {
  std::optional<Number> number;
  std::string failure;
};

// An HCL1 NUMBER token: sign, then 0x.., 0.. (octal) or decimal digits; int64 range.
NumberReading read_integer_literal(std::string_view text);

// An HCL1 FLOAT token or any JSON number (is_integer false): finite doubles only, as Go's
// ParseFloat reports ±Inf as a range error. Values below the smallest double read as zero.
NumberReading read_float_literal(std::string_view text);

// A JSON number: an int64 when it has no fraction or exponent and fits, else a double.
NumberReading read_json_number(std::string_view text);

}  // namespace baton::config::hcl
