#include "sim/runtime/sim_log.hpp"

#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/ostream_sink.h>

#include "engine/log/cts_formatter.hpp"

namespace baton::sim {
namespace {

// Records each line in the trace at the true time it was written.
class TraceSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 public:
  explicit TraceSink(World& world) : world_(world) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    const auto level = spdlog::level::to_string_view(message.level);
    world_.trace().add(world_.now_ns(), TraceKind::log, std::string_view(message.logger_name.data(), message.logger_name.size()),
                       std::string_view(level.data(), level.size()),
                       std::string_view(message.payload.data(), message.payload.size()));
  }
  void flush_() override {}

 private:
  World& world_;
};

}  // namespace

SimLog::SimLog(World& world, SimLogOptions options) : options_(options) {
  if (options_.out != nullptr) {
    auto printed = std::make_shared<spdlog::sinks::ostream_sink_st>(*options_.out, /*force_flush=*/false);
    printed->set_formatter(std::make_unique<CtsFormatter>(CtsFormatOptions{.utc_offset_minutes = 0, .prefix_process_name = true}));
    sinks_.push_back(std::move(printed));
  }
  sinks_.push_back(std::make_shared<TraceSink>(world));
}

Logger SimLog::logger_for(Node& node) const {
  auto output = std::make_shared<spdlog::logger>(std::string(node.name()), sinks_.begin(), sinks_.end());
  output->set_level(to_spdlog_level(options_.level));
  return Logger(std::move(output), node);
}

}  // namespace baton::sim
