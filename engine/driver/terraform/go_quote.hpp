#pragma once
// Go's %q of a string (strconv.Quote), as terraform-exec's error texts use it:
// `workspace "web" already exists`.
#include <string>
#include <string_view>

namespace baton::driver::terraform {

// Printable text as it is; `"` and `\` escaped; \a \b \f \n \r \t \v by name; other control
// bytes as \xNN. Bytes from 0x80 up are taken as printable UTF-8 (Terraform's names are).
std::string go_quote(std::string_view text);

}  // namespace baton::driver::terraform
