#pragma once
// HCL1's native syntax (hcl/parser/parser.go), as CTS reads .hcl files through hcl.Decode:
//
//   file   = items
//   items  = { item [","] }                  commas between items are optional
//   item   = key "=" value                   an Attribute
//          | key { key } "{" items "}"       a Block: type, then labels
//   key    = identifier | string
//   value  = number | float | bool | string | heredoc
//          | "{" items "}"                   an object: a Body, which may hold blocks too
//          | "[" [ element { "," } ] "]"     see list quirks below
//
// Quirks kept because HCL1 accepts them: no newline is needed between items (`a = 1 b = 2`);
// labels may be bare identifiers (`storage consul {}`); in a list, commas may lead or repeat
// (`[, 1,, 2]`) and a nested list needs no comma after it (`[[1] [2]]`).
// Deliberately refused although HCL1 accepts them, because HCL1 silently drops data there:
// `a =` at the end of the file (the attribute vanishes), and, inside a block or object, any
// error whose offending token is a '}' (`x { a = }`, `x { l = [1 }`): HCL1 swallows the
// error, drops the item and closes the block at the next '}'. README.md has the full list.
#include <string_view>

#include "engine/config/hcl/document.hpp"
#include "engine/config/hcl/error.hpp"

namespace baton::config::hcl {

// Parses HCL1 native syntax. `text` is the file's content as read (CRLF allowed); `file` is
// only used in positions. Never throws for bad input; recursion is bounded by
// kMaxNestingDepth.
Result<Body> parse_native_body(std::string_view file, std::string_view text);

}  // namespace baton::config::hcl
