#include "engine/text/go_regex.hpp"

#include <array>
#include <optional>

#include "engine/text/go_utf8.hpp"

namespace baton::text {
namespace {

constexpr std::size_t kNone = std::string_view::npos;
// Go's largest repeat count: `a{1001}` is "invalid repeat count".
constexpr int kMaxRepeat = 1000;

std::string go_error(std::string_view code, std::string_view fragment) {
  return "error parsing regexp: " + std::string(code) + ": `" + std::string(fragment) + "`";
}

std::string unsupported(std::string_view fragment) {
  return "error parsing regexp: unsupported by baton (std::regex): `" + std::string(fragment) + "`";
}

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_octal(char c) { return c >= '0' && c <= '7'; }
bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return (c | 0x20) - 'a' + 10;
}

// An ASCII character as ECMAScript sees it literally, in or out of a class.
std::string literal_ascii(char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (is_alnum(c)) return std::string(1, c);
  return std::string("\\x") + kHex[(c >> 4) & 0xF] + kHex[c & 0xF];
}

// A rune written as std::regex can match it: ASCII as itself, the rest as its UTF-8 bytes,
// grouped so that a following repetition applies to the whole character.
std::string literal_rune(char32_t rune) {
  if (rune < 0x80) return literal_ascii(char(rune));
  std::string bytes;
  append_utf8(bytes, rune);
  return "(?:" + bytes + ")";
}

std::optional<char32_t> control_escape(char c) {
  switch (c) {
    case 'a': return U'\a';
    case 'f': return U'\f';
    case 't': return U'\t';
    case 'n': return U'\n';
    case 'r': return U'\r';
    case 'v': return U'\v';
    default: return std::nullopt;
  }
}

bool posix_class_name(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kNames = {"alnum", "alpha", "blank", "cntrl", "digit", "graph",
                                                              "lower", "print", "punct", "space", "upper", "xdigit"};
  for (std::string_view known : kNames) {
    if (name == known) return true;
  }
  return false;
}

// Go's regexp/syntax parseRepeat: {n}, {n,} or {n,m} with decimal counts and no leading zeros.
// nullopt when the text is not a repeat at all (Go then takes '{' literally).
struct RepeatCount {
  int min;
  int max;  // -1: no upper bound
  std::size_t length;
};

std::optional<int> repeat_number(std::string_view text, std::size_t& i) {
  const std::size_t start = i;
  long value = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (value <= 100000000) value = value * 10 + (text[i] - '0');
    ++i;
  }
  if (i == start || (i - start >= 2 && text[start] == '0')) return std::nullopt;
  return value > 100000000 ? -1 : int(value);
}

std::optional<RepeatCount> parse_repeat(std::string_view text) {
  std::size_t i = 1;  // past '{'
  const std::optional<int> min = repeat_number(text, i);
  if (!min || i >= text.size()) return std::nullopt;
  int max = *min;
  if (text[i] == ',') {
    ++i;
    if (i >= text.size()) return std::nullopt;
    max = -1;
    if (text[i] != '}') {
      const std::optional<int> upper = repeat_number(text, i);
      if (!upper) return std::nullopt;
      max = *upper;
    }
  }
  if (i >= text.size() || text[i] != '}') return std::nullopt;
  return RepeatCount{*min, max, i + 1};
}

class Translator {
 public:
  explicit Translator(std::string_view pattern) : pattern_(pattern) {}

  // Translates the whole pattern: nullopt when done (see ecmascript() and icase()), else Go's
  // error text.
  std::optional<std::string> run();
  const std::string& ecmascript() const { return out_; }
  bool icase() const { return icase_; }

 private:
  void leading_flags();
  std::optional<std::string> next();
  std::optional<std::string> escape();
  std::optional<std::string> char_class();
  std::optional<std::string> class_atom(std::optional<char32_t>& literal, bool range_end);
  std::optional<std::string> group();
  std::optional<std::string> repetition(std::size_t length, std::string_view emitted);
  std::optional<std::string> brace();
  std::optional<char32_t> numeric_escape(std::string& error);
  void operand(std::string_view emitted);
  void anchor(std::string_view emitted);
  void open_group(std::size_t consumed, std::string_view emitted);

