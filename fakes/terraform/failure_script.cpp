#include "fakes/terraform/failure_script.hpp"

#include <algorithm>
#include <cassert>

namespace baton::fakes::terraform {

const char* to_string(TerraformStep step) {
  switch (step) {
    case TerraformStep::init: return "init";
    case TerraformStep::validate: return "validate";
    case TerraformStep::apply: return "apply";
    case TerraformStep::plan: return "plan";
  }
  return "unknown";
}

const char* to_string(FailureMode mode) {
  switch (mode) {
    case FailureMode::fail_before_change: return "fail_before_change";
    case FailureMode::fail_after_partial_change: return "fail_after_partial_change";
    case FailureMode::hang: return "hang";
  }
  return "unknown";
}

FailureRuleId FailureScript::add(FailureRule rule) {
  assert(rule.from_true_ns <= rule.until_true_ns);
  assert((!rule.times || *rule.times > 0) && "a rule for no step at all");
  const FailureRuleId id = next_id_++;
  rules_.push_back(Entry{id, std::move(rule)});
  return id;
}

bool FailureScript::remove(FailureRuleId id) {
  return std::erase_if(rules_, [id](const Entry& entry) { return entry.id == id; }) > 0;
}

bool FailureScript::matches(const FailureRule& rule, TerraformStep step, std::string_view task,
                            std::string_view instance, std::int64_t now_true_ns) {
  return rule.step == step && (rule.task.empty() || rule.task == task) &&
         (rule.instance.empty() || rule.instance == instance) && now_true_ns >= rule.from_true_ns &&
         now_true_ns < rule.until_true_ns;
}

std::string FailureScript::default_summary(FailureMode mode, TerraformStep step) {
  if (mode == FailureMode::fail_after_partial_change && step == TerraformStep::apply) {
    return "simulated provider error after a partial change";
  }
  return std::string("simulated provider error during ") + to_string(step);
}

std::optional<InjectedFailure> FailureScript::take(TerraformStep step, std::string_view task,
                                                   std::string_view instance, std::int64_t now_true_ns) {
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    FailureRule& rule = it->rule;
    if (!matches(rule, step, task, instance, now_true_ns)) continue;
    FailureMode mode = rule.mode;
    // Only an apply changes anything: any other step fails before a change.
    if (mode == FailureMode::fail_after_partial_change && step != TerraformStep::apply) {
      mode = FailureMode::fail_before_change;
    }
    InjectedFailure failure{.rule = it->id,
                            .mode = mode,
                            .summary = rule.summary.empty() ? default_summary(mode, step) : rule.summary,
                            .detail = rule.detail};
    if (rule.times && --*rule.times == 0) rules_.erase(it);
    return failure;
  }
  return std::nullopt;
}

}  // namespace baton::fakes::terraform
