#include "engine/config/hcl/block_view.hpp"

#include <fmt/format.h>

namespace baton::config::hcl {
namespace {

std::string labels_phrase(std::size_t count) {
  return count == 1 ? "1 label" : fmt::format("{} labels", count);
}

using Views = std::vector<BlockView>;

Result<bool> add_native_block(const Block& block, std::size_t label_count, Views& views) {
  if (block.labels.size() < label_count) {
    return Error::at(block.position, fmt::format("missing label for {}: a {} block must have {}",
                                                 block.type, block.type, labels_phrase(label_count)));
  }
  if (block.labels.size() > label_count) {
    return Error::at(block.labels[label_count].position,
                     fmt::format("extraneous label for {}: a {} block must have {}", block.type,
                                 block.type, labels_phrase(label_count)));
  }
  views.push_back(BlockView{block.type, block.position, block.labels, &block.body, Syntax::native});
  return true;
}

// `type = { ... }` or `type = [{ ... }, ...]`: a block to HCL1 when the schema wants no labels.
void add_native_object_attribute(const Attribute& attribute, Views& views) {
  const Value& value = attribute.value;
  if (value.kind() == ValueKind::object) {
    views.push_back(BlockView{attribute.name, attribute.position, {}, &value.as_object(), Syntax::native});
    return;
  }
  if (value.kind() != ValueKind::list) return;
  for (const Value& element : value.as_list()) {
    if (element.kind() == ValueKind::object) {
      views.push_back(BlockView{attribute.name, element.position(), {}, &element.as_object(),
                                Syntax::native});
    }
  }
}

// One JSON level: an array of levels, or an object that is a body (no labels left) or a map
// from the next label to the level below.
Result<bool> add_json_level(const std::string& type, const Value& value, std::vector<Label> labels,
                            std::size_t labels_left, Views& views) {
  if (value.kind() == ValueKind::list) {
    for (const Value& element : value.as_list()) {
      auto added = add_json_level(type, element, labels, labels_left, views);
      if (!added) return added;
    }
    return true;
  }
  if (value.kind() != ValueKind::object) {
    return Error::at(value.position(),
                     fmt::format("a {} block must be a JSON object{}", type,
                                 labels_left > 0 ? " keyed by its label" : ""));
  }
  if (labels_left == 0) {
    views.push_back(BlockView{type, value.position(), std::move(labels), &value.as_object(), Syntax::json});
    return true;
  }
  for (const Attribute* member : value.as_object().attributes()) {
    std::vector<Label> deeper = labels;
    deeper.push_back(Label{member->name, member->position});
    auto added = add_json_level(type, member->value, std::move(deeper), labels_left - 1, views);
    if (!added) return added;
  }
  return true;
}

}  // namespace

Result<std::vector<BlockView>> find_blocks(const Body& body, Syntax syntax, std::string_view type,
                                           std::size_t label_count) {
  Views views;
  for (const Item& item : body.items) {
    if (const auto* block = std::get_if<Block>(&item)) {
      if (block->type != type) continue;
      if (auto added = add_native_block(*block, label_count, views); !added) return added.error();
      continue;
    }
    const Attribute& attribute = std::get<Attribute>(item);
    if (attribute.name != type) continue;
    if (syntax == Syntax::native) {
      if (label_count == 0) add_native_object_attribute(attribute, views);
      continue;
    }
    auto added = add_json_level(attribute.name, attribute.value, {}, label_count, views);
    if (!added) return added.error();
  }
  return views;
}

}  // namespace baton::config::hcl