  std::string_view pattern_;
  std::size_t i_ = 0;
  std::string out_;
  bool icase_ = false;
  bool dot_matches_newline_ = false;
  int depth_ = 0;
  bool have_operand_ = false;          // something a repetition may apply to comes just before
  std::size_t last_repeat_ = kNone;    // where the repetition just before started, if any
  std::size_t operand_start_ = 0;      // where in out_ the operand just before begins
  bool operand_is_anchor_ = false;     // ^ $ \b ...: Go repeats them, ECMAScript refuses to
};

std::optional<std::string> Translator::run() {
  leading_flags();
  while (i_ < pattern_.size()) {
    if (auto error = next()) return error;
  }
  if (depth_ > 0) return go_error("missing closing )", pattern_);
  return std::nullopt;
}

// A (?i), (?s) or (?is) group at the very start becomes a std::regex option or a different `.`.
void Translator::leading_flags() {
  if (pattern_.substr(0, 2) != "(?") return;
  std::size_t j = 2;
  bool seen = false;
  while (j < pattern_.size() && (pattern_[j] == 'i' || pattern_[j] == 's')) {
    (pattern_[j] == 'i' ? icase_ : dot_matches_newline_) = true;
    seen = true;
    ++j;
  }
  if (seen && j < pattern_.size() && pattern_[j] == ')') i_ = j + 1;
}

void Translator::operand(std::string_view emitted) {
  operand_start_ = out_.size();
  operand_is_anchor_ = false;
  out_ += emitted;
  have_operand_ = true;
  last_repeat_ = kNone;
}

// A group opens: nothing to repeat yet inside it.
void Translator::open_group(std::size_t consumed, std::string_view emitted) {
  i_ += consumed;
  ++depth_;
  out_ += emitted;
  have_operand_ = false;
  last_repeat_ = kNone;
}

void Translator::anchor(std::string_view emitted) {
  operand(emitted);
  operand_is_anchor_ = true;
}

std::optional<std::string> Translator::next() {
  const char c = pattern_[i_];
  switch (c) {
    case '\\': return escape();
    case '[': return char_class();
    case '(': return group();
    case ')':
      if (depth_ == 0) return go_error("unexpected )", pattern_);
      --depth_;
      ++i_;
      operand(")");
      return std::nullopt;
    case '.':
      ++i_;
      operand(dot_matches_newline_ ? "[\\s\\S]" : "[^\\n]");
      return std::nullopt;
    case '*':
    case '+':
    case '?': return repetition(1, std::string_view(&pattern_[i_], 1));
    case '{': return brace();
    case '|':
      ++i_;
      out_ += '|';
      have_operand_ = false;
      last_repeat_ = kNone;
      return std::nullopt;
    case '^':
    case '$':
      ++i_;
      anchor(std::string(1, c));
      return std::nullopt;
    default: break;
  }
  const DecodedRune decoded = decode_rune(pattern_, i_);
  const std::string_view bytes = pattern_.substr(i_, decoded.width);
  operand(decoded.rune < 0x80 ? literal_ascii(c) : decoded.width == 1 ? std::string(bytes) : "(?:" + std::string(bytes) + ")");
  i_ += decoded.width;
  return std::nullopt;
}

// *, +, ? and {n,m}, each possibly followed by '?' (non-greedy). Go refuses one with nothing
// before it, and one right after another ("a**").
std::optional<std::string> Translator::repetition(std::size_t length, std::string_view emitted) {
  const std::size_t start = i_;
  std::size_t end = i_ + length;
  if (end < pattern_.size() && pattern_[end] == '?') ++end;
  const std::string_view text = pattern_.substr(start, end - start);
  if (last_repeat_ != kNone) {
    return go_error("invalid nested repetition operator", pattern_.substr(last_repeat_, end - last_repeat_));
  }
  if (!have_operand_) return go_error("missing argument to repetition operator", text);
  if (operand_is_anchor_) {  // `^*` is valid Go; ECMAScript repeats only a group holding it
    out_.insert(operand_start_, "(?:");
    out_ += ')';
    operand_is_anchor_ = false;
  }
  out_ += emitted;
  if (end - start > length) out_ += '?';
  i_ = end;
  last_repeat_ = start;
  return std::nullopt;
}

