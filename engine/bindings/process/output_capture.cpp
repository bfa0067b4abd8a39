#include "engine/bindings/process/output_capture.hpp"

#include <algorithm>

namespace baton {

void OutputCapture::append(std::string_view data, const LineSink& on_line) {
  keep(data);
  while (!data.empty()) {
    const std::size_t room = kLongestLineBytes - partial_line_.size();
    const std::size_t line_break = data.substr(0, room).find('\n');
    if (line_break != std::string_view::npos) {
      partial_line_.append(data.substr(0, line_break));
      deliver(partial_line_, on_line);
      partial_line_.clear();
      data.remove_prefix(line_break + 1);
      continue;
    }
    const std::size_t taken = std::min(room, data.size());
    partial_line_.append(data.substr(0, taken));
    data.remove_prefix(taken);
    if (partial_line_.size() == kLongestLineBytes) {
      deliver(partial_line_, on_line);
      partial_line_.clear();
    }
  }
}

void OutputCapture::finish(const LineSink& on_line) {
  if (partial_line_.empty()) return;
  deliver(partial_line_, on_line);
  partial_line_.clear();
}

std::string OutputCapture::kept() const {
  if (kept_.size() <= max_bytes_) return kept_;
  return kept_.substr(kept_.size() - max_bytes_);
}

void OutputCapture::keep(std::string_view data) {
  kept_.append(data);
  if (kept_.size() > max_bytes_) truncated_ = true;
  if (kept_.size() > 2 * max_bytes_) kept_.erase(0, kept_.size() - max_bytes_);
}

void OutputCapture::deliver(std::string_view line, const LineSink& on_line) const {
  if (on_line) on_line(stream_, line);
}

}  // namespace baton
