#pragma once
// Go's ways of writing values into text, where CTS's messages and conversions contain them:
// strconv.Quote (in every strconv error), the shortest float64 texts of strconv.FormatFloat
// ('g' for fmt's %v, 'f' for mapstructure's float-to-string), and time's own quoting.
#include <string>
#include <string_view>

namespace baton::config::cts {

// strconv.Quote: "a\"b\n", non-printable runes as \x, \u or \U escapes, bad UTF-8 as \xNN.
std::string go_quote(std::string_view text);

// strconv.FormatFloat(value, 'g', -1, 64), which fmt's %v prints: "2.5", "1e+06", "1e-05".
std::string go_format_float_g(double value);

// strconv.FormatFloat(value, 'f', -1, 64): "2.5", "1000000", "0.00001".
std::string go_format_float_f(double value);

}  // namespace baton::config::cts
