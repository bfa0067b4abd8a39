#include "engine/config/cts/go_regexp_syntax.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "engine/driver/terraform/unicode.hpp"

namespace baton::config::cts {
namespace {

constexpr int kMaxRepeat = 1000;

struct SyntaxError {
  std::string_view code;
  std::string expr;
};

std::string message_of(const SyntaxError& error) {
  return "error parsing regexp: " + std::string(error.code) + ": `" + error.expr + "`";
}

constexpr std::string_view kInvalidCharRange = "invalid character class range";
constexpr std::string_view kInvalidEscape = "invalid escape sequence";
constexpr std::string_view kInvalidNamedCapture = "invalid named capture";
constexpr std::string_view kInvalidPerlOp = "invalid or unsupported Perl syntax";
constexpr std::string_view kInvalidRepeatOp = "invalid nested repetition operator";
constexpr std::string_view kInvalidRepeatSize = "invalid repeat count";
constexpr std::string_view kInvalidUtf8 = "invalid UTF-8";
constexpr std::string_view kMissingBracket = "missing closing ]";
constexpr std::string_view kMissingParen = "missing closing )";
constexpr std::string_view kMissingRepeatArgument = "missing argument to repetition operator";
constexpr std::string_view kTrailingBackslash = "trailing backslash at end of expression";
constexpr std::string_view kUnexpectedParen = "unexpected )";

// utf8.DecodeRuneInString's verdict: (rune, size); (U+FFFD, 1) for a bad byte, (U+FFFD, 0) at end.
struct Rune {
  char32_t value;
  std::size_t size;
  bool invalid;
};

Rune decode(std::string_view s) {
  if (s.empty()) return {0xFFFD, 0, false};
  const auto decoded = driver::terraform::decode_rune(s);
  const bool invalid = decoded.rune == 0xFFFD && decoded.size_bytes == 1;
  return {decoded.rune, decoded.size_bytes, invalid};
}

bool is_alnum(char32_t c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

int unhex(char32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
  return -1;
}

std::string canonical(std::string_view name) {
  std::string out;
  for (const char c : name) {
    if (c == '_' || c == '-' || c == ' ') continue;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

// Names \p{...} accepts: categories and their aliases, scripts (Unicode 15.0), Any, Assigned, ASCII.
bool is_unicode_class_name(std::string_view name) {
  static constexpr std::array kNames = {
      "Any", "Assigned", "ASCII", "C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "LC", "Ll", "Lm", "Lo", "Lt", "Lu", "M",
      "Mc", "Me", "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm",
      "So", "Z", "Zl", "Zp", "Zs", "Cased_Letter", "Close_Punctuation", "Combining_Mark", "Connector_Punctuation",
      "Control", "Currency_Symbol", "Dash_Punctuation", "Decimal_Number", "Enclosing_Mark", "Final_Punctuation",
      "Format", "Initial_Punctuation", "Letter", "Letter_Number", "Line_Separator", "Lowercase_Letter", "Mark",
      "Math_Symbol", "Modifier_Letter", "Modifier_Symbol", "Nonspacing_Mark", "Number", "Open_Punctuation", "Other",
      "Other_Letter", "Other_Number", "Other_Punctuation", "Other_Symbol", "Paragraph_Separator", "Private_Use",
      "Punctuation", "Separator", "Space_Separator", "Spacing_Mark", "Surrogate", "Symbol", "Titlecase_Letter",
      "Unassigned", "Uppercase_Letter", "cntrl", "digit", "punct", "Adlam", "Ahom", "Anatolian_Hieroglyphs",
      "Arabic", "Armenian", "Avestan", "Balinese", "Bamum", "Bassa_Vah", "Batak", "Bengali", "Bhaiksuki", "Bopomofo",
      "Brahmi", "Braille", "Buginese", "Buhid", "Canadian_Aboriginal", "Carian", "Caucasian_Albanian", "Chakma",
      "Cham", "Cherokee", "Chorasmian", "Common", "Coptic", "Cuneiform", "Cypriot", "Cypro_Minoan", "Cyrillic",
      "Deseret", "Devanagari", "Dives_Akuru", "Dogra", "Duployan", "Egyptian_Hieroglyphs", "Elbasan", "Elymaic",
      "Ethiopic", "Georgian", "Glagolitic", "Gothic", "Grantha", "Greek", "Gujarati", "Gunjala_Gondi", "Gurmukhi",
      "Han", "Hangul", "Hanifi_Rohingya", "Hanunoo", "Hatran", "Hebrew", "Hiragana", "Imperial_Aramaic", "Inherited",
      "Inscriptional_Pahlavi", "Inscriptional_Parthian", "Javanese", "Kaithi", "Kannada", "Katakana", "Kawi",
      "Kayah_Li", "Kharoshthi", "Khitan_Small_Script", "Khmer", "Khojki", "Khudawadi", "Lao", "Latin", "Lepcha",
      "Limbu", "Linear_A", "Linear_B", "Lisu", "Lycian", "Lydian", "Mahajani", "Makasar", "Malayalam", "Mandaic",
      "Manichaean", "Marchen", "Masaram_Gondi", "Medefaidrin", "Meetei_Mayek", "Mende_Kikakui", "Meroitic_Cursive",
      "Meroitic_Hieroglyphs", "Miao", "Modi", "Mongolian", "Mro", "Multani", "Myanmar", "Nabataean", "Nag_Mundari",
      "Nandinagari", "New_Tai_Lue", "Newa", "Nko", "Nushu", "Nyiakeng_Puachue_Hmong", "Ogham", "Ol_Chiki",
      "Old_Hungarian", "Old_Italic", "Old_North_Arabian", "Old_Permic", "Old_Persian", "Old_Sogdian",
      "Old_South_Arabian", "Old_Turkic", "Old_Uyghur", "Oriya", "Osage", "Osmanya", "Pahawh_Hmong", "Palmyrene",
      "Pau_Cin_Hau", "Phags_Pa", "Phoenician", "Psalter_Pahlavi", "Rejang", "Runic", "Samaritan", "Saurashtra",
      "Sharada", "Shavian", "Siddham", "SignWriting", "Sinhala", "Sogdian", "Sora_Sompeng", "Soyombo", "Sundanese",
      "Syloti_Nagri", "Syriac", "Tagalog", "Tagbanwa", "Tai_Le", "Tai_Tham", "Tai_Viet", "Takri", "Tamil", "Tangsa",
      "Tangut", "Telugu", "Thaana", "Thai", "Tibetan", "Tifinagh", "Tirhuta", "Toto", "Ugaritic", "Vai", "Vithkuqi",
      "Wancho", "Warang_Citi", "Yezidi", "Yi", "Zanabazar_Square"};
  const std::string wanted = canonical(name);
  return !wanted.empty() && std::any_of(kNames.begin(), kNames.end(),
                                        [&](const char* known) { return canonical(known) == wanted; });
}

bool is_posix_class(std::string_view name) {
  static constexpr std::array kClasses = {"alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph",
                                          "lower", "print", "punct", "space", "upper", "word", "xdigit"};
  if (!name.starts_with("[:") || !name.ends_with(":]")) return false;
  std::string_view inner = name.substr(2, name.size() - 4);
  if (inner.starts_with("^")) inner.remove_prefix(1);
  return std::any_of(kClasses.begin(), kClasses.end(), [&](const char* known) { return inner == known; });
}

bool is_perl_class(std::string_view s) {
  return s.size() >= 2 && s[0] == '\\' && std::string_view("dDsSwW").find(s[1]) != std::string_view::npos;
}

// The parse stack as far as errors see it: '(' and '|' markers, and operands with the smallest
// repeat budget their nested counted repetitions need (repeatIsValid).
struct StackItem {
  enum class Kind { left_paren, vertical_bar, operand } kind;
  std::int64_t repeat_need = 0;
};

class Parser {
 public:
  explicit Parser(std::string_view whole) : whole_(whole) {}

  std::optional<SyntaxError> parse() {
    std::string_view t = whole_;
    std::string_view last_repeat;
    while (!t.empty()) {
      std::string_view repeat;
      if (auto error = step(t, last_repeat, repeat)) return error;
      last_repeat = repeat;
    }
    concat();
    if (swap_vertical_bar()) stack_.pop_back();
    alternate();
    if (stack_.size() != 1) return SyntaxError{kMissingParen, std::string(whole_)};
    return std::nullopt;
  }

 private:
  using Kind = StackItem::Kind;

  void push_operand(std::int64_t need = 0) { stack_.push_back({Kind::operand, need}); }

  // Operands above the topmost marker become one.
  void collapse_top() {
    std::int64_t need = 0;
    while (!stack_.empty() && stack_.back().kind == Kind::operand) {
      need = std::max(need, stack_.back().repeat_need);
      stack_.pop_back();
    }
    push_operand(need);  // an empty concatenation is an operand too (OpEmptyMatch)
  }
  void concat() { collapse_top(); }
  void alternate() { collapse_top(); }

  bool swap_vertical_bar() {
    const std::size_t n = stack_.size();
    if (n >= 2 && stack_[n - 2].kind == Kind::vertical_bar) {
      std::swap(stack_[n - 2], stack_[n - 1]);
      return true;
    }
    return false;
  }

  void parse_vertical_bar() {
    concat();
    if (!swap_vertical_bar()) stack_.push_back({Kind::vertical_bar, 0});
  }

  std::optional<SyntaxError> parse_right_paren() {
    concat();
    if (swap_vertical_bar()) stack_.pop_back();
    alternate();
    const std::size_t n = stack_.size();
    if (n < 2 || stack_[n - 2].kind != Kind::left_paren) return SyntaxError{kUnexpectedParen, std::string(whole_)};
    const std::int64_t need = stack_[n - 1].repeat_need;
    stack_.resize(n - 2);
    push_operand(need);
    return std::nullopt;
  }

  // p.repeat: `before` starts at the operator, `after` follows it.
  std::optional<SyntaxError> repeat(bool counted, int min, int max, std::string_view before, std::string_view& after,
                                    std::string_view last_repeat) {
    if (!after.empty() && after.front() == '?') after.remove_prefix(1);
    if (!last_repeat.empty()) {
      return SyntaxError{kInvalidRepeatOp, std::string(last_repeat.substr(0, last_repeat.size() - after.size()))};
    }
    const std::string text(before.substr(0, before.size() - after.size()));
    if (stack_.empty() || stack_.back().kind != Kind::operand) return SyntaxError{kMissingRepeatArgument, text};
    std::int64_t& need = stack_.back().repeat_need;
    if (counted) {
      const std::int64_t m = max == -1 ? min : max;
      if (max == 0) {
        need = 0;
      } else if (m > 0) {
        need = std::max<std::int64_t>(m, need * m);
      }
      if ((min >= 2 || max >= 2) && need > kMaxRepeat) return SyntaxError{kInvalidRepeatSize, text};
    }
    return std::nullopt;
  }

  // parseInt: decimal, no leading zeros; -1 when too big.
  static bool parse_int(std::string_view& s, int& n) {
    if (s.empty() || s[0] < '0' || s[0] > '9') return false;
    if (s.size() >= 2 && s[0] == '0' && s[1] >= '0' && s[1] <= '9') return false;
    std::size_t i = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    n = 0;
    for (std::size_t j = 0; j < i; ++j) {
      if (n >= 100000000) {
        n = -1;
        break;
      }
      n = n * 10 + (s[j] - '0');
    }
    s.remove_prefix(i);
    return true;
  }

  // parseRepeat: {n}, {n,}, {n,m}; false when `s` is not one (then '{' is a literal).
  static bool parse_repeat(std::string_view s, int& min, int& max, std::string_view& rest) {
    if (s.empty() || s[0] != '{') return false;
    s.remove_prefix(1);
    if (!parse_int(s, min) || s.empty()) return false;
    if (s[0] != ',') {
      max = min;
    } else {
      s.remove_prefix(1);
      if (s.empty()) return false;
      if (s[0] == '}') {
        max = -1;
      } else {
        if (!parse_int(s, max)) return false;
        if (max < 0) min = -1;
      }
    }
    if (s.empty() || s[0] != '}') return false;
    rest = s.substr(1);
    return true;
  }

  std::optional<SyntaxError> step(std::string_view& t, std::string_view last_repeat, std::string_view& repeat_text) {
    switch (t[0]) {
      case '(':
        if (t.size() >= 2 && t[1] == '?') return parse_perl_flags(t);
        stack_.push_back({Kind::left_paren, 0});
        t.remove_prefix(1);
        return std::nullopt;
      case '|': parse_vertical_bar(); t.remove_prefix(1); return std::nullopt;
      case ')': {
        auto error = parse_right_paren();
        t.remove_prefix(1);
        return error;
      }
      case '^':
      case '$':
      case '.': push_operand(); t.remove_prefix(1); return std::nullopt;
      case '[': return parse_class(t);
      case '*':
      case '+':
      case '?': {
        const std::string_view before = t;
        std::string_view after = t.substr(1);
        if (auto error = repeat(false, 0, 0, before, after, last_repeat)) return error;
        repeat_text = before;
        t = after;
        return std::nullopt;
      }
      case '{': {
        const std::string_view before = t;
        int min = 0, max = 0;
        std::string_view after;
        if (!parse_repeat(t, min, max, after)) {
          push_operand();  // a literal '{'
          t.remove_prefix(1);
          return std::nullopt;
        }
        if (min < 0 || min > kMaxRepeat || max > kMaxRepeat || (max >= 0 && min > max)) {
          return SyntaxError{kInvalidRepeatSize, std::string(before.substr(0, before.size() - after.size()))};
        }
        if (auto error = repeat(true, min, max, before, after, last_repeat)) return error;
        repeat_text = before;
        t = after;
        return std::nullopt;
      }
      case '\\': return parse_backslash(t);
      default: {
        const Rune rune = decode(t);
        if (rune.invalid) return SyntaxError{kInvalidUtf8, std::string(t)};
        push_operand();
        t.remove_prefix(rune.size);
        return std::nullopt;
      }
    }
  }

  std::optional<SyntaxError> parse_backslash(std::string_view& t) {
    if (t.size() >= 2) {
      switch (t[1]) {
        case 'A':
        case 'b':
        case 'B':
        case 'z': push_operand(); t.remove_prefix(2); return std::nullopt;
        case 'C': return SyntaxError{kInvalidEscape, std::string(t.substr(0, 2))};
        case 'Q': {
          std::string_view literal = t.substr(2);
          const std::size_t end = literal.find("\\E");
          t = end == std::string_view::npos ? std::string_view() : literal.substr(end + 2);
          if (end != std::string_view::npos) literal = literal.substr(0, end);
          while (!literal.empty()) {
            const Rune rune = decode(literal);
            if (rune.invalid) return SyntaxError{kInvalidUtf8, std::string(literal)};
            push_operand();
            literal.remove_prefix(rune.size);
          }
          return std::nullopt;
        }
        default: break;
      }
    }
    if (t.size() >= 2 && (t[1] == 'p' || t[1] == 'P')) {
      bool parsed = false;
      if (auto error = parse_unicode_class(t, parsed)) return error;
      if (parsed) {
        push_operand();
        return std::nullopt;
      }
    }
    if (is_perl_class(t)) {
      push_operand();
      t.remove_prefix(2);
      return std::nullopt;
    }
    if (auto error = parse_escape(t)) return error;
    push_operand();
    return std::nullopt;
  }

  // parseEscape: `s` starts at '\'; on success it is moved past the escape.
  static std::optional<SyntaxError> parse_escape(std::string_view& s) {
    const std::string_view whole = s;
    std::string_view t = s.substr(1);
    if (t.empty()) return SyntaxError{kTrailingBackslash, ""};
    Rune c = decode(t);
    if (c.invalid) return SyntaxError{kInvalidUtf8, std::string(t)};
    t.remove_prefix(c.size);
    const auto invalid = [&] { return SyntaxError{kInvalidEscape, std::string(whole.substr(0, whole.size() - t.size()))}; };
    if (c.value < 0x80 && !is_alnum(c.value)) {
      s = t;
      return std::nullopt;
    }
    switch (c.value) {
      case '1': case '2': case '3': case '4': case '5': case '6': case '7':
        if (t.empty() || t[0] < '0' || t[0] > '7') return invalid();  // a back-reference
        [[fallthrough]];
      case '0':
        for (int i = 1; i < 3 && !t.empty() && t[0] >= '0' && t[0] <= '7'; ++i) t.remove_prefix(1);
        s = t;
        return std::nullopt;
      case 'x': return parse_hex_escape(s, t, whole);
      case 'a': case 'f': case 'n': case 'r': case 't': case 'v':
        s = t;
        return std::nullopt;
      default: return invalid();
    }
  }

  static std::optional<SyntaxError> parse_hex_escape(std::string_view& s, std::string_view t, std::string_view whole) {
    const auto invalid = [&] { return SyntaxError{kInvalidEscape, std::string(whole.substr(0, whole.size() - t.size()))}; };
    if (t.empty()) return invalid();
    Rune c = decode(t);
    if (c.invalid) return SyntaxError{kInvalidUtf8, std::string(t)};
    t.remove_prefix(c.size);
    if (c.value == '{') {
      int digits = 0;
      std::uint32_t value = 0;
      while (true) {
        if (t.empty()) return invalid();
        c = decode(t);
        if (c.invalid) return SyntaxError{kInvalidUtf8, std::string(t)};
        t.remove_prefix(c.size);
        if (c.value == '}') break;
        const int v = unhex(c.value);
        if (v < 0) return invalid();
        value = value * 16 + static_cast<std::uint32_t>(v);
        if (value > 0x10FFFF) return invalid();
        ++digits;
      }
      if (digits == 0) return invalid();
      s = t;
      return std::nullopt;
    }
    const int x = unhex(c.value);
    const Rune second = decode(t);
    if (second.invalid) return SyntaxError{kInvalidUtf8, std::string(t)};
    t.remove_prefix(second.size);
    if (x < 0 || unhex(second.value) < 0) return invalid();
    s = t;
    return std::nullopt;
  }

  // parseUnicodeClass at a "\p" or "\P"; `parsed` says whether it consumed one.
  static std::optional<SyntaxError> parse_unicode_class(std::string_view& s, bool& parsed) {
    std::string_view t = s.substr(2);
    const Rune c = decode(t);
    if (c.invalid) return SyntaxError{kInvalidUtf8, std::string(t)};
    t.remove_prefix(c.size);
    std::string_view sequence;
    std::string_view name;
    if (c.value != '{') {
      sequence = s.substr(0, s.size() - t.size());
      name = sequence.substr(2);
    } else {
      const std::size_t end = s.find('}');
      if (end == std::string_view::npos) {
        if (auto error = check_utf8(s)) return error;
        return SyntaxError{kInvalidCharRange, std::string(s)};
      }
      sequence = s.substr(0, end + 1);
      t = s.substr(end + 1);
      name = s.substr(3, end - 3);
      if (auto error = check_utf8(name)) return error;
    }
    if (!name.empty() && name[0] == '^') name.remove_prefix(1);
    if (!is_unicode_class_name(name)) return SyntaxError{kInvalidCharRange, std::string(sequence)};
    s = t;
    parsed = true;
    return std::nullopt;
  }

  static std::optional<SyntaxError> check_utf8(std::string_view s) {
    while (!s.empty()) {
      const Rune rune = decode(s);
      if (rune.invalid) return SyntaxError{kInvalidUtf8, std::string(s)};
      s.remove_prefix(rune.size);
    }
    return std::nullopt;
  }

  // parseClassChar: one character of a class, escapes included; its rune in `value`.
  static std::optional<SyntaxError> parse_class_char(std::string_view& s, std::string_view whole_class, char32_t& value) {
    if (s.empty()) return SyntaxError{kMissingBracket, std::string(whole_class)};
    if (s[0] == '\\') {
      const std::string_view start = s;
      if (auto error = parse_escape(s)) return error;
      value = escaped_rune(start.substr(0, start.size() - s.size()));
      return std::nullopt;
    }
    const Rune rune = decode(s);
    if (rune.invalid) return SyntaxError{kInvalidUtf8, std::string(s)};
    value = rune.value;
    s.remove_prefix(rune.size);
    return std::nullopt;
  }

  // The rune of a valid escape (for class ranges): \n, \x41, \x{263a}, \101, \-.
  static char32_t escaped_rune(std::string_view escape) {
    const std::string_view body = escape.substr(1);
    switch (body[0]) {
      case 'a': return '\a';
      case 'f': return '\f';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'v': return '\v';
      case 'x': {
        char32_t value = 0;
        for (const char c : body.substr(1)) {
          if (unhex(static_cast<unsigned char>(c)) >= 0) value = value * 16 + static_cast<char32_t>(unhex(static_cast<unsigned char>(c)));
        }
        return value;
      }
      default: break;
    }
    if (body[0] >= '0' && body[0] <= '7') {
      char32_t value = 0;
      for (const char c : body) value = value * 8 + static_cast<char32_t>(c - '0');
      return value;
    }
    return decode(body).value;
  }

  std::optional<SyntaxError> parse_class(std::string_view& s) {
    const std::string_view whole_class = s;
    std::string_view t = s.substr(1);
    if (!t.empty() && t[0] == '^') t.remove_prefix(1);
    bool first = true;
    while (t.empty() || t[0] != ']' || first) {
      first = false;
      if (t.size() > 2 && t[0] == '[' && t[1] == ':') {
        const std::size_t close = t.substr(2).find(":]");
        if (close != std::string_view::npos) {
          const std::string_view name = t.substr(0, close + 4);
          if (!is_posix_class(name)) return SyntaxError{kInvalidCharRange, std::string(name)};
          t.remove_prefix(name.size());
          continue;
        }
      }
      if (t.size() >= 2 && t[0] == '\\' && (t[1] == 'p' || t[1] == 'P')) {
        bool parsed = false;
        if (auto error = parse_unicode_class(t, parsed)) return error;
        if (parsed) continue;
      }
      if (is_perl_class(t)) {
        t.remove_prefix(2);
        continue;
      }
      const std::string_view range = t;
      char32_t lo = 0;
      char32_t hi = 0;
      if (auto error = parse_class_char(t, whole_class, lo)) return error;
      hi = lo;
      if (t.size() >= 2 && t[0] == '-' && t[1] != ']') {
        t.remove_prefix(1);
        if (auto error = parse_class_char(t, whole_class, hi)) return error;
        if (hi < lo) return SyntaxError{kInvalidCharRange, std::string(range.substr(0, range.size() - t.size()))};
      }
    }
    t.remove_prefix(1);
    push_operand();
    s = t;
    return std::nullopt;
  }

  // parsePerlFlags at "(?": a named group, or flags and maybe a group.
  std::optional<SyntaxError> parse_perl_flags(std::string_view& s) {
    std::string_view t = s;
    const bool starts_with_p = t.size() > 4 && t[2] == 'P' && t[3] == '<';
    const bool starts_with_name = t.size() > 3 && t[2] == '<';
    if (starts_with_p || starts_with_name) {
      const std::size_t name_start = starts_with_p ? 4 : 3;
      const std::size_t end = t.find('>');
      if (end == std::string_view::npos) {
        if (auto error = check_utf8(t)) return error;
        return SyntaxError{kInvalidNamedCapture, std::string(s)};
      }
      const std::string_view capture = t.substr(0, end + 1);
      const std::string_view name = t.substr(name_start, end - name_start);
      if (auto error = check_utf8(name)) return error;
      const bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return c == '_' || is_alnum(static_cast<unsigned char>(c));
      });
      if (!valid) return SyntaxError{kInvalidNamedCapture, std::string(capture)};
      stack_.push_back({Kind::left_paren, 0});
      s = t.substr(end + 1);
      return std::nullopt;
    }
    t.remove_prefix(2);
    int sign = 1;
    bool saw_flag = false;
    while (!t.empty()) {
      const Rune c = decode(t);
      if (c.invalid) return SyntaxError{kInvalidUtf8, std::string(t)};
      t.remove_prefix(c.size);
      if (c.value == 'i' || c.value == 'm' || c.value == 's' || c.value == 'U') {
        saw_flag = true;
        continue;
      }
      if (c.value == '-') {
        if (sign < 0) break;
        sign = -1;
        saw_flag = false;
        continue;
      }
      if (c.value == ':' || c.value == ')') {
        if (sign < 0 && !saw_flag) break;
        if (c.value == ':') stack_.push_back({Kind::left_paren, 0});
        s = t;
        return std::nullopt;
      }
      break;
    }
    return SyntaxError{kInvalidPerlOp, std::string(s.substr(0, s.size() - t.size()))};
  }

  std::string_view whole_;
  std::vector<StackItem> stack_;
};

}  // namespace

std::optional<std::string> go_regexp_syntax_error(std::string_view pattern) {
  Parser parser(pattern);
  if (auto error = parser.parse()) return message_of(*error);
  return std::nullopt;
}

}  // namespace baton::config::cts
