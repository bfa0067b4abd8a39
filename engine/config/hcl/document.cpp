#include "engine/config/hcl/document.hpp"

#include <cassert>
#include <utility>

namespace baton::config::hcl {

// The special members live here, where Body is complete: Box<Body> needs it to copy and free.
Value::Value(Payload payload, Position position)
    : payload_(std::move(payload)), position_(std::move(position)) {}
Value::Value(const Value& other) = default;
Value::Value(Value&& other) noexcept = default;
Value& Value::operator=(const Value& other) = default;
Value& Value::operator=(Value&& other) noexcept = default;
Value::~Value() = default;

Value Value::null(Position position) { return Value(std::monostate{}, std::move(position)); }
Value Value::boolean(bool value, Position position) { return Value(value, std::move(position)); }
Value Value::number(Number value, Position position) {
  return Value(std::move(value), std::move(position));
}
Value Value::string(std::string value, Position position, StringStyle style) {
  return Value(Text{std::move(value), style}, std::move(position));
}
Value Value::list(List elements, Position position) {
  return Value(std::move(elements), std::move(position));
}
Value Value::object(Body body, Position position) {
  return Value(Box<Body>(std::move(body)), std::move(position));
}

// The payload's alternatives are declared in ValueKind's order.
ValueKind Value::kind() const { return static_cast<ValueKind>(payload_.index()); }

bool Value::as_bool() const {
  assert(kind() == ValueKind::boolean);
  return std::get<bool>(payload_);
}
const Number& Value::as_number() const {
  assert(kind() == ValueKind::number);
  return std::get<Number>(payload_);
}
const std::string& Value::as_string() const {
  assert(kind() == ValueKind::string);
  return std::get<Text>(payload_).value;
}
StringStyle Value::string_style() const {
  assert(kind() == ValueKind::string);
  return std::get<Text>(payload_).style;
}
const Value::List& Value::as_list() const {
  assert(kind() == ValueKind::list);
  return std::get<List>(payload_);
}
const Body& Value::as_object() const {
  assert(kind() == ValueKind::object);
  return *std::get<Box<Body>>(payload_);
}

std::vector<const Attribute*> Body::attributes() const {
  std::vector<const Attribute*> found;
  for (const Item& item : items) {
    if (const auto* attribute = std::get_if<Attribute>(&item)) found.push_back(attribute);
  }
  return found;
}

std::vector<const Block*> Body::blocks() const {
  std::vector<const Block*> found;
  for (const Item& item : items) {
    if (const auto* block = std::get_if<Block>(&item)) found.push_back(block);
  }
  return found;
}

std::vector<const Attribute*> Body::attributes_named(std::string_view name) const {
  std::vector<const Attribute*> found;
  for (const Attribute* attribute : attributes()) {
    if (attribute->name == name) found.push_back(attribute);
  }
  return found;
}

std::vector<const Block*> Body::blocks_of_type(std::string_view type) const {
  std::vector<const Block*> found;
  for (const Block* block : blocks()) {
    if (block->type == type) found.push_back(block);
  }
  return found;
}

}  // namespace baton::config::hcl
