#pragma once
// The position of a block that has no value of its own to carry one (a task, a provider).
// It never makes two configurations differ: equality of a Config is equality of its values.
#include "engine/config/hcl/position.hpp"

namespace baton::config::cts {

struct Where {
  hcl::Position position;
  friend bool operator==(const Where&, const Where&) { return true; }
};

}  // namespace baton::config::cts
