#pragma once
// A Config as HCL text: for baton to show its effective configuration, and for tests, which
// check that decode_config_file(print_config(c)) == c.
//
// Everything a Config holds prints, but a few decoded values have no HCL spelling that decodes
// back to themselves; all come from JSON files or are CTS quirks:
// - a single task, service or terraform_provider block that is entirely empty (HCL's `task {}`
//   decodes to no task at all in CTS, see README.md);
// - inside Go values (backend, required_providers, provider arguments): a one-element list
//   (HCL's decoding unwraps it), JSON null, and strings whose `${` is not closed;
// - a terraform_provider entry without exactly one label holding a map prints in list form.
#include <string>

#include "engine/config/cts/config.hpp"

namespace baton::config::cts {

std::string print_config(const Config& config);

}  // namespace baton::config::cts
