#include "engine/config/hcl/parse.hpp"

#include "engine/config/hcl/json_parser.hpp"
#include "engine/config/hcl/native_parser.hpp"
#include "engine/config/hcl/utf8.hpp"

namespace baton::config::hcl {
namespace {

// hcl/lex.go lexMode: skips unicode.IsSpace characters (more than the native scanner skips)
// and picks JSON when the first other character is '{'.
bool looks_like_json(std::string_view text) {
  std::size_t offset = 0;
  while (offset < text.size()) {
    const utf8::Decoded decoded = utf8::decode(text, offset);
    if (!decoded.valid || !utf8::is_go_space(decoded.rune)) return decoded.rune == '{';
    offset += decoded.size;
  }
  return false;
}

Result<File> wrap(std::string_view name, Syntax syntax, Result<Body> body) {
  if (!body) return body.error();
  return File{std::string(name), syntax, std::move(body.value())};
}

}  // namespace

Result<File> parse_config_file(std::string_view name, std::string_view text) {
  if (name.ends_with(".json")) return parse_json(name, text);
  return parse_hcl(name, text);
}

Result<File> parse_hcl(std::string_view name, std::string_view text) {
  // HCL1 would use its own, more lenient JSON parser here; see README.md.
  if (looks_like_json(text)) return parse_json(name, text);
  return wrap(name, Syntax::native, parse_native_body(name, text));
}

Result<File> parse_json(std::string_view name, std::string_view text) {
  return wrap(name, Syntax::json, parse_json_body(name, text));
}

}  // namespace baton::config::hcl
