// A port of math/big's decimal conversion (decimal.go) and roundShortest (ftoa.go), for a
// float64 held at 53 bits of precision.
#include "engine/driver/terraform/go_float_text.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>

namespace baton::driver::terraform {
namespace {

// 0.digits x 10^exp; digits without leading or trailing zeros (empty for zero).
struct Decimal {
  std::string digits;
  int exp = 0;

  char at(std::size_t i) const { return i < digits.size() ? digits[i] : '0'; }
};

void trim(Decimal& d) {
  while (!d.digits.empty() && d.digits.back() == '0') d.digits.pop_back();
  if (d.digits.empty()) d.exp = 0;
}

void double_it(Decimal& d) {
  int carry = 0;
  for (auto it = d.digits.rbegin(); it != d.digits.rend(); ++it) {
    const int v = (*it - '0') * 2 + carry;
    *it = static_cast<char>('0' + v % 10);
    carry = v / 10;
  }
  if (carry != 0) {
    d.digits.insert(d.digits.begin(), '1');
    ++d.exp;
  }
}

void halve(Decimal& d) {
  int remainder = 0;
  for (char& c : d.digits) {
    const int v = remainder * 10 + (c - '0');
    c = static_cast<char>('0' + v / 2);
    remainder = v % 2;
  }
  if (remainder != 0) d.digits += '5';
  if (!d.digits.empty() && d.digits.front() == '0') {
    d.digits.erase(d.digits.begin());
    --d.exp;
  }
}

// decimal.init: mantissa x 2^shift, exactly.
Decimal decimal_of(std::uint64_t mantissa, int shift) {
  Decimal d;
  if (mantissa == 0) return d;
  d.digits = std::to_string(mantissa);
  d.exp = static_cast<int>(d.digits.size());
  for (; shift > 0; --shift) double_it(d);
  for (; shift < 0; ++shift) halve(d);
  trim(d);
  return d;
}

void round_down(Decimal& d, std::size_t n) {
  if (n >= d.digits.size()) return;
  d.digits.resize(n);
  trim(d);
}

void round_up(Decimal& d, std::size_t n) {
  if (n >= d.digits.size()) return;
  while (n > 0 && d.digits[n - 1] >= '9') --n;
  if (n == 0) {
    d.digits = "1";
    ++d.exp;
    return;
  }
  ++d.digits[n - 1];
  d.digits.resize(n);
}

// decimal.round: to nearest, halfway to even.
void round_nearest(Decimal& d, std::size_t n) {
  if (n >= d.digits.size()) return;
  const bool halfway = d.digits[n] == '5' && n + 1 == d.digits.size();
  const bool up = halfway ? n > 0 && ((d.digits[n - 1] - '0') & 1) != 0 : d.digits[n] >= '5';
  if (up) round_up(d, n);
  else round_down(d, n);
}

// roundShortest: the fewest digits that still read back as the float, where the value is
// significand x 2^exponent with a 53-bit significand.
void round_shortest(Decimal& d, std::uint64_t significand, int exponent) {
  if (d.digits.empty()) return;
  // Half an ulp is one unit of 2 x significand at exponent - 1.
  const Decimal lower = decimal_of(2 * significand - 1, exponent - 1);
  const Decimal upper = decimal_of(2 * significand + 1, exponent - 1);
  const bool inclusive = (significand & 1) == 0;
  for (std::size_t i = 0; i < d.digits.size(); ++i) {
    const char m = d.digits[i];
    const char l = lower.at(i);
    const char u = upper.at(i);
    const bool ok_down = l != m || (inclusive && i + 1 == lower.digits.size());
    const bool ok_up = m != u && (inclusive || m + 1 < u || i + 1 < upper.digits.size());
    if (ok_down && ok_up) return round_nearest(d, i + 1);
    if (ok_down) return round_down(d, i + 1);
    if (ok_up) return round_up(d, i + 1);
  }
}

// fmtF with the precision shortest mode picks: every digit, none after them.
std::string fixed_text(const Decimal& d) {
  std::string out;
  if (d.exp > 0) {
    const auto whole = static_cast<std::size_t>(d.exp);
    out = d.digits.substr(0, whole);
    out.append(whole - out.size(), '0');
  } else {
    out = "0";
  }
  const int fraction = std::max(static_cast<int>(d.digits.size()) - d.exp, 0);
  if (fraction > 0) out += '.';
  for (int i = 0; i < fraction; ++i) out += d.at(static_cast<std::size_t>(d.exp + i));
  return out;
}

}  // namespace

std::string go_float_text(double value) {
  assert(std::isfinite(value));
  const std::string sign = std::signbit(value) ? "-" : "";
  if (value == 0) return sign + "0";
  int binary_exponent = 0;
  const double fraction = std::frexp(std::fabs(value), &binary_exponent);  // [0.5, 1)
  // big.Float keeps a subnormal's significand normalized too: 53 bits, top bit set.
  const auto significand = static_cast<std::uint64_t>(std::ldexp(fraction, 53));
  const int exponent = binary_exponent - 53;
  Decimal d = decimal_of(significand, exponent);
  round_shortest(d, significand, exponent);
  return sign + fixed_text(d);
}

}  // namespace baton::driver::terraform