std::optional<std::string> Translator::brace() {
  const std::optional<RepeatCount> repeat = parse_repeat(pattern_.substr(i_));
  if (!repeat) {  // not a repeat count: Go reads '{' as itself
    ++i_;
    operand(literal_ascii('{'));
    return std::nullopt;
  }
  const std::string_view text = pattern_.substr(i_, repeat->length);
  if (repeat->min < 0 || repeat->min > kMaxRepeat || repeat->max > kMaxRepeat ||
      (repeat->max >= 0 && repeat->min > repeat->max)) {
    return go_error("invalid repeat count", text);
  }
  return repetition(repeat->length, text);
}

// (...), (?:...), (?P<name>...) / (?<name>...), and the (?...) forms Go refuses or std::regex cannot run.
std::optional<std::string> Translator::group() {
  const std::string_view rest = pattern_.substr(i_);
  if (rest.substr(0, 2) != "(?") {
    open_group(1, "(");
    return std::nullopt;
  }
  if (rest.substr(0, 3) == "(?:") {
    open_group(3, "(?:");
    return std::nullopt;
  }
  const bool named = rest.substr(0, 4) == "(?P<" || (rest.substr(0, 3) == "(?<" && rest.substr(0, 4) != "(?<=" &&
                                                      rest.substr(0, 4) != "(?<!");
  if (named) {
    const std::size_t name_start = rest[2] == 'P' ? 4 : 3;
    const std::size_t close = rest.find('>');
    if (close == kNone) return go_error("invalid named capture", rest);
    const std::string_view name = rest.substr(name_start, close - name_start);
    bool valid = !name.empty();
    for (char n : name) valid = valid && (is_alnum(n) || n == '_');
    if (!valid) return go_error("invalid named capture", rest.substr(0, close + 1));
    open_group(close + 1, "(");  // std::regex has no names; groups are never referred to
    return std::nullopt;
  }
  // Flags: Go accepts (?flags) and (?flags:...) anywhere; the translation only a leading (?i)/(?s).
  std::size_t j = 2;
  while (j < rest.size() && (rest[j] == 'i' || rest[j] == 'm' || rest[j] == 's' || rest[j] == 'U' || rest[j] == '-')) ++j;
  if (j < rest.size() && (rest[j] == ')' || rest[j] == ':')) return unsupported(rest.substr(0, j + 1));
  return go_error("invalid or unsupported Perl syntax", rest.substr(0, std::min(j + 1, rest.size())));
}

// \0, \1-\7 followed by an octal digit (up to three digits), \xHH and \x{H...}. Go reads a lone
// \1-\9 as an (unsupported) back-reference.
std::optional<char32_t> Translator::numeric_escape(std::string& error) {
  const char c = pattern_[i_ + 1];
  if (c >= '0' && c <= '7') {
    if (c != '0' && !(i_ + 2 < pattern_.size() && is_octal(pattern_[i_ + 2]))) {
      error = go_error("invalid escape sequence", pattern_.substr(i_, 2));
      return std::nullopt;
    }
    std::size_t j = i_ + 2;
    char32_t value = char32_t(c - '0');
    while (j < pattern_.size() && j < i_ + 4 && is_octal(pattern_[j])) value = value * 8 + char32_t(pattern_[j++] - '0');
    i_ = j;
    return value;
  }
  // c == 'x'
  std::size_t j = i_ + 2;
  if (j < pattern_.size() && pattern_[j] == '{') {
    // Go reads up to the '}', giving up (and quoting what it read) at a non-hex character, past
    // U+10FFFF, or at the end; "\x{}" is refused too.
    char32_t value = 0;
    std::size_t digits = 0;
    for (++j; j < pattern_.size(); ++j, ++digits) {
      if (pattern_[j] == '}') break;
      if (!is_hex(pattern_[j]) || (value = value * 16 + char32_t(hex_value(pattern_[j]))) > 0x10FFFF) {
        error = go_error("invalid escape sequence", pattern_.substr(i_, j + 1 - i_));
        return std::nullopt;
      }
    }
    if (j >= pattern_.size() || digits == 0) {
      error = go_error("invalid escape sequence", pattern_.substr(i_, std::min(j + 1, pattern_.size()) - i_));
      return std::nullopt;
    }
    i_ = j + 1;
    return value;
  }
  if (j + 1 < pattern_.size() && is_hex(pattern_[j]) && is_hex(pattern_[j + 1])) {
    i_ = j + 2;
    return char32_t(hex_value(pattern_[j]) * 16 + hex_value(pattern_[j + 1]));
  }
  error = go_error("invalid escape sequence", pattern_.substr(i_, std::min(j + 2, pattern_.size()) - i_));
  return std::nullopt;
}

