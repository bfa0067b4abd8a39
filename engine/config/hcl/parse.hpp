#pragma once
// The front door: a configuration file's name and text in, a File or an Error out. No I/O: the
// caller reads the file (engine code never touches the file system itself).
//
// Which syntax a file is read with follows CTS (config/config.go decodeConfig and fileFormat):
// - "*.json": Go's encoding/json (json_parser.hpp);
// - anything else, in practice "*.hcl": hcl.Decode, which looks at the first character that is
//   not white space (hcl/lex.go lexMode) and reads the file as JSON when it is '{', else as
//   HCL1 native syntax (native_parser.hpp). CTS itself skips files with other extensions; that
//   choice belongs to the loader, not here.
#include <string>
#include <string_view>

#include "engine/config/hcl/document.hpp"
#include "engine/config/hcl/error.hpp"

namespace baton::config::hcl {

enum class Syntax {
  native,  // HCL1 native syntax
  json,    // JSON: only the schema tells blocks from attributes (block_view.hpp)
};

struct File {
  std::string name;
  Syntax syntax = Syntax::native;
  Body body;
};

// By extension, as CTS chooses (see above).
Result<File> parse_config_file(std::string_view name, std::string_view text);

// hcl.Decode's choice between JSON and native syntax, by the first non-space character.
Result<File> parse_hcl(std::string_view name, std::string_view text);

// Always JSON.
Result<File> parse_json(std::string_view name, std::string_view text);

}  // namespace baton::config::hcl
