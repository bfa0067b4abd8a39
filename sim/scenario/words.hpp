#pragma once
// Small helpers for the parser's messages.
#include <string>
#include <string_view>
#include <vector>

namespace baton::sim::scenario {

// "text" in double quotes, as messages show what was written.
inline std::string quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

// "a, b, c".
inline std::string join(const std::vector<std::string_view>& words) {
  std::string out;
  for (std::string_view word : words) out += (out.empty() ? "" : ", ") + std::string(word);
  return out;
}

}  // namespace baton::sim::scenario
