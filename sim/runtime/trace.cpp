#include "sim/runtime/trace.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <ostream>

namespace baton::sim {

const char* to_string(TraceKind kind) {
  switch (kind) {
    case TraceKind::wake: return "wake";
    case TraceKind::fault: return "fault";
    case TraceKind::state: return "state";
    case TraceKind::message: return "message";
    case TraceKind::log: return "log";
    case TraceKind::check: return "check";
  }
  return "unknown";
}

void Trace::add(std::int64_t at_ns, TraceKind kind, std::string_view node, std::string_view name,
                std::string_view detail) {
  ++count_;
  mix(std::uint64_t(at_ns));
  mix(std::uint64_t(kind));
  mix(node);
  mix(name);
  mix(detail);
  if (keeps(kind)) {
    records_.push_back({at_ns, kind, std::string(node), std::string(name), std::string(detail)});
  }
}

void Trace::keep_wake(std::int64_t at_ns, std::string_view node, std::uint64_t sequence) {
  records_.push_back({at_ns, TraceKind::wake, std::string(node), "wake", fmt::format("seq={}", sequence)});
}

std::string Trace::digest_hex() const { return fmt::format("{:016x}", digest_); }

void Trace::write_jsonl(std::ostream& out) const {
  for (const TraceRecord& record : records_) {
    nlohmann::json line = {{"at_ns", record.at_ns},
                           {"kind", to_string(record.kind)},
                           {"node", record.node},
                           {"name", record.name},
                           {"detail", record.detail}};
    out << line.dump() << '\n';
  }
}

}  // namespace baton::sim
