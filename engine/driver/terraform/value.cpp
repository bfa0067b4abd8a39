#include "engine/driver/terraform/value.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>

#include "engine/driver/terraform/go_float_text.hpp"

namespace baton::driver::terraform {
namespace {

// Bounds the text a literal expands to ("1e999999999" would be a billion digits).
constexpr long kExponentMax = 4096;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Splits "[-+]digits[.digits][e[-+]digits]" into sign, significant digits and a decimal
// exponent; false when `literal` is not such a number.
struct Decimal {
  bool negative = false;
  std::string digits;  // no leading zeros
  long exponent = 0;   // value = digits * 10^exponent
};

bool take_digits(std::string_view& text, std::string& out) {
  const auto end = std::find_if(text.begin(), text.end(), [](char c) { return !is_digit(c); });
  const auto count = static_cast<std::size_t>(end - text.begin());
  out.append(text.substr(0, count));
  text.remove_prefix(count);
  return count > 0;
}

std::optional<Decimal> parse_decimal(std::string_view text) {
  Decimal d;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    d.negative = text[0] == '-';
    text.remove_prefix(1);
  }
  bool any = take_digits(text, d.digits);
  if (!text.empty() && text[0] == '.') {
    text.remove_prefix(1);
    std::string fraction;
    any = take_digits(text, fraction) || any;
    d.digits += fraction;
    d.exponent = -static_cast<long>(fraction.size());
  }
  if (!any) return std::nullopt;
  if (!text.empty() && (text[0] == 'e' || text[0] == 'E')) {
    text.remove_prefix(1);
    long e = 0;
    const char* begin = text.data();
    if (!text.empty() && text[0] == '+') ++begin;
    const auto [end, error] = std::from_chars(begin, text.data() + text.size(), e);
    if (error != std::errc{} || begin == end) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    if (e > kExponentMax || e < -kExponentMax) return std::nullopt;
    d.exponent += e;
  }
  if (!text.empty()) return std::nullopt;
  d.digits.erase(0, std::min(d.digits.find_first_not_of('0'), d.digits.size()));
  return d;
}

// big.Float.Text('f', -1) of an exactly held decimal: no exponent, no redundant zeros.
std::string plain_text(Decimal d) {
  while (!d.digits.empty() && d.digits.back() == '0' && d.exponent < 0) {
    d.digits.pop_back();
    ++d.exponent;
  }
  std::string out = d.negative ? "-" : "";
  if (d.digits.empty()) return out + "0";
  if (d.exponent >= 0) return out + d.digits + std::string(static_cast<std::size_t>(d.exponent), '0');
  const auto fraction = static_cast<std::size_t>(-d.exponent);
  if (fraction >= d.digits.size()) return out + "0." + std::string(fraction - d.digits.size(), '0') + d.digits;
  return out + d.digits.substr(0, d.digits.size() - fraction) + "." + d.digits.substr(d.digits.size() - fraction);
}

}  // namespace

Value Value::null() { return Value(Kind::null); }

Value Value::boolean(bool value) {
  Value v(Kind::boolean);
  v.flag_ = value;
  return v;
}

Value Value::integer(std::int64_t value) {
  Value v(Kind::number);
  v.text_ = std::to_string(value);
  return v;
}

Value Value::floating(double value) {
  assert(std::isfinite(value) && "cty has no literal for NaN or infinities");
  Value v(Kind::number);
  v.text_ = go_float_text(value);
  return v;
}

std::optional<Value> Value::decimal(std::string_view literal) {
  const std::optional<Decimal> parsed = parse_decimal(literal);
  if (!parsed) return std::nullopt;
  Value v(Kind::number);
  v.text_ = plain_text(*parsed);
  return v;
}

Value Value::string(std::string value) {
  Value v(Kind::string);
  v.text_ = std::move(value);
  return v;
}

Value Value::list(std::vector<Value> elements) {
  Value v(Kind::list);
  v.elements_ = std::move(elements);
  return v;
}

Value Value::tuple(std::vector<Value> elements) {
  Value v(Kind::tuple);
  v.elements_ = std::move(elements);
  return v;
}

Value Value::keyed(Kind kind, std::vector<Member> members) {
  // The last of duplicate keys wins, as when a Go map is filled in order.
  std::stable_sort(members.begin(), members.end(), [](const Member& a, const Member& b) { return a.key < b.key; });
  std::vector<Member> unique;
  for (Member& m : members) {
    if (!unique.empty() && unique.back().key == m.key) unique.back() = std::move(m);
    else unique.push_back(std::move(m));
  }
  Value v(kind);
  v.members_ = std::move(unique);
  return v;
}

Value Value::map(std::vector<Member> members) { return keyed(Kind::map, std::move(members)); }

Value Value::object(std::vector<Member> members) { return keyed(Kind::object, std::move(members)); }

Value Value::string_map(const std::map<std::string, std::string>& entries) {
  std::vector<Member> members;
  for (const auto& [key, value] : entries) members.push_back({key, Value::string(value)});
  return map(std::move(members));
}

Value Value::string_list(const std::vector<std::string>& elements) {
  std::vector<Value> values;
  for (const std::string& element : elements) values.push_back(Value::string(element));
  return list(std::move(values));
}

bool operator==(const Value& a, const Value& b) {
  return a.kind_ == b.kind_ && a.flag_ == b.flag_ && a.text_ == b.text_ && a.elements_ == b.elements_ &&
         a.members_ == b.members_;
}

}  // namespace baton::driver::terraform
