#pragma once
// A configuration value as CTS hands it to hclwrite: the cty.Value kinds its generators meet
// (provider arguments and backend settings converted by hcl2shim, module variables parsed from
// HCL literals). Numbers keep the decimal text cty prints (big.Float.Text('f', -1)); the members
// of maps and objects are kept sorted by key, bytewise, which is cty's iteration order.
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace baton::driver::terraform {

class Value {
 public:
  enum class Kind { null, boolean, number, string, list, tuple, map, object };
  struct Member;

  Value() : kind_(Kind::null) {}  // null
  static Value null();
  static Value boolean(bool value);
  static Value integer(std::int64_t value);
  // A Go float64 as hcl2shim converts it: the shortest decimal that reads back the same.
  static Value floating(double value);
  // A decimal literal as HCL writes it ("10", "-0.52", "1.5e3"); nullopt when it is not one or
  // its exponent exceeds 4096 in magnitude.
  static std::optional<Value> decimal(std::string_view literal);
  static Value string(std::string value);
  static Value list(std::vector<Value> elements);   // cty list: a `list(any)` variable
  static Value tuple(std::vector<Value> elements);  // HCL `[...]` literals and config lists
  static Value map(std::vector<Member> members);    // cty map: a `map(any)` variable
  static Value object(std::vector<Member> members); // HCL `{...}` literals and config maps
  static Value string_map(const std::map<std::string, std::string>& entries);
  static Value string_list(const std::vector<std::string>& elements);

  Kind kind() const { return kind_; }
  bool as_bool() const { return flag_; }
  const std::string& text() const { return text_; }  // number or string
  const std::vector<Value>& elements() const { return elements_; }  // list, tuple
  const std::vector<Member>& members() const { return members_; }   // map, object

  friend bool operator==(const Value&, const Value&);

 private:
  explicit Value(Kind kind) : kind_(kind) {}
  static Value keyed(Kind kind, std::vector<Member> members);

  Kind kind_;
  bool flag_ = false;
  std::string text_;
  std::vector<Value> elements_;
  std::vector<Member> members_;
};

struct Value::Member {
  std::string key;
  Value value;
  friend bool operator==(const Member&, const Member&) = default;
};

}  // namespace baton::driver::terraform
