#include "engine/config/hcl/go_value.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

#include "engine/config/hcl/number_literal.hpp"
#include "engine/config/hcl/utf8.hpp"

namespace baton::config::hcl {
namespace {

// HCL1's AST as its decoder sees our document: an item is keys plus a value node; a block is
// an item whose value is an object (ObjectType), exactly like `key = { ... }`.
struct Key {
  std::string value;
  Position position;
};
struct ItemView;
struct Node {
  enum class Kind { object_list, object_type, list, literal };
  Kind kind = Kind::literal;
  Position position;
  const Body* body = nullptr;       // object_type
  std::vector<ItemView> items;      // object_list: what ObjectList.Filter returned
  const Value* value = nullptr;     // list and literal
};
struct ItemView {
  std::vector<Key> keys;
  Node value;
};

Node node_of(const Value& value) {
  Node node;
  node.position = value.position();
  if (value.kind() == ValueKind::object) {
    node.kind = Node::Kind::object_type;
    node.body = &value.as_object();
  } else {
    node.kind = value.kind() == ValueKind::list ? Node::Kind::list : Node::Kind::literal;
    node.value = &value;
  }
  return node;
}

std::vector<ItemView> items_of(const Body& body) {
  std::vector<ItemView> items;
  for (const Item& item : body.items) {
    if (const auto* attribute = std::get_if<Attribute>(&item)) {
      items.push_back({{{attribute->name, attribute->position}}, node_of(attribute->value)});
      continue;
    }
    const Block& block = std::get<Block>(item);
    ItemView view;
    view.keys.push_back({block.type, block.position});
    for (const Label& label : block.labels) view.keys.push_back({label.value, label.position});
    view.value.kind = Node::Kind::object_type;
    view.value.position = block.position;
    view.value.body = &block.body;
    items.push_back(std::move(view));
  }
  return items;
}

std::vector<ItemView> items_of(const Node& node) {
  return node.kind == Node::Kind::object_type ? items_of(*node.body) : node.items;
}

// A key as Go's strings.EqualFold compares it: rune by rune, a malformed byte read as U+FFFD
// (so "\xf0" matches "\ufffd", as in HCL1), ASCII letters without case. Unicode case folding
// beyond ASCII is not reproduced: such keys must match exactly here.
std::string fold(std::string_view key) {
  std::string folded;
  for (std::size_t offset = 0; offset < key.size();) {
    const utf8::Decoded decoded = utf8::decode(key, offset);
    char32_t rune = decoded.valid ? decoded.rune : utf8::kRuneError;
    if (rune >= 'A' && rune <= 'Z') rune = rune - 'A' + 'a';
    utf8::append(folded, rune);
    offset += decoded.size;
  }
  return folded;
}

// The items of one list by folded first key, so gathering labeled items stays linear.
using KeyIndex = std::unordered_map<std::string, std::vector<std::size_t>>;
KeyIndex index_by_first_key(const std::vector<ItemView>& items) {
  KeyIndex index;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].keys.empty()) index[fold(items[i].keys.front().value)].push_back(i);
  }
  return index;
}

// ObjectList.Filter(key): the items whose first key matches (case-insensitively), with that
// key removed.
Node filter(const std::vector<ItemView>& items, const KeyIndex& index, const Key& key) {
  Node node;
  node.kind = Node::Kind::object_list;
  node.position = key.position;
  const auto found = index.find(fold(key.value));
  if (found == index.end()) return node;
  for (const std::size_t i : found->second) {
    ItemView stripped = items[i];
    stripped.keys.erase(stripped.keys.begin());
    node.items.push_back(std::move(stripped));
  }
  return node;
}

// What a node is, in the words of HCL1's type errors.
std::string describe(const Node& node) {
  switch (node.kind) {
    case Node::Kind::object_list: return "labeled blocks";
    case Node::Kind::object_type: return "an object";
    case Node::Kind::list: return "a list";
    case Node::Kind::literal: break;
  }
  const Value& value = *node.value;
  switch (value.kind()) {
    case ValueKind::boolean: return "a bool";
    case ValueKind::number: return value.as_number().is_integer ? "an int" : "a float";
    case ValueKind::string: return value.string_style() == StringStyle::heredoc ? "a heredoc" : "a string";
    default: return "a value";
  }
}

GoValue scalar(const Value& value) {
  GoValue go;
  go.position = value.position();
  switch (value.kind()) {
    case ValueKind::null: break;
    case ValueKind::boolean: go.kind = GoKind::boolean; go.boolean = value.as_bool(); break;
    case ValueKind::number:
      if (value.as_number().is_integer) {
        go.kind = GoKind::integer;
        go.integer = value.as_number().integer;
      } else {
        go.kind = GoKind::floating;
        go.floating = value.as_number().real;
      }
      break;
    case ValueKind::string: go.kind = GoKind::string; go.string = value.as_string(); break;
    default: break;
  }
  return go;
}

