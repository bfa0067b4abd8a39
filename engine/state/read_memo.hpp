#pragma once
// ReadMemo: the results of a pure reading function (text in, value or error out) kept by their
// input, per thread, so that reading the same text again costs a lookup and a copy.
//
// Why: every new leader reads every stored task definition (HCL) and event history (JSON)
// back from Consul KV. One production process does that once per leadership. The simulator
// runs many instances in one thread through hundreds of failovers a seed, nearly always over
// the same texts, and the reading was 4% of a swarm seed. Only pure functions belong here:
// what they return depends on the input text alone, so remembering it changes nothing but the
// time. Bounded: past kMaxEntries inputs it forgets everything and starts again.
#include <cstddef>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace baton::state {

template <class Result>
class ReadMemo {
 public:
  // read() must be pure: the same `input` always gives the same Result.
  template <class Read>
  Result get(const std::string& input, Read&& read) {
    const auto found = entries_.find(input);
    if (found != entries_.end()) return found->second;
    if (entries_.size() >= kMaxEntries) entries_.clear();
    return entries_.emplace(input, std::forward<Read>(read)()).first->second;
  }

 private:
  static constexpr std::size_t kMaxEntries = 256;
  std::map<std::string, Result> entries_;
};

// One input from several strings, unambiguously (each prefixed with its length).
inline std::string memo_input(std::initializer_list<std::string_view> parts) {
  std::string input;
  for (std::string_view part : parts) {
    input += std::to_string(part.size());
    input += ':';
    input += part;
  }
  return input;
}

}  // namespace baton::state
