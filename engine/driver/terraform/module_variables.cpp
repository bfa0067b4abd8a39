#include "engine/driver/terraform/module_variables.hpp"

#include <nlohmann/json.hpp>

#include <utility>
#include <variant>

#include "engine/config/hcl/parse.hpp"

namespace baton::driver::terraform {

namespace hcl = config::hcl;

namespace {

hcl::Result<Value> to_value(const hcl::Value& value);

hcl::Result<Value> object_value(const hcl::Body& body) {
  std::vector<Value::Member> members;
  for (const hcl::Item& item : body.items) {
    if (const auto* block = std::get_if<hcl::Block>(&item)) {
      return hcl::Error::at(block->position, "Unexpected \"" + block->type + "\" block; an object holds attributes only.");
    }
    const auto& attribute = std::get<hcl::Attribute>(item);
    auto member = to_value(attribute.value);
    if (!member.ok()) return member.error();
    members.push_back(Value::Member{attribute.name, std::move(member.value())});
  }
  return Value::object(std::move(members));
}

hcl::Result<Value> to_value(const hcl::Value& value) {
  switch (value.kind()) {
    case hcl::ValueKind::null: return Value::null();
    case hcl::ValueKind::boolean: return Value::boolean(value.as_bool());
    case hcl::ValueKind::string: return Value::string(value.as_string());
    case hcl::ValueKind::number: {
      const hcl::Number& number = value.as_number();
      // Hex and octal integers arrive converted; decimals keep their exact text.
      if (number.is_integer) return Value::integer(number.integer);
      std::optional<Value> decimal = Value::decimal(number.text);
      if (!decimal) return hcl::Error::at(value.position(), "Invalid number literal \"" + number.text + "\".");
      return std::move(*decimal);
    }
    case hcl::ValueKind::list: {
      std::vector<Value> elements;
      for (const hcl::Value& element : value.as_list()) {
        auto converted = to_value(element);
        if (!converted.ok()) return converted.error();
        elements.push_back(std::move(converted.value()));
      }
      return Value::tuple(std::move(elements));
    }
    case hcl::ValueKind::object: return object_value(value.as_object());
  }
  return hcl::Error::at(value.position(), "unsupported value");
}

Value json_to_value(const nlohmann::json& json) {
  switch (json.type()) {
    case nlohmann::json::value_t::boolean: return Value::boolean(json.get<bool>());
    case nlohmann::json::value_t::string: return Value::string(json.get<std::string>());
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: {
      std::optional<Value> decimal = Value::decimal(json.dump());
      return decimal ? std::move(*decimal) : Value::floating(json.get<double>());
    }
    case nlohmann::json::value_t::array: {
      std::vector<Value> elements;
      for (const nlohmann::json& element : json) elements.push_back(json_to_value(element));
      return Value::tuple(std::move(elements));
    }
    case nlohmann::json::value_t::object: {
      std::vector<Value::Member> members;
      for (const auto& [key, member] : json.items()) members.push_back(Value::Member{key, json_to_value(member)});
      return Value::object(std::move(members));
    }
    default: return Value::null();
  }
}

}  // namespace

hcl::Result<ModuleVariables> parse_module_variables(std::string_view file_name, std::string_view text) {
  auto parsed = hcl::parse_hcl(file_name, text);
  if (!parsed.ok()) return parsed.error();
  ModuleVariables variables;
  for (const hcl::Item& item : parsed.value().body.items) {
    if (const auto* block = std::get_if<hcl::Block>(&item)) {
      // HCL2's JustAttributes wording.
      return hcl::Error::at(block->position, "Unexpected \"" + block->type + "\" block; Blocks are not allowed here.");
    }
    const auto& attribute = std::get<hcl::Attribute>(item);
    auto value = to_value(attribute.value);
    if (!value.ok()) return value.error();
    variables.insert_or_assign(attribute.name, std::move(value.value()));
  }
  return variables;
}

hcl::Result<Value> module_variable_from_json(const std::string& where, std::string_view json_text) {
  nlohmann::json json = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return hcl::Error{"", 0, 0, where + ": not a JSON value: " + std::string(json_text)};
  return json_to_value(json);
}

}  // namespace baton::driver::terraform
