#pragma once
// OutputCapture: what one output stream of a child has produced. It splits the bytes into lines
// for the LineSink as they arrive, and keeps the stream's last `max_bytes` for the result
// (engine/ports/process.hpp). No Asio here: the reading is asio_process.cpp's.
#include <cstddef>
#include <string>
#include <string_view>

#include "engine/ports/process.hpp"

namespace baton {

class OutputCapture {
 public:
  OutputCapture(OutputStream stream, std::size_t max_bytes) : stream_(stream), max_bytes_(max_bytes) {}

  // Takes the next bytes read; `on_line` (may be empty) gets each line they complete.
  void append(std::string_view data, const LineSink& on_line);
  // The stream has ended: a last line without a break still counts.
  void finish(const LineSink& on_line);

  // The last max_bytes of the stream.
  std::string kept() const;
  bool truncated() const { return truncated_; }

 private:
  void keep(std::string_view data);
  void deliver(std::string_view line, const LineSink& on_line) const;

  OutputStream stream_;
  std::size_t max_bytes_;
  // Grows to twice max_bytes_ before its front is cut, so that keeping costs amortized O(1).
  std::string kept_;
  std::string partial_line_;
  bool truncated_ = false;
};

}  // namespace baton
