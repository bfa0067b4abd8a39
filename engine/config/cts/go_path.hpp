#pragma once
// Go's path.Clean and path.Join / filepath.Join on Unix, for the paths CTS derives: a task's
// working directory (<working_dir>/<task name>), the Terraform backend's KV path, the HA
// cluster's KV prefix.
#include <string>
#include <string_view>

namespace baton::config::cts {

std::string go_path_clean(std::string_view path);

// Joins the non-empty parts with '/' and cleans the result; "" when all are empty.
std::string go_path_join(std::string_view a, std::string_view b);

}  // namespace baton::config::cts
