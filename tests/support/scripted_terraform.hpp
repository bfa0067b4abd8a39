#pragma once
// A Terraform (the TerraformClient port) that answers from a script, in virtual time: each step
// takes `step_time`, answers from its queue (success once empty), and is remembered with the
// time it started.
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "engine/async/wait.hpp"
#include "engine/driver/terraform/terraform_client.hpp"

namespace baton::driver::terraform::test {

using namespace std::chrono_literals;

// A Terraform that takes `step_time` per step and answers each step from its queue of results
// (success once the queue is empty), remembering the calls in order.
class ScriptedTerraform final : public TerraformClient {
 public:
  explicit ScriptedTerraform(Runtime& runtime) : runtime_(runtime) {}

  Task<StepResult> init(const TerraformTarget& target, std::stop_token stop) override {
    co_return co_await step("init", target, stop);
  }
  Task<StepResult> validate(const TerraformTarget& target, std::stop_token stop) override {
    co_return co_await step("validate", target, stop);
  }
  Task<StepResult> apply(const TerraformTarget& target, std::stop_token stop) override {
    co_return co_await step("apply", target, stop);
  }
  Task<PlanResult> plan(const TerraformTarget& target, std::stop_token stop) override {
    StepResult result = co_await step("plan", target, stop);
    co_return PlanResult{result, result.ok() && plan_changes, result.ok() ? "Plan: 1 to add" : ""};
  }

  std::map<std::string, std::deque<StepResult>> scripted;  // step name -> next results
  std::vector<std::string> calls;
  std::vector<std::int64_t> call_times_ns;
  std::vector<std::string> workspaces;
  bool plan_changes = true;
  Duration step_time = 100ms;

 private:
  Task<StepResult> step(const std::string& name, const TerraformTarget& target, std::stop_token stop) {
    calls.push_back(name);
    call_times_ns.push_back(runtime_.now().time_since_epoch().count());
    workspaces.push_back(target.workspace);
    const WaitResult waited = co_await sleep_for(runtime_, step_time, stop);
    if (waited == WaitResult::cancelled) co_return StepResult{StepEnd::cancelled, "context canceled", {}};
    std::deque<StepResult>& queue = scripted[name];
    if (queue.empty()) co_return StepResult{StepEnd::succeeded, {}, {}};
    StepResult result = queue.front();
    queue.pop_front();
    co_return result;
  }

  Runtime& runtime_;
};


}  // namespace baton::driver::terraform::test
