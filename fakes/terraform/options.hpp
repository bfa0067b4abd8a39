#pragma once
// FakeTerraformOptions: every knob of the simulated Terraform, with its unit. The constants
// Terraform itself hardcodes (lock session TTL, lock-delay, lock wait) are in
// backend_constants.hpp, not here.
#include <cstdint>
#include <string>

namespace baton::fakes::terraform {

struct FakeTerraformOptions {
  // How long each step's own work takes, in milliseconds of the node's monotonic clock, drawn
  // uniformly in [min, max] from the node's random stream for every step. The Consul calls of
  // the state lock and the state come on top, at whatever the simulated network and Consul
  // make them cost.
  std::int64_t init_time_ms_min = 500;  // `terraform init` and the workspace
  std::int64_t init_time_ms_max = 2'000;
  std::int64_t validate_time_ms_min = 100;  // `terraform validate`
  std::int64_t validate_time_ms_max = 500;
  std::int64_t apply_time_ms_min = 2'000;  // `terraform apply`: refresh, plan and changes
  std::int64_t apply_time_ms_max = 6'000;
  std::int64_t plan_time_ms_min = 500;  // `terraform plan`: refresh and plan
  std::int64_t plan_time_ms_max = 2'000;

  // The part of an apply's time spent refreshing and planning before its first change, in
  // percent (0..100); the rest is spread evenly over its changes.
  std::uint32_t apply_refresh_percent = 30;

  // From the interrupt (the stop token firing) to SIGKILL, in milliseconds: an apply still
  // running then (stuck on a Consul call of its state lock or state, say) is killed, as
  // production's TerraformCli kills Terraform's process group (kill_grace, 10 s). A killed apply
  // sends nothing more; its state lock stays held until Consul invalidates the lock's session.
  std::int64_t kill_grace_ms = 10'000;

  // The consul backend's `path` when main.tf names none (or has no consul backend): CTS's
  // default kv_path, "consul-terraform-sync/terraform".
  std::string default_backend_path = "consul-terraform-sync/terraform";

  // What LockInfo says: Version, and Who as "<user>@<node name>".
  std::string terraform_version = "1.11.4";
  std::string user = "root";
};

}  // namespace baton::fakes::terraform
