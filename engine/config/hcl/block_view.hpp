#pragma once
// Blocks as a schema asks for them ("the task blocks", "the condition block with one label"),
// whichever syntax wrote them. The parsers cannot decide this alone: in JSON a block and a map
// attribute look the same, and HCL1 decodes `consul { }` and `consul = { }` alike.
//
// For a block type with N labels:
// - native syntax: every Block of that type (with exactly N labels, else an error naming the
//   block), and, when N is 0, every attribute of that name whose value is an object or a list
//   of objects: HCL1 decodes those exactly like blocks.
// - JSON: every member of that name. Its value is an object or an array of them; each object
//   is, while labels remain, a map from label to the next level (which may again be an array),
//   and after N levels a block body. This is HCL2's JSON mapping and matches CTS's JSON form:
//     "task": [ { ... }, { ... } ]                  two task blocks
//     "condition": { "services": { ... } }          condition "services" { ... }
//     "driver": { "terraform": { ... } }            driver "terraform" { ... }
//
// The views point into the File's Body: they live as long as it does.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/hcl/document.hpp"
#include "engine/config/hcl/error.hpp"
#include "engine/config/hcl/parse.hpp"

namespace baton::config::hcl {

struct BlockView {
  std::string type;
  Position position;  // the block's type (native), or its body object's '{' (JSON)
  std::vector<Label> labels;
  const Body* body = nullptr;
  Syntax syntax = Syntax::native;  // how the body's own blocks are written
};

// The blocks of `type` in `body`, in source order.
Result<std::vector<BlockView>> find_blocks(const Body& body, Syntax syntax, std::string_view type,
                                           std::size_t label_count);

}  // namespace baton::config::hcl
