#pragma once
// One configuration file into a Config, as CTS v0.9.0's config.go decodeConfig does it: parse
// (hcl/parse.hpp), build the Go map CTS hands to mapstructure (hcl/go_value.hpp), decode it
// (mapstructure.hpp), then refuse keys nothing used ("'<file>' has invalid keys: ...").
// Nothing is defaulted here: an absent key stays unset.
#include <string_view>

#include "engine/config/cts/config.hpp"
#include "engine/config/hcl/error.hpp"

namespace baton::config::cts {

using hcl::Error;
using hcl::Result;

// `name` is the path the caller read the file from; errors carry it as their file, and the
// "has invalid keys" message names its base name, as CTS does. A `.json` name is read as JSON
// (encoding/json and mapstructure without HCL's hooks), anything else as HCL.
Result<Config> decode_config_file(std::string_view name, std::string_view text);

}  // namespace baton::config::cts
