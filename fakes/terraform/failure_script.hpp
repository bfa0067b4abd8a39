#pragma once
// FailureScript: the Terraform failures a scenario injects ("Terraform failures from a point
// on"), shared by every instance's FakeTerraform. A rule picks steps by kind, task, instance and
// true time, for a number of steps or for good; the first matching rule, in the order they were
// added, decides what the step does.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baton::fakes::terraform {

enum class TerraformStep { init, validate, apply, plan };
const char* to_string(TerraformStep step);

enum class FailureMode {
  // Terraform reports an error before changing anything (a provider refusing credentials, an
  // API down during refresh): the infrastructure is as it was.
  fail_before_change,
  // Terraform reports an error after some of its changes were made (one resource of several
  // failed): the infrastructure is partially updated. Steps other than apply change nothing,
  // so for them it is fail_before_change.
  fail_after_partial_change,
  // Terraform never returns by itself (a provider stuck on an API call) until it is cancelled:
  // the step ends only by its stop token, or by the caller's crash.
  hang,
};
const char* to_string(FailureMode mode);

struct FailureRule {
  FailureMode mode = FailureMode::fail_before_change;
  TerraformStep step = TerraformStep::apply;
  std::string task;      // empty: every task
  std::string instance;  // the instance's (node's) name; empty: every instance
  // The rule covers steps that start in [from_true_ns, until_true_ns) of true virtual time, ns.
  std::int64_t from_true_ns = 0;
  std::int64_t until_true_ns = INT64_MAX;
  // How many matching steps it fails, then it is spent; nullopt: every one in its window.
  std::optional<std::uint32_t> times;
  // Terraform's "Error:" summary and detail; empty: a default that names the injection.
  std::string summary;
  std::string detail;
};

using FailureRuleId = std::uint64_t;

// What a matching rule asks of one step.
struct InjectedFailure {
  FailureRuleId rule = 0;
  FailureMode mode = FailureMode::fail_before_change;
  std::string summary;
  std::string detail;
};

class FailureScript {
 public:
  FailureRuleId add(FailureRule rule);
  // False when no such rule is left (removed, or spent).
  bool remove(FailureRuleId id);
  void clear() { rules_.clear(); }
  std::size_t size() const { return rules_.size(); }

  // The failure for a `step` of `task` on `instance` starting at `now_true_ns`, if a rule
  // matches; a counted rule spends one use.
  std::optional<InjectedFailure> take(TerraformStep step, std::string_view task, std::string_view instance,
                                      std::int64_t now_true_ns);

 private:
  struct Entry {
    FailureRuleId id;
    FailureRule rule;
  };
  static bool matches(const FailureRule& rule, TerraformStep step, std::string_view task, std::string_view instance,
                      std::int64_t now_true_ns);
  static std::string default_summary(FailureMode mode, TerraformStep step);

  std::vector<Entry> rules_;
  FailureRuleId next_id_ = 1;
};

}  // namespace baton::fakes::terraform
