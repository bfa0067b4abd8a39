#include "engine/config/cts/go_object.hpp"

#include <algorithm>
#include <vector>

#include "engine/config/cts/go_text.hpp"

namespace baton::config::cts {
namespace {

using hcl::GoKind;
using hcl::GoValue;

bool is_slice(const GoValue& value) { return value.kind == GoKind::slice || value.kind == GoKind::map_slice; }

bool maps_equal(const GoValue& a, const GoValue& b) {
  if (a.entries.size() != b.entries.size()) return false;
  return std::all_of(a.entries.begin(), a.entries.end(), [&](const hcl::GoEntry& entry) {
    const GoValue* other = b.find(entry.key);
    return other != nullptr && go_equal(entry.value, *other);
  });
}

std::vector<const hcl::GoEntry*> sorted_entries(const GoValue& map) {
  std::vector<const hcl::GoEntry*> entries;
  for (const hcl::GoEntry& entry : map.entries) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(), [](const auto* a, const auto* b) { return a->key < b->key; });
  return entries;
}

}  // namespace

bool go_equal(const GoValue& a, const GoValue& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case GoKind::nil: return true;
    case GoKind::boolean: return a.boolean == b.boolean;
    case GoKind::integer: return a.integer == b.integer;
    case GoKind::floating: return a.floating == b.floating;
    case GoKind::string: return a.string == b.string;
    case GoKind::slice:
    case GoKind::map_slice:
      return std::equal(a.elements.begin(), a.elements.end(), b.elements.begin(), b.elements.end(), go_equal);
    case GoKind::map: return maps_equal(a, b);
  }
  return false;
}

std::string go_sprint(const GoValue& value) {
  switch (value.kind) {
    case GoKind::nil: return "<nil>";
    case GoKind::boolean: return value.boolean ? "true" : "false";
    case GoKind::integer: return std::to_string(value.integer);
    case GoKind::floating: return go_format_float_g(value.floating);
    case GoKind::string: return value.string;
    case GoKind::slice:
    case GoKind::map_slice: {
      std::string out = "[";
      for (std::size_t i = 0; i < value.elements.size(); ++i) {
        if (i > 0) out += " ";
        out += go_sprint(value.elements[i]);
      }
      return out + "]";
    }
    case GoKind::map: {
      std::string out = "map[";
      bool first = true;
      for (const hcl::GoEntry* entry : sorted_entries(value)) {
        if (!first) out += " ";
        first = false;
        out += entry->key + ":" + go_sprint(entry->value);
      }
      return out + "]";
    }
  }
  return "";
}

void un_slice(GoValue& value) {
  if (value.kind == GoKind::map) {
    for (hcl::GoEntry& entry : value.entries) {
      if (is_slice(entry.value) && entry.value.elements.size() == 1) {
        GoValue first = std::move(entry.value.elements.front());
        entry.value = std::move(first);
      }
      un_slice(entry.value);
    }
    return;
  }
  if (is_slice(value)) {
    for (GoValue& element : value.elements) un_slice(element);
  }
}

GoObject empty_go_map() {
  GoObject object;
  object.value.kind = GoKind::map;
  return object;
}

}  // namespace baton::config::cts
