// CTS-shaped log lines, stamped by the node's (virtual, possibly skewed) wall clock.
#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "engine/log/cts_formatter.hpp"
#include "engine/log/logger.hpp"
#include "sim/runtime/node.hpp"
#include "sim/runtime/sim_log.hpp"
#include "tests/support/sim_time.hpp"

namespace baton {
namespace {

using test::ms;

struct CapturedLog {
  std::ostringstream text;
  std::shared_ptr<spdlog::logger> output;

  explicit CapturedLog(CtsFormatOptions options) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(text);
    sink->set_formatter(std::make_unique<CtsFormatter>(options));
    output = std::make_shared<spdlog::logger>("cts-01", sink);
    output->set_level(spdlog::level::trace);
  }
};

TEST(Logger, WritesCtsShapedLinesWithTheRuntimeWallClock) {
  sim::World world;
  sim::Node& node = world.add_node({.name = "cts-01"});
  CapturedLog captured(CtsFormatOptions{});
  Logger ha = Logger(captured.output, node).named("ha");
  world.run_until(ms(1501));
  ha.info("acquired leadership lock", "id", "cts-01");
  EXPECT_EQ(captured.text.str(), "2026-01-01T00:00:01.501Z [INFO] ha: acquired leadership lock: id=cts-01\n");
}

TEST(Logger, WritesTheLocalZoneOffsetAsHclogDoes) {
  sim::World world;
  sim::Node& node = world.add_node({.name = "cts-01"});
  CapturedLog captured(CtsFormatOptions{.utc_offset_minutes = -7 * 60});
  Logger(captured.output, node).named("tasksmanager").error("error applying task", "task_name", "config-task");
  EXPECT_EQ(captured.text.str(), "2025-12-31T17:00:00.000-0700 [ERROR] tasksmanager: error applying task: task_name=config-task\n");
}

TEST(Logger, QuotesValuesWithSpacesAndNestsModuleNames) {
  sim::World world;
  sim::Node& node = world.add_node({.name = "cts-01"});
  CapturedLog captured(CtsFormatOptions{});
  Logger compat = Logger(captured.output, node).named("ha").named("compat");
  compat.error("compatibility check failed", "error", "stat ./example-module: no such file or directory", "count", 2);
  compat.warn("no pairs");
  EXPECT_EQ(captured.text.str(),
            "2026-01-01T00:00:00.000Z [ERROR] ha.compat: compatibility check failed: "
            "error=\"stat ./example-module: no such file or directory\" count=2\n"
            "2026-01-01T00:00:00.000Z [WARN] ha.compat: no pairs\n");
}

// go-hclog v1.6.3 (intlogger.go): a value holding a newline goes on lines of its own after the
// others, each prefixed "  | ", its last empty line dropped; CTS's -inspect prints plans so.
TEST(Logger, LogLinesKeepTheirLinesAsHclogWritesThem) {
  sim::World world;
  sim::Node& node = world.add_node({.name = "cts-01"});
  CapturedLog captured(CtsFormatOptions{});
  Logger ctrl = Logger(captured.output, node).named("ctrl");
  ctrl.info("inspection results", "task_name", "web", "plan", LogLines{"\nPlan: 1 to add.\n\nDone\n"});
  ctrl.info("inspection results", "task_name", "off", "plan", LogLines{"Task is disabled, inspection was skipped."});
  EXPECT_EQ(captured.text.str(),
            "2026-01-01T00:00:00.000Z [INFO] ctrl: inspection results: task_name=web\n"
            "  plan=\n"
            "  | \n"
            "  | Plan: 1 to add.\n"
            "  | \n"
            "  | Done\n"
            "  \n"
            "2026-01-01T00:00:00.000Z [INFO] ctrl: inspection results: task_name=off "
            "plan=\"Task is disabled, inspection was skipped.\"\n");
}

TEST(Logger, LevelsBelowTheThresholdAreDropped) {
  sim::World world;
  sim::Node& node = world.add_node({.name = "cts-01"});
  CapturedLog captured(CtsFormatOptions{});
  captured.output->set_level(spdlog::level::info);
  Logger log(captured.output, node);
  log.debug("hidden");
  log.trace("hidden");
  log.info("shown");
  EXPECT_EQ(captured.text.str(), "2026-01-01T00:00:00.000Z [INFO] shown\n");
}

TEST(SimLog, PrefixesTheNodeNameUsesItsSkewedClockAndFeedsTheTrace) {
  sim::World world;
  sim::Node& node = world.add_node({.name = "cts-02", .clock = {.wall_start_unix_ns = 1'661'271'909'000'000'000}});
  std::ostringstream printed;
  sim::SimLog logs(world, sim::SimLogOptions{.out = &printed});
  node.step_wall_clock(ms(501));
  logs.logger_for(node).named("ha").info("acquired leadership lock", "id", "cts-02");
  EXPECT_EQ(printed.str(), "cts-02 2022-08-23T16:25:09.501Z [INFO] ha: acquired leadership lock: id=cts-02\n");
  const sim::TraceRecord& last = world.trace().records().back();
  EXPECT_EQ(last.kind, sim::TraceKind::log);
  EXPECT_EQ(last.node, "cts-02");
  EXPECT_EQ(last.detail, "ha: acquired leadership lock: id=cts-02");
}

}  // namespace
}  // namespace baton
