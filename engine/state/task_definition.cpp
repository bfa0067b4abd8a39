#include "engine/state/task_definition.hpp"

#include "engine/config/cts/decode.hpp"
#include "engine/config/cts/printer.hpp"
#include "engine/config/cts/validate.hpp"
#include "engine/state/read_memo.hpp"

namespace baton::state {

namespace cts = config::cts;
namespace hcl = config::hcl;

std::string task_definition_text(const cts::TaskConfig& task) {
  cts::Config holder;
  holder.tasks.set({task});
  return cts::print_config(holder);
}

namespace {

hcl::Result<cts::TaskConfig> read_task_definition(const std::string& key, const std::string& text) {
  // Read as HCL: the decoder would choose JSON only for a name ending ".json", and task names
  // hold no dots.
  auto decoded = cts::decode_config_file(key, text);
  if (!decoded.ok()) return decoded.error();
  const cts::Config& config = decoded.value();
  const std::size_t tasks = config.tasks ? config.tasks->size() : 0;
  if (tasks != 1 || config != cts::Config{.tasks = config.tasks}) {
    return hcl::Error{key, 0, 0, key + ": a stored task definition must hold exactly one task block and nothing else"};
  }
  const cts::TaskConfig& task = config.tasks->front();
  if (std::optional<hcl::Error> invalid = cts::validate_task(task)) return *invalid;
  return task;
}

}  // namespace

hcl::Result<cts::TaskConfig> parse_task_definition(const std::string& key, const std::string& text) {
  thread_local ReadMemo<hcl::Result<cts::TaskConfig>> memo;
  return memo.get(memo_input({key, text}), [&] { return read_task_definition(key, text); });
}

}  // namespace baton::state
