#include "engine/config/hcl/json_parser.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/config/hcl/limits.hpp"
#include "engine/config/hcl/number_literal.hpp"
#include "engine/config/hcl/source_text.hpp"
#include "engine/config/hcl/utf8.hpp"

namespace baton::config::hcl {
namespace {

// nlohmann's SAX events carry no positions. Every event (a key, a scalar, '{', '}', '[', ']')
// corresponds to exactly one token of the text, in order, so one pass over the text listing
// those tokens gives each event its offset. Only a valid prefix of the text produces events,
// and that prefix tokenizes the same way here as in nlohmann's lexer.
struct JsonToken {
  std::size_t offset = 0;
  std::size_t length = 0;
};

bool is_delimiter(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':' || c == '{' ||
         c == '}' || c == '[' || c == ']' || c == '"';
}

std::vector<JsonToken> prescan(std::string_view text) {
  std::vector<JsonToken> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':') {
      ++i;
    } else if (c == '{' || c == '}' || c == '[' || c == ']') {
      tokens.push_back({i, 1});
      ++i;
    } else if (c == '"') {
      std::size_t end = i + 1;
      while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
      end = std::min(end + 1, text.size());
      tokens.push_back({i, end - i});
      i = end;
    } else {
      std::size_t end = i;
      while (end < text.size() && !is_delimiter(text[end])) ++end;
      tokens.push_back({i, end - i});
      i = end;
    }
  }
  return tokens;
}

// The JSON number at the start of a token (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?): the
// pre-scan's token may run on ("1x"), nlohmann's lexer stops where the number does.
std::string_view json_number_prefix(std::string_view token) {
  std::size_t end = 0;
  const auto digits = [&] {
    const std::size_t start = end;
    while (end < token.size() && token[end] >= '0' && token[end] <= '9') ++end;
    return end > start;
  };
  if (end < token.size() && token[end] == '-') ++end;
  if (end < token.size() && token[end] == '0') {
    ++end;
  } else {
    digits();
  }
  if (end + 1 < token.size() && token[end] == '.' && token[end + 1] >= '0' && token[end + 1] <= '9') {
    ++end;
    digits();
  }
  if (end < token.size() && (token[end] == 'e' || token[end] == 'E')) {
    std::size_t exponent = end + 1;
    if (exponent < token.size() && (token[exponent] == '+' || token[exponent] == '-')) ++exponent;
    if (exponent < token.size() && token[exponent] >= '0' && token[exponent] <= '9') {
      end = exponent;
      digits();
    }
  }
  return token.substr(0, end);
}

// Positions of increasing offsets, computed incrementally (a restart covers the rare backward
// step an error position may take).
class PositionTracker {
 public:
  PositionTracker(std::string_view file, std::string_view text) : file_(file), text_(text) {}

  Position at(std::size_t offset) {
    if (offset < offset_) *this = PositionTracker(file_, text_);
    while (offset_ < offset && offset_ < text_.size()) {
      const utf8::Decoded decoded = utf8::decode(text_, offset_);
      if (decoded.rune == '\n' && decoded.valid) {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
      offset_ += decoded.size;
    }
    return Position{std::string(file_), line_, column_};
  }

 private:
  std::string_view file_;
  std::string_view text_;
  std::size_t offset_ = 0;
  int line_ = 1;
  int column_ = 1;
};

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1,
// column 2: " prefix: we give our own position.
std::string plain_message(const std::string& what) {
  std::string message = what;
  if (message.starts_with("[json.exception.")) {
    const auto bracket = message.find("] ");
    if (bracket != std::string::npos) message.erase(0, bracket + 2);
  }
  const auto column = message.find("column ");
  const auto colon = column == std::string::npos ? column : message.find(": ", column);
  return colon == std::string::npos ? message : message.substr(colon + 2);
}

// One open object or array.
struct Frame {
  bool is_object = false;
  Position position;
  Body body;             // object members so far
  Value::List elements;  // array elements so far
  std::string key;       // the member whose value comes next
  Position key_position;
};

class BodyBuilder final : public nlohmann::json_sax<nlohmann::json> {
 public:
  BodyBuilder(std::string_view file, std::string_view text)
      : text_(text), tokens_(prescan(text)), positions_(file, text) {}

  std::optional<Error> error;
  std::optional<Value> root;

  bool null() override { return add(Value::null(next_position())); }
  bool boolean(bool value) override { return add(Value::boolean(value, next_position())); }
  bool number_integer(number_integer_t) override { return number(); }
  bool number_unsigned(number_unsigned_t) override { return number(); }
  bool number_float(number_float_t, const string_t&) override { return number(); }
  bool string(string_t& value) override {
    return add(Value::string(std::move(value), next_position()));
  }
  bool binary(binary_t&) override { return fail(next_position(), "binary values are not JSON"); }

