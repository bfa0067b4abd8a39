#pragma once
// JsonText: JSON written straight to text, byte for byte as nlohmann::json's dump() (compact,
// ensure_ascii off, strict UTF-8) writes the same value. The hot answers (health entries,
// sessions, KV) are written with it instead of building DOM objects only to print them.
//
// What dump() does, and this does too: object keys in std::map order (bytewise), no spaces,
// integers in decimal, strings with ", \ and \b \f \n \r \t escaped, other control characters
// as \u00XX (lowercase hex), every other byte copied. One difference, made visible: dump()
// throws on a string that is not valid UTF-8; JsonText marks itself invalid instead, and its
// callers then build the answer through the DOM, so that the same exception is thrown.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace baton::fakes::consul {

class JsonText {
 public:
  // Punctuation and keys the caller spells out ("{\"Key\":"): copied as they are.
  void raw(std::string_view text) { text_ += text; }
  void string(std::string_view text);
  void number(std::uint64_t value);
  void number(std::int64_t value);
  void boolean(bool value) { raw(value ? "true" : "false"); }
  void null() { raw("null"); }
  // {"k":"v",...} in the map's order, which is nlohmann's.
  void string_map(const std::map<std::string, std::string>& map);
  // ["a","b"]; [] when empty.
  void string_list(const std::vector<std::string>& list);

  // False once a string was not valid UTF-8 (dump() would have thrown).
  bool valid() const { return valid_; }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
  bool valid_ = true;
};

// Whether `text` is well-formed UTF-8 (no overlong forms, no surrogates, nothing past
// U+10FFFF): exactly what nlohmann's decoder accepts.
bool valid_utf8(std::string_view text);

}  // namespace baton::fakes::consul