std::optional<std::string> Translator::escape() {
  if (i_ + 1 >= pattern_.size()) return go_error("trailing backslash at end of expression", "");
  const char c = pattern_[i_ + 1];
  if ((c >= '0' && c <= '9') || c == 'x') {
    std::string error;
    const std::optional<char32_t> value = (c == '8' || c == '9') ? std::nullopt : numeric_escape(error);
    if (!value) return error.empty() ? go_error("invalid escape sequence", pattern_.substr(i_, 2)) : error;
    operand(literal_rune(*value));
    return std::nullopt;
  }
  if (c == 'Q') {  // \Q...\E: everything up to \E (or the end) literally
    const std::size_t end = pattern_.find("\\E", i_ + 2);
    const std::string_view quoted = pattern_.substr(i_ + 2, end == kNone ? kNone : end - i_ - 2);
    i_ = end == kNone ? pattern_.size() : end + 2;
    for (std::size_t k = 0; k < quoted.size();) {
      const DecodedRune decoded = decode_rune(quoted, k);
      operand(decoded.rune < 0x80 ? literal_ascii(quoted[k]) : "(?:" + std::string(quoted.substr(k, decoded.width)) + ")");
      k += decoded.width;
    }
    return std::nullopt;
  }
  i_ += 2;
  if (const auto control = control_escape(c)) {
    operand(literal_ascii(char(*control)));
  } else if (c == 'A' || c == 'z') {
    anchor(c == 'A' ? "^" : "$");
  } else if (c == 'b' || c == 'B') {
    anchor(std::string("\\") + c);
  } else if (c == 'd' || c == 'D' || c == 's' || c == 'S' || c == 'w' || c == 'W') {
    operand(std::string("\\") + c);
  } else if (c == 'p' || c == 'P') {
    return unsupported(pattern_.substr(i_ - 2, std::min<std::size_t>(3, pattern_.size() - i_ + 2)));
  } else if (static_cast<unsigned char>(c) < 0x80 && !is_alnum(c)) {
    operand(literal_ascii(c));
  } else {
    const DecodedRune decoded = decode_rune(pattern_, i_ - 1);
    return go_error("invalid escape sequence", pattern_.substr(i_ - 2, 1 + decoded.width));
  }
  return std::nullopt;
}

// [...] and [^...]. A ']' right after the opening (or after ^) is a literal in Go. Ranges are
// checked here, so that a reversed one is reported with Go's fragment ("z-a").
std::optional<std::string> Translator::char_class() {
  const std::size_t start = i_;
  out_ += '[';
  ++i_;
  if (i_ < pattern_.size() && pattern_[i_] == '^') {
    out_ += '^';
    ++i_;
  }
  for (bool first = true;; first = false) {
    if (i_ >= pattern_.size()) return go_error("missing closing ]", pattern_.substr(start));
    if (pattern_[i_] == ']' && !first) break;
    const std::size_t atom_start = i_;
    std::optional<char32_t> low;
    if (auto error = class_atom(low, false)) return error;
    const bool range = low && i_ + 1 < pattern_.size() && pattern_[i_] == '-' && pattern_[i_ + 1] != ']';
    if (!range) continue;
    out_ += '-';
    ++i_;
    std::optional<char32_t> high;
    if (auto error = class_atom(high, true)) return error;
    if (*high < *low) {
      return go_error("invalid character class range", pattern_.substr(atom_start, i_ - atom_start));
    }
  }
  ++i_;
  operand("]");
  return std::nullopt;
}

