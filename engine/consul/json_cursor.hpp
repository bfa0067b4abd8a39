#pragma once
// JsonCursor: reads JSON text front to back without building a DOM, for the answers the engine
// decodes most (direct_decode.hpp).
//
// It accepts a strict subset of what nlohmann's parser accepts, never more: every read returns
// false on text outside that subset (a malformed document, but also a float, a negative number,
// nesting deeper than kMaxDepth) and the caller then gives up and decodes through the DOM,
// whose errors name the problem. So a false here is "not the plain case", never an error to
// report.
#include <cstdint>
#include <string>
#include <string_view>

namespace baton::consul {

class JsonCursor {
 public:
  static constexpr int kMaxDepth = 32;

  explicit JsonCursor(std::string_view text) : text_(text) {}

  // The next value is null: consumes it and returns true; otherwise consumes nothing.
  bool null();
  bool string(std::string& out);
  // A non-negative integer without sign, fraction or exponent that fits in 64 bits.
  bool uint64(std::uint64_t& out);
  // Any value the subset accepts, read and dropped.
  bool skip();
  // True when only whitespace is left.
  bool at_end();

  // Runs `element()` for each element of an array; `element` reads one value and returns
  // whether it could.
  template <class Element>
  bool array(Element&& element) {
    if (!open('[')) return false;
    bool more = false;
    if (!first(']', more)) return false;
    while (more) {
      if (!element() || !next(']', more)) return false;
    }
    return close();
  }

  // Runs `member(key)` for each member of an object; `member` reads the value and returns
  // whether it could. `key` is valid until the value is read.
  template <class Member>
  bool object(Member&& member) {
    if (!open('{')) return false;
    bool more = false;
    if (!first('}', more)) return false;
    std::string_view key;
    while (more) {
      if (!this->key(key) || !member(key) || !next('}', more)) return false;
    }
    return close();
  }

 private:
  void skip_space();
  bool literal(std::string_view word);
  bool number();
  bool escape(std::string& out);
  bool hex4(std::uint32_t& out);
  bool utf8_sequence(std::string& out);
  bool key(std::string_view& name);
  bool open(char bracket);
  bool close();
  // After an opening bracket: whether a value follows (`more`) or the closing one.
  bool first(char closing, bool& more);
  // After a value: whether a comma and another value follow (`more`) or the closing bracket.
  bool next(char closing, bool& more);
  char peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }

  std::string_view text_;
  std::size_t at_ = 0;
  int depth_ = 0;
  std::string key_buffer_;  // a key that needed decoding
};

}  // namespace baton::consul
