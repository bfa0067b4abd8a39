#include "engine/consul/json_cursor.hpp"

#include <limits>

namespace baton::consul {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out += char(code_point);
  } else if (code_point < 0x800) {
    out += char(0xC0 | (code_point >> 6));
    out += char(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += char(0xE0 | (code_point >> 12));
    out += char(0x80 | ((code_point >> 6) & 0x3F));
    out += char(0x80 | (code_point & 0x3F));
  } else {
    out += char(0xF0 | (code_point >> 18));
    out += char(0x80 | ((code_point >> 12) & 0x3F));
    out += char(0x80 | ((code_point >> 6) & 0x3F));
    out += char(0x80 | (code_point & 0x3F));
  }
}

}  // namespace

void JsonCursor::skip_space() {
  while (at_ < text_.size() && is_space(text_[at_])) ++at_;
}

bool JsonCursor::at_end() {
  skip_space();
  return at_ == text_.size();
}

bool JsonCursor::literal(std::string_view word) {
  if (text_.substr(at_, word.size()) != word) return false;
  at_ += word.size();
  return true;
}

bool JsonCursor::null() {
  skip_space();
  return literal("null");
}

bool JsonCursor::uint64(std::uint64_t& out) {
  skip_space();
  if (!is_digit(peek())) return false;
  if (peek() == '0') {  // "0" alone: JSON has no leading zeros
    ++at_;
    out = 0;
    return !is_digit(peek()) && peek() != '.' && peek() != 'e' && peek() != 'E';
  }
  std::uint64_t value = 0;
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  for (; is_digit(peek()); ++at_) {
    const auto digit = std::uint64_t(peek() - '0');
    if (value > (kMax - digit) / 10) return false;  // nlohmann would read a float
    value = value * 10 + digit;
  }
  out = value;
  return peek() != '.' && peek() != 'e' && peek() != 'E';
}

// Integers only, of any sign and size: what the subset skips.
bool JsonCursor::number() {
  if (peek() == '-') ++at_;
  if (!is_digit(peek())) return false;
  if (peek() == '0') {
    ++at_;
  } else {
    while (is_digit(peek())) ++at_;
  }
  return !is_digit(peek()) && peek() != '.' && peek() != 'e' && peek() != 'E';
}

bool JsonCursor::escape(std::string& out) {
  const char kind = peek();
  ++at_;
  switch (kind) {
    case '"': out += '"'; return true;
    case '\\': out += '\\'; return true;
    case '/': out += '/'; return true;
    case 'b': out += '\b'; return true;
    case 'f': out += '\f'; return true;
    case 'n': out += '\n'; return true;
    case 'r': out += '\r'; return true;
    case 't': out += '\t'; return true;
    case 'u': break;
    default: return false;
  }
  std::uint32_t code_point = 0;
  if (!hex4(code_point)) return false;
  if (code_point >= 0xDC00 && code_point <= 0xDFFF) return false;  // a low surrogate first
  if (code_point >= 0xD800 && code_point <= 0xDBFF) {
    // A high surrogate must be followed by \u and a low one.
    std::uint32_t low = 0;
    if (text_.substr(at_, 2) != "\\u") return false;
    at_ += 2;
    if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
    code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
  }
  append_utf8(out, code_point);
  return true;
}

bool JsonCursor::hex4(std::uint32_t& out) {
  if (at_ + 4 > text_.size()) return false;
  out = 0;
  for (int i = 0; i < 4; ++i) {
    const int digit = hex_value(text_[at_++]);
    if (digit < 0) return false;
    out = out * 16 + std::uint32_t(digit);
  }
  return true;
}

// One multi-byte UTF-8 sequence, copied when well formed (Unicode Table 3-7, as nlohmann checks).
bool JsonCursor::utf8_sequence(std::string& out) {
  const auto byte = [&](std::size_t i) { return at_ + i < text_.size() ? static_cast<unsigned char>(text_[at_ + i]) : 0u; };
  const auto tail = [&](std::size_t i, unsigned low = 0x80, unsigned high = 0xBF) { return byte(i) >= low && byte(i) <= high; };
  const unsigned lead = byte(0);
  std::size_t length = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = tail(1) ? 2 : 0;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    const bool ok = tail(1, lead == 0xE0 ? 0xA0 : 0x80, lead == 0xED ? 0x9F : 0xBF) && tail(2);
    length = ok ? 3 : 0;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    const bool ok = tail(1, lead == 0xF0 ? 0x90 : 0x80, lead == 0xF4 ? 0x8F : 0xBF) && tail(2) && tail(3);
    length = ok ? 4 : 0;
  }
  if (length == 0) return false;
  out.append(text_.substr(at_, length));
  at_ += length;
  return true;
}

bool JsonCursor::string(std::string& out) {
  skip_space();
  if (peek() != '"') return false;
  ++at_;
  out.clear();
  for (;;) {
    // Plain bytes are copied a run at a time.
    const std::size_t run = at_;
    while (at_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[at_]);
      if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
      ++at_;
    }
    out.append(text_.substr(run, at_ - run));
    if (at_ == text_.size()) return false;
    const auto c = static_cast<unsigned char>(text_[at_]);
    if (c == '"') {
      ++at_;
      return true;
    }
    if (c < 0x20) return false;  // control characters must be escaped
    if (c == '\\') {
      ++at_;
      if (!escape(out)) return false;
    } else if (!utf8_sequence(out)) {
      return false;
    }
  }
}

bool JsonCursor::key(std::string_view& name) {
  skip_space();
  if (peek() != '"') return false;
  const std::size_t quote = at_;
  const std::size_t start = ++at_;
  while (at_ < text_.size() && text_[at_] != '"' && text_[at_] != '\\' && static_cast<unsigned char>(text_[at_]) >= 0x20 &&
         static_cast<unsigned char>(text_[at_]) < 0x80) {
    ++at_;
  }
  if (peek() == '"') {
    name = text_.substr(start, at_ - start);  // the usual case: a view of the text itself
    ++at_;
  } else {
    at_ = quote;  // escapes or UTF-8: decoded into the buffer
    if (!string(key_buffer_)) return false;
    name = key_buffer_;
  }
  skip_space();
  if (peek() != ':') return false;
  ++at_;
  return true;
}

bool JsonCursor::open(char bracket) {
  skip_space();
  if (peek() != bracket || depth_ == kMaxDepth) return false;
  ++at_;
  ++depth_;
  return true;
}

bool JsonCursor::close() {
  --depth_;
  return true;
}

bool JsonCursor::first(char closing, bool& more) {
  skip_space();
  more = peek() != closing;
  if (!more) ++at_;
  return true;
}

bool JsonCursor::next(char closing, bool& more) {
  skip_space();
  if (peek() == ',') {
    ++at_;
    more = true;
    return true;
  }
  if (peek() != closing) return false;
  ++at_;
  more = false;
  return true;
}

bool JsonCursor::skip() {
  skip_space();
  switch (peek()) {
    case '{': return object([&](std::string_view) { return skip(); });
    case '[': return array([&] { return skip(); });
    case '"': {
      std::string ignored;
      return string(ignored);
    }
    case 't': return literal("true");
    case 'f': return literal("false");
    case 'n': return literal("null");
    default: return number();
  }
}

}  // namespace baton::consul
