#pragma once
// Config.Merge (CTS v0.9.0 config/*.go Merge methods): `later` over `earlier`, as when several
// -config-file / -config-dir files are read. Set scalars replace; blocks merge field by field;
// tasks, services and terraform_provider blocks accumulate; backend and required_providers
// merge by key (a backend's arguments merge too).
#include "engine/config/cts/config.hpp"

namespace baton::config::cts {

Config merge(const Config& earlier, const Config& later);

}  // namespace baton::config::cts
