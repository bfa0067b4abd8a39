// Consul answers the engine cannot read (garbage bodies, wrong types, a 200 with HTML) never
// crash it: the watcher and the election log, back off and retry, and carry on as soon as the
// answers make sense again.
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>

#include "engine/ha/leader_election.hpp"
#include "engine/watch/watcher.hpp"
#include "sim/runtime/sim_log.hpp"
#include "sim/runtime/world.hpp"
#include "tests/support/consul_client_support.hpp"
#include "tests/support/sim_time.hpp"

namespace baton {
namespace {

using baton::test::seconds;
using consul::test::consul_response;
using consul::test::ScriptedTransport;

class MalformedConsulTest : public ::testing::Test {
 protected:
  MalformedConsulTest() {
    node_.start([](sim::Node& self) -> Task<void> { co_await sleep_for(self, std::chrono::hours(24)); });
  }
  ~MalformedConsulTest() override { node_.crash(); }

  sim::World world_{sim::WorldOptions{.seed = 3}};
  sim::Node& node_ = world_.add_node({.name = "cts-01"});
  std::ostringstream log_text_;
  sim::SimLog log_{world_, sim::SimLogOptions{.out = &log_text_, .level = LogLevel::debug}};
  ScriptedTransport transport_;
  consul::ConsulClient client_{transport_};
};

TEST_F(MalformedConsulTest, TheWatcherBacksOffOnGarbageAndRecovers) {
  int answers = 0;
  transport_ = ScriptedTransport([&answers](const http::Request&) -> consul::TransportResult {
    ++answers;
    if (answers <= 3) return consul_response(200, "<html>not json</html>");
    if (answers <= 5) return consul_response(200, "[{\"Node\": 42}]");  // the wrong type
    return consul_response(200, "[]", "100");
  });
  watch::Watcher watcher(node_, client_, log_.logger_for(node_));
  auto api = watcher.watch(watch::HealthServiceDependency{"api", "", "", "", true});
  world_.run_for(seconds(60));
  EXPECT_GE(answers, 6);
  // Answered at once every time (a scripted Consul does not block): the rate limit keeps the
  // loop to one query per 50 ms.
  EXPECT_LE(answers, 60 * 20 + 10);
  EXPECT_EQ(api->version(), 1u) << "the first readable answer is the data";
  EXPECT_NE(log_text_.str().find("error querying Consul, retrying"), std::string::npos);
  watcher.stop();
}

TEST_F(MalformedConsulTest, TheElectionBacksOffOnGarbageAndNeverLeadsOnIt) {
  int answers = 0;
  transport_ = ScriptedTransport([&answers](const http::Request& request) -> consul::TransportResult {
    ++answers;
    if (request.target.rfind("/v1/session/create", 0) == 0) return consul_response(200, "{\"ID\": 7}", "");
    return consul_response(200, "garbage", "");
  });
  ha::LeaderElectionOptions options;
  options.cluster_name = "c";
  options.instance_id = "cts-01";
  options.parent_path = "consul-terraform-sync/c";
  ha::LeaderElection election(node_, client_, log_.logger_for(node_), options);
  std::stop_source stop;
  ha::TermBody body = [](ha::LeaderTerm, std::stop_token) -> Task<void> { co_return; };
  node_.scope().spawn(election.run(body, stop.get_token()));
  world_.run_for(seconds(120));
  EXPECT_GT(answers, 5);
  EXPECT_LT(answers, 200) << "backed off, not a hot loop";
  EXPECT_EQ(election.terms(), 0u);
  EXPECT_NE(log_text_.str().find("error creating session"), std::string::npos);
  stop.request_stop();
  world_.run_for(seconds(5));
}

}  // namespace
}  // namespace baton
