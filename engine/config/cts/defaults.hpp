#pragma once
// config.go DefaultConfig: what BuildConfig merges the files onto. Not everything has its
// default here: most defaults arrive later, in finalize() (finalize.hpp), as in CTS.
#include "engine/config/cts/config.hpp"

namespace baton::config::cts {

Config default_config();

}  // namespace baton::config::cts
