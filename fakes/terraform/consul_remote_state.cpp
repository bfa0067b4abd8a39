#include "fakes/terraform/consul_remote_state.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "fakes/terraform/go_errors.hpp"

namespace baton::fakes::terraform {

std::string uuid_from(Rng& rng) {
  const std::uint64_t high = rng.next_u64();
  const std::uint64_t low = rng.next_u64();
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xffff, high & 0xffff,
                     low >> 48, low & 0xffffffffffffULL);
}

Task<std::optional<std::string>> ConsulRemoteState::refresh(std::stop_token stop) {
  std::string key = state_path_;
  const baton::consul::QueryOptions now;
  auto read = co_await consul_.kv_get(std::move(key), now, stop);
  if (!read.ok()) co_return consul_api_error_text(read.error());
  const std::optional<baton::consul::KvPair>& pair = read.value().value;
  if (!pair) {
    modify_index_ = 0;
    co_return std::nullopt;
  }
  modify_index_ = pair->modify_index;
  // Another writer's gzip or foreign document: keep the index for the CAS, start the count over.
  const nlohmann::json state = nlohmann::json::parse(pair->value, nullptr, /*allow_exceptions=*/false);
  if (state.is_object()) {
    serial_ = state.value("serial", std::uint64_t(0));
    lineage_ = state.value("lineage", std::string());
  }
  co_return std::nullopt;
}

std::string ConsulRemoteState::document() const {
  nlohmann::ordered_json state;
  state["version"] = 4;
  state["terraform_version"] = terraform_version_;
  state["serial"] = serial_;
  state["lineage"] = lineage_;
  state["outputs"] = nlohmann::ordered_json::object();
  state["resources"] = nlohmann::ordered_json::array();
  state["check_results"] = nullptr;
  return state.dump(2) + "\n";
}

Task<std::optional<std::string>> ConsulRemoteState::persist(Rng& rng) {
  if (lineage_.empty()) lineage_ = uuid_from(rng);
  ++serial_;
  baton::consul::TxnOp write = modify_index_ == 0 ? baton::consul::TxnOp::set(state_path_, document())
                                           : baton::consul::TxnOp::cas(state_path_, document(), modify_index_);
  std::vector<baton::consul::TxnOp> ops;
  ops.push_back(std::move(write));
  const std::stop_token never;  // a stopping Terraform still saves what it did
  auto written = co_await consul_.txn(std::move(ops), never);
  if (!written.ok()) co_return consul_api_error_text(written.error());
  if (const auto* rolled_back = std::get_if<baton::consul::TxnRolledBack>(&written.value())) {
    std::string what;
    for (const baton::consul::TxnError& error : rolled_back->errors) what += error.what;
    co_return "consul CAS failed with transaction errors: " + what;
  }
  const auto& results = std::get<baton::consul::TxnCommitted>(written.value()).results;
  if (results.size() != 1) co_return fmt::format("expected on 1 response value, got: {}", results.size());
  modify_index_ = results.front().kv.modify_index;
  co_return std::nullopt;
}

}  // namespace baton::fakes::terraform
