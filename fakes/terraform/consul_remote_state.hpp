#pragma once
// ConsulRemoteState: a workspace's Terraform state in Consul KV at its state path, read and
// written as Terraform's remote.State does through the consul backend's RemoteClient
// (hashicorp/terraform internal/backend/remote-state/consul/client.go Get/Put): one key, the
// write a one-operation transaction, a CAS against the ModifyIndex last read ("set" when
// nothing was read), so a state changed behind Terraform's back fails the write.
//
// The document is Terraform's state format version 4 with its serial and lineage, and no
// resources: the fake's infrastructure lives in TerraformWorld, where the checkers read it.
// It is written as plain JSON, as with `gzip = false` (Terraform reads either).
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>

#include "engine/async/task.hpp"
#include "engine/consul/client.hpp"
#include "engine/random/rng.hpp"

namespace baton::fakes::terraform {

class ConsulRemoteState {
 public:
  ConsulRemoteState(baton::consul::ConsulClient& consul, std::string state_path, std::string terraform_version)
      : consul_(consul), state_path_(std::move(state_path)), terraform_version_(std::move(terraform_version)) {}

  // RefreshState: reads the stored state; nullopt on success, else the error text.
  Task<std::optional<std::string>> refresh(std::stop_token stop);
  // Whether the last refresh found a state.
  bool exists() const { return modify_index_ != 0; }
  std::uint64_t serial() const { return serial_; }
  const std::string& lineage() const { return lineage_; }

  // PersistState: writes the next snapshot (serial + 1; a new lineage for a new state, drawn
  // from `rng`). nullopt on success, else the error text ("consul CAS failed with transaction
  // errors: ..." when the state changed since it was read).
  Task<std::optional<std::string>> persist(Rng& rng);

 private:
  std::string document() const;

  baton::consul::ConsulClient& consul_;
  std::string state_path_;
  std::string terraform_version_;
  std::uint64_t modify_index_ = 0;
  std::uint64_t serial_ = 0;
  std::string lineage_;
};

// A version 4 UUID as Go's hashicorp/go-uuid prints one, from `rng`.
std::string uuid_from(Rng& rng);

}  // namespace baton::fakes::terraform