// The entries of a map being built, by key, so that adding n keys stays linear.
class EntryIndex {
 public:
  explicit EntryIndex(const GoValue& map) {
    for (std::size_t i = 0; i < map.entries.size(); ++i) slots_.emplace(map.entries[i].key, i);
  }
  GoValue* find(GoValue& map, const std::string& key) const {
    const auto found = slots_.find(key);
    return found == slots_.end() ? nullptr : &map.entries[found->second].value;
  }
  void add(GoValue& map, GoEntry entry) {
    slots_.emplace(entry.key, map.entries.size());
    map.entries.push_back(std::move(entry));
  }

 private:
  std::unordered_map<std::string, std::size_t> slots_;
};

// hcl/decoder.go, for targets of type interface{} (and what it creates for them), which is all
// CTS's raw map holds. `name` is HCL1's path for messages: "root.task[0].condition".
class HclDecoder {
 public:
  Result<GoValue> decode_root(const Body& body) {
    GoValue root;
    root.kind = GoKind::map;
    if (auto decoded = decode_map_items("root", items_of(body), root); !decoded) return decoded.error();
    return root;
  }

 private:
  using Status = Result<bool>;

  static Error fail(const Node& node, const std::string& name, const std::string& detail) {
    return Error::at(node.position, fmt::format("{}: {}", name, detail));
  }

  // decodeMap: items into `map`, with the first key of each; labeled items are gathered.
  Status decode_map_items(const std::string& name, const std::vector<ItemView>& items, GoValue& map) {
    std::unordered_set<std::string> gathered;
    EntryIndex entries(map);
    KeyIndex by_first_key;
    const bool labeled_items = std::any_of(items.begin(), items.end(),
                                           [](const ItemView& item) { return item.keys.size() > 1; });
    if (labeled_items) by_first_key = index_by_first_key(items);
    for (const ItemView& item : items) {
      if (item.keys.empty()) return fail(item.value, name, "map must have string keys");
      const Key& key = item.keys.front();
      if (gathered.contains(key.value)) continue;
      Node labeled;
      const Node* value = &item.value;
      if (item.keys.size() > 1) {
        labeled = filter(items, by_first_key, key);
        value = &labeled;
        gathered.insert(key.value);
      }
      const std::string field = fmt::format("{}.{}", name, key.value);
      if (GoValue* existing = entries.find(map, key.value)) {
        if (auto decoded = decode_into(field, *value, *existing); !decoded) return decoded.error();
        continue;
      }
      auto decoded = decode_fresh(field, *value, /*in_slice=*/false);
      if (!decoded) return decoded.error();
      entries.add(map, GoEntry{key.value, key.position, std::move(decoded.value())});
    }
    return true;
  }

  // decodeInterface with nothing there yet: objects become []map in a map, map in a slice.
  Result<GoValue> decode_fresh(const std::string& name, const Node& node, bool in_slice) {
    GoValue go;
    go.position = node.position;
    if (node.kind == Node::Kind::literal) return scalar(*node.value);
    if (node.kind == Node::Kind::list) {
      go.kind = GoKind::slice;
    } else {
      go.kind = in_slice ? GoKind::map : GoKind::map_slice;
    }
    if (auto decoded = decode_into(name, node, go); !decoded) return decoded.error();
    return go;
  }

  // decode with an existing value: its type decides, as reflect does in decoder.go.
  Status decode_into(const std::string& name, const Node& node, GoValue& existing) {
    switch (existing.kind) {
      case GoKind::slice: return decode_slice(name, node, existing);
      case GoKind::map_slice: return decode_map_slice(name, node, existing);
      case GoKind::map:
        if (node.kind != Node::Kind::object_list && node.kind != Node::Kind::object_type) {
          return fail(node, name, fmt::format("not an object type for map ({})", describe(node)));
        }
        return decode_map_items(name, items_of(node), existing);
      default: return replace_scalar(name, node, existing);
    }
  }

  Status decode_slice(const std::string& name, const Node& node, GoValue& slice) {
    if (node.kind == Node::Kind::object_list) {
      return fail(node, name, "cannot decode labeled blocks into []interface{}");
    }
    if (node.kind == Node::Kind::literal) {
      return fail(node, name, fmt::format("unknown slice type: {}", describe(node)));
    }
    if (node.kind == Node::Kind::object_type) {
      auto element = decode_fresh(fmt::format("{}[0]", name), node, /*in_slice=*/true);
      if (!element) return element.error();
      slice.elements.push_back(std::move(element.value()));
      return true;
    }
    const Value::List& elements = node.value->as_list();
    for (std::size_t i = 0; i < elements.size(); ++i) {
      auto element = decode_fresh(fmt::format("{}[{}]", name, i), node_of(elements[i]), true);
      if (!element) return element.error();
      slice.elements.push_back(std::move(element.value()));
    }
    return true;
  }

