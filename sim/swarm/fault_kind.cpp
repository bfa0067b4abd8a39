#include "sim/swarm/fault_kind.hpp"

#include <fmt/format.h>

namespace baton::sim::swarm {

std::string_view fault_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::crash: return "crash";
    case FaultKind::graceful_stop: return "graceful_stop";
    case FaultKind::pause: return "pause";
    case FaultKind::partition: return "partition";
    case FaultKind::consul_crash: return "consul_crash";
    case FaultKind::consul_partition: return "consul_partition";
    case FaultKind::link: return "link";
    case FaultKind::clock: return "clock";
    case FaultKind::terraform: return "terraform";
    case FaultKind::slow_apply: return "slow_apply";
    case FaultKind::api: return "api";
    case FaultKind::catalog: return "catalog";
  }
  return "?";
}

std::optional<FaultKind> fault_from_name(std::string_view name) {
  for (FaultKind kind : kAllFaultKinds) {
    if (fault_name(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string fault_list_text(const std::vector<FaultKind>& kinds) {
  std::string text;
  for (FaultKind kind : kinds) {
    if (!text.empty()) text += ',';
    text += fault_name(kind);
  }
  return text;
}

FaultList parse_fault_list(std::string_view text) {
  FaultList list;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view name = text.substr(start, comma - start);
    start = comma + 1;
    if (name.empty()) continue;
    const std::optional<FaultKind> kind = fault_from_name(name);
    if (!kind) {
      const std::vector<FaultKind> all(std::begin(kAllFaultKinds), std::end(kAllFaultKinds));
      list.error = fmt::format("--faults: unknown fault \"{}\" (known: {})", name, fault_list_text(all));
      return list;
    }
    list.kinds.push_back(*kind);
  }
  if (list.kinds.empty()) list.error = "--faults: the list names no fault";
  return list;
}

}  // namespace baton::sim::swarm
