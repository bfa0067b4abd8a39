#include "sim/run/timeline.hpp"

#include <map>

namespace baton::sim::run {

namespace {

bool contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

// "task=web id=3 outcome=succeeded" -> the value of `key`.
std::string field(const std::string& detail, const std::string& key) {
  const std::string marker = key + "=";
  std::size_t at = detail.find(marker);
  while (at != std::string::npos && at != 0 && detail[at - 1] != ' ') at = detail.find(marker, at + 1);
  if (at == std::string::npos) return {};
  const std::size_t start = at + marker.size();
  return detail.substr(start, detail.find(' ', start) - start);
}

class Builder {
 public:
  Builder(const std::set<std::string>& instances, std::int64_t end_ns) : instances_(instances) { timeline_.end_ns = end_ns; }

  void add(const TraceRecord& record) {
    switch (record.kind) {
      case TraceKind::fault: on_fault(record); break;
      case TraceKind::log: on_log(record); break;
      case TraceKind::state: on_state(record); break;
      default: break;
    }
  }

  // A leader still paused when the run ends has been frozen since its pause: that span did
  // nothing either (else a leader paused for good would count as acting to the end).
  Timeline finish() {
    for (const auto& [instance, since] : paused_since_) {
      if (LeaderTermRecord* term = open_term(instance); term != nullptr) term->paused.emplace_back(since, timeline_.end_ns);
    }
    return std::move(timeline_);
  }

 private:
  LeaderTermRecord* open_term(const std::string& instance) {
    const auto found = open_.find(instance);
    return found == open_.end() ? nullptr : &timeline_.terms[found->second];
  }

  void end_term(const std::string& instance, std::int64_t at_ns, const char* reason) {
    LeaderTermRecord* term = open_term(instance);
    if (term == nullptr) return;
    if (paused_since_.count(instance)) term->paused.emplace_back(paused_since_[instance], at_ns);
    term->ended_ns = at_ns;
    term->end_reason = reason;
    open_.erase(instance);
  }

  void on_fault(const TraceRecord& record) {
    timeline_.faults.push_back(FaultRecord{record.at_ns, record.node, record.name, record.detail});
    if (!instances_.count(record.node)) return;
    if (record.name == "crash" || record.name == "exit") {
      end_term(record.node, record.at_ns, record.name == "crash" ? "crash" : "exit");
      paused_since_.erase(record.node);
    } else if (record.name == "pause") {
      paused_since_[record.node] = record.at_ns;
    } else if (record.name == "resume") {
      if (LeaderTermRecord* term = open_term(record.node); term != nullptr && paused_since_.count(record.node)) {
        term->paused.emplace_back(paused_since_[record.node], record.at_ns);
      }
      paused_since_.erase(record.node);
    }
  }

  void on_log(const TraceRecord& record) {
    timeline_.logs.push_back(LogLine{record.at_ns, record.node, record.name, record.detail});
    if (!instances_.count(record.node)) return;
    const std::string& text = record.detail;
    if (contains(text, "acquired leadership lock")) {
      end_term(record.node, record.at_ns, "lost the lock");
      open_[record.node] = timeline_.terms.size();
      timeline_.terms.push_back(LeaderTermRecord{record.node, record.at_ns, {}, {}, {}, {}});
    } else if (contains(text, "once-mode done")) {
      if (LeaderTermRecord* term = open_term(record.node); term != nullptr && !term->once_mode_done_ns) {
        term->once_mode_done_ns = record.at_ns;
      }
    } else if (contains(text, "releasing leadership lock") || contains(text, "released leadership lock")) {
      end_term(record.node, record.at_ns, "released");
    } else if (contains(text, "lease expired")) {
      end_term(record.node, record.at_ns, "lease expired");
    } else if (contains(text, "lost leadership lock")) {
      end_term(record.node, record.at_ns, "lost the lock");
    }
  }

  void on_state(const TraceRecord& record) {
    if (record.name == "consul.session.expired") {
      timeline_.session_expiries.push_back(SessionExpiry{record.at_ns, record.node, field(record.detail, "name")});
    } else if (record.name == "terraform.apply.start") {
      apply_index_[field(record.detail, "id")] = timeline_.applies.size();
      timeline_.applies.push_back(ApplyEvent{record.at_ns, {}, record.node, field(record.detail, "task"), {}});
    } else if (record.name == "terraform.apply.end") {
      const auto found = apply_index_.find(field(record.detail, "id"));
      if (found == apply_index_.end()) return;
      ApplyEvent& apply = timeline_.applies[found->second];
      apply.end_ns = record.at_ns;
      apply.outcome = field(record.detail, "outcome");
    } else if (record.name == "exit" && instances_.count(record.node)) {
      end_term(record.node, record.at_ns, "exit");
    }
  }

  const std::set<std::string>& instances_;
  Timeline timeline_;
  std::map<std::string, std::size_t> open_;          // instance -> index of its open term
  std::map<std::string, std::int64_t> paused_since_;  // instance -> when its pause began
  std::map<std::string, std::size_t> apply_index_;    // ledger id -> index in applies
};

}  // namespace

Timeline build_timeline(const std::vector<TraceRecord>& records, const std::set<std::string>& instances, std::int64_t end_ns) {
  Builder builder(instances, end_ns);
  for (const TraceRecord& record : records) builder.add(record);
  return builder.finish();
}

std::string session_owner(const std::string& session_name, const std::set<std::string>& instances) {
  for (const std::string& instance : instances) {
    const std::string suffix = "-" + instance;
    if (session_name.size() > suffix.size() && session_name.compare(session_name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return instance;
    }
  }
  return {};
}

}  // namespace baton::sim::run