  // decodeSlice into []map[string]interface{}: each item, object or list element is a map.
  Status decode_map_slice(const std::string& name, const Node& node, GoValue& slice) {
    if (slice.elements.empty()) slice.position = node.position;
    std::vector<std::pair<std::vector<ItemView>, Node>> maps;  // each element's items
    if (node.kind == Node::Kind::object_list) {
      for (const ItemView& item : node.items) maps.push_back({{item}, item.value});
    } else if (node.kind == Node::Kind::object_type) {
      maps.push_back({items_of(node), node});
    } else if (node.kind == Node::Kind::list) {
      for (const Value& element : node.value->as_list()) {
        const Node element_node = node_of(element);
        if (element_node.kind != Node::Kind::object_type) {
          return fail(element_node, name,
                      fmt::format("not an object type for map ({})", describe(element_node)));
        }
        maps.push_back({items_of(element_node), element_node});
      }
    } else {
      return fail(node, name, fmt::format("unknown slice type: {}", describe(node)));
    }
    for (std::size_t i = 0; i < maps.size(); ++i) {
      GoValue map;
      map.kind = GoKind::map;
      map.position = maps[i].second.position;
      const std::string element_name = fmt::format("{}[{}]", name, i);
      if (auto decoded = decode_map_items(element_name, maps[i].first, map); !decoded) {
        return decoded.error();
      }
      slice.elements.push_back(std::move(map));
    }
    return true;
  }

  // A later scalar attribute replaces an earlier one, read as the earlier one's Go type.
  static Status replace_scalar(const std::string& name, const Node& node, GoValue& existing) {
    const Value* value = node.kind == Node::Kind::literal ? node.value : nullptr;
    const auto refuse = [&] {
      return fail(node, name, fmt::format("cannot decode {} into {} (the type of an earlier '{}')",
                                          describe(node), go_type_name(existing.kind),
                                          name.substr(name.rfind('.') + 1)));
    };
    if (value == nullptr) return refuse();
    const bool is_int = value->kind() == ValueKind::number && value->as_number().is_integer;
    const bool is_quoted = value->kind() == ValueKind::string &&
                           value->string_style() == StringStyle::quoted;
    GoValue replacement = existing;
    replacement.position = value->position();
    switch (existing.kind) {
      case GoKind::boolean:
        if (value->kind() != ValueKind::boolean) return refuse();
        replacement.boolean = value->as_bool();
        break;
      case GoKind::integer: {
        if (is_int) {
          replacement.integer = value->as_number().integer;
          break;
        }
        if (!is_quoted) return refuse();
        const NumberReading reading = read_integer_literal(value->as_string());
        if (!reading.number) {
          return fail(node, name, fmt::format("strconv.ParseInt: parsing \"{}\": {}",
                                              value->as_string(), reading.failure));
        }
        replacement.integer = reading.number->integer;
        break;
      }
      case GoKind::floating: {
        if (value->kind() != ValueKind::number) return refuse();
        // decodeFloat reads the literal's text with ParseFloat: fine for octal-looking text,
        // an error for hexadecimal.
        const NumberReading reading = read_float_literal(value->as_number().text);
        if (!reading.number) {
          return fail(node, name, fmt::format("strconv.ParseFloat: parsing \"{}\": {}",
                                              value->as_number().text, reading.failure));
        }
        replacement.floating = reading.number->real;
        break;
      }
      case GoKind::string:
        if (is_int) {
          replacement.string = value->as_number().text;  // decodeString keeps the text
        } else if (value->kind() == ValueKind::string) {
          replacement.string = value->as_string();
        } else {
          return refuse();
        }
        break;
      default: return refuse();
    }
    existing = std::move(replacement);
    return true;
  }
};

// json.Unmarshal into interface{}.
GoValue from_json(const Value& value) {
  GoValue go = scalar(value);
  if (value.kind() == ValueKind::number) {
    go.kind = GoKind::floating;
    go.floating = value.as_number().real;
  } else if (value.kind() == ValueKind::list) {
    go.kind = GoKind::slice;
    for (const Value& element : value.as_list()) go.elements.push_back(from_json(element));
  } else if (value.kind() == ValueKind::object) {
    go.kind = GoKind::map;
    EntryIndex entries(go);
    for (const Attribute* member : value.as_object().attributes()) {
      GoValue decoded = from_json(member->value);
      if (GoValue* existing = entries.find(go, member->name)) {
        *existing = std::move(decoded);  // a repeated key: the last one wins
      } else {
        entries.add(go, GoEntry{member->name, member->position, std::move(decoded)});
      }
    }
  }
  return go;
}

}  // namespace

const GoValue* GoValue::find(std::string_view key) const {
  for (const GoEntry& entry : entries) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

Result<GoValue> to_go_value(const File& file) {
  if (file.syntax == Syntax::json) {
    GoValue root = from_json(Value::object(file.body, Position{file.name, 1, 1}));
    return root;
  }
  HclDecoder decoder;
  return decoder.decode_root(file.body);
}

const char* go_type_name(GoKind kind) {
  switch (kind) {
    case GoKind::nil: return "nil";
    case GoKind::boolean: return "bool";
    case GoKind::integer: return "int";
    case GoKind::floating: return "float64";
    case GoKind::string: return "string";
    case GoKind::slice: return "[]interface {}";
    case GoKind::map_slice: return "[]map[string]interface {}";
    case GoKind::map: return "map[string]interface {}";
  }
  return "interface {}";
}

}  // namespace baton::config::hcl
