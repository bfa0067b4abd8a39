#pragma once
// The document model both syntaxes parse into: a Body is an ordered sequence of attributes
// (`name = value`) and blocks (`type "label" ... { body }`); values are null, bool, number,
// string, list or object. Every attribute, block, label and value carries its position.
//
// The model keeps what the source said and decides nothing. HCL1, the version CTS decodes its
// configuration with (engine/config/README.md), has quirks that later code must be able to
// reproduce, so none of them is resolved here:
// - `consul { ... }` is a Block, `consul = { ... }` an Attribute whose value is an object; HCL1
//   decodes both alike (go_value.hpp, block_view.hpp).
// - Repeated blocks and repeated attributes are all kept, in source order (HCL1 appends repeated
//   blocks and lets a later attribute replace an earlier one of a compatible type).
// - An object value holds a Body, not a map: HCL1 objects may contain blocks
//   (`x = { y { z = 1 } }`) and repeated keys.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/config/hcl/box.hpp"
#include "engine/config/hcl/position.hpp"

namespace baton::config::hcl {

struct Body;

// A number as written and as read. HCL1 tells integers from floats by their syntax (`1` is an
// int, `1.0` and `1e3` are float64), so is_integer follows the literal, not the value.
struct Number {
  std::string text;         // exactly as written: "0x1F", "0755", "-1.5e3"
  bool is_integer = false;  // HCL1: a NUMBER token; JSON: no fraction or exponent, fits int64
  std::int64_t integer = 0; // the value when is_integer (hex and octal already converted)
  double real = 0;          // the value as a double, always set (finite)

  friend bool operator==(const Number&, const Number&) = default;
};

enum class ValueKind { null, boolean, number, string, list, object };

// HCL1 decodes quoted strings and heredocs alike, except that only a quoted string may be
// decoded into an int (decoder.go decodeInt); the style is kept for that.
enum class StringStyle { quoted, heredoc };

class Value {
 public:
  using List = std::vector<Value>;

  static Value null(Position position);  // JSON only: HCL1's native syntax has no null
  static Value boolean(bool value, Position position);
  static Value number(Number value, Position position);
  // The decoded text: escapes resolved, `${...}` kept verbatim (CTS never evaluates it).
  static Value string(std::string value, Position position,
                      StringStyle style = StringStyle::quoted);
  static Value list(List elements, Position position);
  static Value object(Body body, Position position);

  Value(const Value& other);
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other);
  Value& operator=(Value&& other) noexcept;
  ~Value();

  ValueKind kind() const;
  // Where the value starts: its first character, the '[' of a list, the '{' of an object.
  const Position& position() const { return position_; }

  // Each accessor requires the matching kind (asserted).
  bool as_bool() const;
  const Number& as_number() const;
  const std::string& as_string() const;
  StringStyle string_style() const;
  const List& as_list() const;
  const Body& as_object() const;

 private:
  struct Text {
    std::string value;
    StringStyle style = StringStyle::quoted;
  };
  using Payload = std::variant<std::monostate, bool, Number, Text, List, Box<Body>>;

  Value(Payload payload, Position position);

  Payload payload_;
  Position position_;
};

// `name = value`. position is the name's.
struct Attribute {
  std::string name;  // decoded: `"a b" = 1` has the name `a b`
  Position position;
  Value value;
};

// A block label: `condition "services" { }` has the label `services`. HCL1 also accepts bare
// identifiers as labels (`storage consul { }`).
struct Label {
  std::string value;
  Position position;
};

struct Block;
using Item = std::variant<Attribute, Block>;

struct Body {
  std::vector<Item> items;  // in source order

  std::vector<const Attribute*> attributes() const;
  std::vector<const Block*> blocks() const;
  // Every attribute with this exact name, in source order (there may be several).
  std::vector<const Attribute*> attributes_named(std::string_view name) const;
  // Every block of this exact type, whatever its labels, in source order.
  std::vector<const Block*> blocks_of_type(std::string_view type) const;
};

// `type label... { body }`. position is the type's.
struct Block {
  std::string type;
  Position position;
  std::vector<Label> labels;
  Body body;
};

}  // namespace baton::config::hcl
