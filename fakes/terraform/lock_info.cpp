#include "fakes/terraform/lock_info.hpp"

#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

namespace baton::fakes::terraform {

std::string LockInfo::to_json() const {
  nlohmann::ordered_json document;
  document["ID"] = id;
  document["Operation"] = operation;
  document["Info"] = info;
  document["Who"] = who;
  document["Version"] = version;
  document["Created"] = created;
  document["Path"] = path;
  return document.dump();
}

std::string LockInfo::to_text() const {
  return fmt::format(
      "Lock Info:\n"
      "  ID:        {}\n"
      "  Path:      {}\n"
      "  Operation: {}\n"
      "  Who:       {}\n"
      "  Version:   {}\n"
      "  Created:   {}\n"
      "  Info:      {}\n",
      id, path, operation, who, version, go_time_string_from_rfc3339(created), info);
}

std::optional<LockInfo> parse_lock_info(std::string_view json) {
  const nlohmann::json document = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) return std::nullopt;
  auto text = [&](const char* field) {
    auto found = document.find(field);
    return found != document.end() && found->is_string() ? found->get<std::string>() : std::string();
  };
  return LockInfo{.id = text("ID"),
                  .operation = text("Operation"),
                  .info = text("Info"),
                  .who = text("Who"),
                  .version = text("Version"),
                  .created = text("Created"),
                  .path = text("Path")};
}

std::string go_rfc3339_nano(WallTime time) {
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day date(day);
  const std::chrono::hh_mm_ss<std::chrono::nanoseconds> clock(time - day);
  std::string fraction;
  if (const auto nanos = clock.subseconds().count(); nanos != 0) {
    fraction = fmt::format(".{:09d}", nanos);
    while (fraction.back() == '0') fraction.pop_back();
  }
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}{}Z", int(date.year()), unsigned(date.month()),
                     unsigned(date.day()), clock.hours().count(), clock.minutes().count(), clock.seconds().count(),
                     fraction);
}

std::string go_time_string_from_rfc3339(std::string_view rfc3339) {
  // Terraform writes Created in UTC ("...Z"); an unexpected shape is shown as it is.
  if (rfc3339.size() < 20 || rfc3339[10] != 'T' || rfc3339.back() != 'Z') return std::string(rfc3339);
  std::string text(rfc3339.substr(0, rfc3339.size() - 1));
  text[10] = ' ';
  return text + " +0000 UTC";
}

}  // namespace baton::fakes::terraform
