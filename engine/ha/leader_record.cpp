#include "engine/ha/leader_record.hpp"

#include <nlohmann/json.hpp>

namespace baton::ha {

std::string encode_leader_value(const LeaderRecord& record) {
  nlohmann::ordered_json value;
  value["id"] = record.id;
  value["address"] = record.address;
  if (record.port != 0) value["port"] = record.port;
  return value.dump();
}

std::optional<LeaderRecord> decode_leader_value(const std::string& value) {
  const nlohmann::json parsed = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return std::nullopt;
  const auto id = parsed.find("id");
  if (id == parsed.end() || !id->is_string()) return std::nullopt;
  LeaderRecord record;
  record.id = id->get<std::string>();
  const auto address = parsed.find("address");
  if (address != parsed.end() && address->is_string()) record.address = address->get<std::string>();
  const auto port = parsed.find("port");
  if (port != parsed.end() && port->is_number_unsigned() && port->get<std::uint64_t>() <= 65535) {
    record.port = static_cast<std::uint16_t>(port->get<std::uint64_t>());
  }
  return record;
}

}  // namespace baton::ha