  bool start_object(std::size_t) override { return open(true); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_array() override { return close(); }

  bool key(string_t& name) override {
    Frame& frame = stack_.back();
    frame.key = std::move(name);
    frame.key_position = next_position();
    return true;
  }

  // nlohmann's position is where its lexer stopped, often past the culprit ("tru}" fails on
  // the '}'); the culprit is the first token no event has consumed, unless the lexer stopped
  // inside the last consumed one ("1x": the number event came before the 'x' failed).
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& exception) override {
    const std::size_t stopped = std::min(position > 0 ? position - 1 : 0, text_.size());
    const std::size_t culprit = next_token_ < tokens_.size() ? tokens_[next_token_].offset : text_.size();
    const Position where = positions_.at(std::min(stopped, culprit));
    constexpr int kNumberOverflow = 406;  // out_of_range.406: a number beyond double
    if (exception.id == kNumberOverflow) {
      return fail(where, fmt::format("invalid number {}: value out of range",
                                     json_number_prefix(current_token_text())));
    }
    return fail(where, plain_message(exception.what()));
  }

 private:
  Position next_position() {
    const std::size_t offset = next_token_ < tokens_.size() ? tokens_[next_token_].offset
                                                            : text_.size();
    ++next_token_;
    return positions_.at(offset);
  }

  std::string_view current_token_text() const {
    if (next_token_ >= tokens_.size()) return {};
    const JsonToken& token = tokens_[next_token_];
    return text_.substr(token.offset, token.length);
  }

  bool number() {
    const std::string_view text = json_number_prefix(current_token_text());
    const Position position = next_position();
    NumberReading reading = read_json_number(text);
    if (!reading.number) {
      return fail(position, fmt::format("invalid number {}: {}", text, reading.failure));
    }
    return add(Value::number(std::move(*reading.number), position));
  }

  bool open(bool is_object) {
    Position position = next_position();
    if (static_cast<int>(stack_.size()) >= kMaxNestingDepth) {
      return fail(position, fmt::format("nesting too deep: more than {} levels of objects and "
                                        "arrays", kMaxNestingDepth));
    }
    Frame frame;
    frame.is_object = is_object;
    frame.position = std::move(position);
    stack_.push_back(std::move(frame));
    return true;
  }

  bool close() {
    ++next_token_;  // the '}' or ']'
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    if (frame.is_object) return add(Value::object(std::move(frame.body), frame.position));
    return add(Value::list(std::move(frame.elements), frame.position));
  }

  bool add(Value value) {
    if (stack_.empty()) {
      root = std::move(value);
      return true;
    }
    Frame& frame = stack_.back();
    if (frame.is_object) {
      frame.body.items.push_back(Attribute{std::move(frame.key), frame.key_position, std::move(value)});
    } else {
      frame.elements.push_back(std::move(value));
    }
    return true;
  }

  bool fail(Position position, std::string message) {
    if (!error) error = Error::at(position, std::move(message));
    return false;
  }

  std::string_view text_;
  std::vector<JsonToken> tokens_;
  std::size_t next_token_ = 0;
  PositionTracker positions_;
  std::vector<Frame> stack_;
};

const char* kind_name(ValueKind kind) {
  switch (kind) {
    case ValueKind::null: return "null";
    case ValueKind::boolean: return "bool";
    case ValueKind::number: return "number";
    case ValueKind::string: return "string";
    case ValueKind::list: return "array";
    case ValueKind::object: return "object";
  }
  return "value";
}

}  // namespace

Result<Body> parse_json_body(std::string_view file, std::string_view text) {
  if (const auto sized = check_input_size(file, text); !sized) return sized.error();
  // nlohmann skips a byte order mark; Go's encoding/json refuses it, and CTS with it.
  if (text.starts_with("\xEF\xBB\xBF")) {
    return Error{std::string(file), 1, 1,
                 "invalid character 'ï' looking for beginning of value (a byte order mark)"};
  }
  BodyBuilder builder(file, text);
  try {
    nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
  } catch (const nlohmann::json::exception& exception) {
    // sax_parse reports errors through parse_error; this is only a second line of defence.
    return Error{std::string(file), 1, 1, plain_message(exception.what())};
  }
  if (builder.error) return *builder.error;
  if (!builder.root) return Error{std::string(file), 1, 1, "unexpected end of JSON input"};
  const Value& root = *builder.root;
  if (root.kind() == ValueKind::null) return Body{};
  if (root.kind() != ValueKind::object) {
    return Error::at(root.position(),
                     fmt::format("the top level of a JSON configuration must be an object, got: {}",
                                 kind_name(root.kind())));
  }
  return root.as_object();
}

}  // namespace baton::config::hcl
