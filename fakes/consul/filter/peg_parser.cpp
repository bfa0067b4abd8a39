#include "fakes/consul/filter/peg_parser.hpp"

#include <set>

#include "engine/text/go_utf8.hpp"

namespace baton::fakes::consul::filter {

using text::decode_rune;
using text::DecodedRune;

namespace {

// pigeon's "line:col (offset)": columns count runes from 1, and a newline belongs to the line it
// ends as column 0 of the next one (pigeon bumps the line when it reads the '\n' itself).
std::string position_text(std::string_view input, std::size_t target) {
  std::size_t line = 1;
  std::size_t column = 0;
  for (std::size_t offset = 0;;) {
    const DecodedRune decoded = decode_rune(input, offset);
    ++column;
    if (decoded.rune == U'\n' && decoded.width == 1) {
      ++line;
      column = 0;
    }
    if (offset >= target || decoded.width == 0) break;
    offset += decoded.width;
  }
  return std::to_string(line) + ":" + std::to_string(column) + " (" + std::to_string(target) + ")";
}

// Go's %q of an ASCII grammar literal, as pigeon prints it among the expectations.
std::string quoted_literal(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

// pigeon's listJoin(list, ", ", "or").
std::string join_alternatives(const std::vector<std::string>& items) {
  std::string joined;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) joined += (i + 1 == items.size()) ? " or " : ", ";
    joined += items[i];
  }
  return joined;
}

}  // namespace

PegParser::PegParser(std::string_view input, std::size_t max_rule_depth)
    : input_(input), max_rule_depth_(max_rule_depth) {
  if (decode_rune(input_, 0).invalid()) error_here("invalid encoding");  // pigeon's first read()
}

bool PegParser::literal(std::string_view text) {
  const std::size_t start = offset_;
  for (char want : text) {
    if (stopped() || offset_ >= input_.size() || input_[offset_] != want) {
      expect(start, false, quoted_literal(text));
      offset_ = start;
      return false;
    }
    step();
  }
  expect(start, true, quoted_literal(text));
  return true;
}

bool PegParser::char_class(std::string_view shown, bool (*accepts)(char32_t)) {
  const std::size_t start = offset_;
  const DecodedRune current = decode_rune(input_, offset_);
  if (stopped() || current.width == 0 || !accepts(current.rune)) {
    expect(start, false, shown);
    return false;
  }
  step();
  expect(start, true, shown);
  return true;
}

bool PegParser::any() {
  const std::size_t start = offset_;
  if (stopped() || offset_ >= input_.size()) {
    expect(start, false, ".");
    return false;
  }
  step();
  expect(start, true, ".");
  return true;
}

PegParser::Rule::Rule(PegParser& parser, std::string_view shown)
    : parser_(parser), entered_(!parser.stopped() && parser.rules_.size() < parser.max_rule_depth_) {
  if (!entered_ && !parser_.stopped()) parser_.too_deep_at_ = parser_.offset_;
  if (entered_) parser_.rules_.push_back(shown);
}

PegParser::Rule::~Rule() {
  if (entered_) parser_.rules_.pop_back();
}

void PegParser::error_at(std::size_t offset, std::string_view message) {
  std::string text = position_text(input_, offset);
  if (!rules_.empty()) text += ": rule " + std::string(rules_.back());
  errors_.push_back({offset, text + ": " + std::string(message)});
}

std::optional<ParseError> PegParser::outcome(bool start_rule_matched) const {
  if (too_deep_at_) {
    return ParseError{*too_deep_at_, position_text(input_, *too_deep_at_) + ": expression nests more than " +
                                         std::to_string(max_rule_depth_) + " grammar rules deep"};
  }
  if (errors_.empty()) {
    if (start_rule_matched) return std::nullopt;
    return ParseError{farthest_failure_, position_text(input_, farthest_failure_) + ": " + no_match_message()};
  }
  // pigeon's errList.dedupe(): the first of identical messages, in the order they came.
  std::set<std::string> seen;
  std::string joined;
  for (const Error& error : errors_) {
    if (!seen.insert(error.text).second) continue;
    if (!joined.empty()) joined += '\n';
    joined += error.text;
  }
  return ParseError{errors_.front().offset, joined};
}

// pigeon's read(): moves past the current rune and complains when the next one is not UTF-8,
// naming whichever rule is reading. Backtracking and reading again complains again (the
// duplicates are dropped at the end).
void PegParser::step() {
  offset_ += decode_rune(input_, offset_).width;
  if (decode_rune(input_, offset_).invalid()) error_here("invalid encoding");
}

// pigeon's failAt: a failure is worth recording outside a !e, a success inside one ("!" marks
// it); only the farthest position's records are kept.
void PegParser::expect(std::size_t at, bool matched, std::string_view what) {
  if (matched != inverted_ || stopped()) return;
  if (at < farthest_failure_) return;
  if (at > farthest_failure_) {
    farthest_failure_ = at;
    expected_.clear();
  }
  expected_.push_back((inverted_ ? "!" : "") + std::string(what));
}

// The expectations sorted byte-wise (Go's sort.Strings) and deduplicated, with "!." (a !. that
// found a character, i.e. end of input wanted) moved last as EOF.
std::string PegParser::no_match_message() const {
  std::set<std::string> unique(expected_.begin(), expected_.end());
  const bool wants_end = unique.erase("!.") > 0;
  std::vector<std::string> items(unique.begin(), unique.end());
  if (wants_end) items.push_back("EOF");
  return "no match found, expected: " + join_alternatives(items);
}

}  // namespace baton::fakes::consul::filter