// One member of a class: a character (its value in `literal`), or \d-like or [:name:] classes.
// The end of a range can only be a character: there Go reads "[:" as '[' and \d as a bad escape.
std::optional<std::string> Translator::class_atom(std::optional<char32_t>& literal, bool range_end) {
  const std::size_t start = i_;
  const char c = pattern_[i_];
  if (c == '[' && pattern_.substr(i_, 2) == "[:" && !range_end) {
    const std::size_t close = pattern_.find(":]", i_ + 2);
    if (close != kNone) {
      const std::string_view name = pattern_.substr(i_ + 2, close - i_ - 2);
      const std::string_view whole = pattern_.substr(i_, close + 2 - i_);
      i_ = close + 2;
      if (!name.empty() && name[0] == '^') return unsupported(whole);
      if (name == "word") out_ += "\\w";
      else if (name == "ascii") out_ += "\\x00-\\x7F";
      else if (posix_class_name(name)) out_ += whole;
      else return go_error("invalid character class range", whole);
      return std::nullopt;
    }
  }
  if (c == '\\') {
    if (i_ + 1 >= pattern_.size()) return go_error("trailing backslash at end of expression", "");
    const char e = pattern_[i_ + 1];
    const bool perl_class = e == 'd' || e == 'D' || e == 's' || e == 'S' || e == 'w' || e == 'W';
    if (perl_class && range_end) return go_error("invalid escape sequence", pattern_.substr(i_, 2));
    if (perl_class) {
      out_ += pattern_.substr(i_, 2);
      i_ += 2;
      return std::nullopt;
    }
    if (e == 'p' || e == 'P') return unsupported(pattern_.substr(i_, 3));
    std::string error;
    if ((e >= '0' && e <= '7') || e == 'x') {
      literal = numeric_escape(error);
      if (!literal) return error;
    } else if (const auto control = control_escape(e)) {
      literal = *control;
      i_ += 2;
    } else if (static_cast<unsigned char>(e) < 0x80 && !is_alnum(e)) {
      literal = char32_t(e);
      i_ += 2;
    } else {
      return go_error("invalid escape sequence", pattern_.substr(i_, 2));
    }
  } else {
    const DecodedRune decoded = decode_rune(pattern_, i_);
    literal = decoded.rune;
    i_ += decoded.width;
  }
  if (*literal >= 0x80) return unsupported(pattern_.substr(start, i_ - start));
  out_ += literal_ascii(char(*literal));
  return std::nullopt;
}

// The closest Go error code for what std::regex itself refused.
std::string_view go_code_for(std::regex_constants::error_type code) {
  switch (code) {
    case std::regex_constants::error_collate:
    case std::regex_constants::error_ctype:
    case std::regex_constants::error_range: return "invalid character class range";
    case std::regex_constants::error_escape:
    case std::regex_constants::error_backref: return "invalid escape sequence";
    case std::regex_constants::error_brack: return "missing closing ]";
    case std::regex_constants::error_paren: return "missing closing )";
    case std::regex_constants::error_brace:
    case std::regex_constants::error_badbrace: return "invalid repeat count";
    case std::regex_constants::error_badrepeat: return "missing argument to repetition operator";
    case std::regex_constants::error_space:
    case std::regex_constants::error_complexity:
    case std::regex_constants::error_stack: return "expression too large";
    default: return "invalid or unsupported Perl syntax";
  }
}

}  // namespace

std::variant<std::shared_ptr<const GoRegex>, std::string> GoRegex::compile(std::string_view pattern) {
  Translator translator(pattern);
  if (std::optional<std::string> error = translator.run()) return *std::move(error);
  std::string ecmascript = translator.ecmascript();
  auto flags = std::regex::ECMAScript;
  if (translator.icase()) flags |= std::regex::icase;
  // std::regex reports a bad pattern only by throwing; the exception stops here, as a value.
  try {
    std::regex regex(ecmascript, flags);
    return std::make_shared<const GoRegex>(std::move(regex), std::move(ecmascript));
  } catch (const std::regex_error& error) {
    return go_error(go_code_for(error.code()), pattern);
  }
}

bool GoRegex::search(std::string_view subject) const {
  return std::regex_search(subject.begin(), subject.end(), regex_);
}

}  // namespace baton::text
