#pragma once
// The spdlog formatter that gives lines CTS's (hclog's) shape:
//   [process ]2022-08-23T09:25:09.501-0700 [INFO] ha: message: key=value
// The optional process prefix names the node when many share one output (the simulator).
#include <spdlog/formatter.h>

#include <memory>

namespace baton {

struct CtsFormatOptions {
  // Minutes east of UTC the timestamps are written in; 0 writes "Z" as hclog does for UTC.
  int utc_offset_minutes = 0;
  // Write the spdlog logger's name (the node) before each line.
  bool prefix_process_name = false;
};

class CtsFormatter final : public spdlog::formatter {
 public:
  explicit CtsFormatter(CtsFormatOptions options) : options_(options) {}
  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& out) override;
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<CtsFormatter>(options_);
  }

 private:
  CtsFormatOptions options_;
};

}  // namespace baton
