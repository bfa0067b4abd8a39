#pragma once
// high_availability { ... }: CTS Enterprise's block (closed source; fields as documented in
// "Run Consul-Terraform-Sync with high availability" and CTS's configuration reference), plus
// two knobs of ours that CTS keeps to itself (shared/DESIGN.md, "High availability"):
//
//   high_availability {
//     cluster {
//       name = "cts-cluster"              # required
//       storage "consul" {
//         parent_path    = "cts"          # default "consul-terraform-sync/"; the cluster name is appended
//         namespace      = "ns"           # default "default" (Consul Enterprise namespaces)
//         session_ttl    = "30s"          # default "15s"; Consul accepts 10s..24h
//         renew_interval = "15s"          # ours: default session_ttl / 2
//         lock_delay     = "0s"           # ours: default "0s"
//       }
//     }
//     instance {
//       address = "cts-01.example.com"    # optional: what followers redirect clients to
//     }
//   }
//
// Why those defaults keep CTS's documented failover window [session_ttl, 2 x session_ttl]:
// Consul expires a session 2 x TTL after its last renewal, so after a leader's crash the lock
// frees between 2 x TTL - renew_interval and 2 x TTL after the crash; any lock-delay would be
// added on top. The leader fences itself on its own clock (a lease of one TTL from each renewal,
// long before Consul can give the lock away), which is the protection a lock-delay buys.
#include <string>

#include "engine/config/cts/opt.hpp"
#include "engine/ports/time.hpp"

namespace baton::config::cts {

inline constexpr const char* kDefaultHaParentPath = "consul-terraform-sync/";
inline constexpr const char* kDefaultHaNamespace = "default";
inline constexpr Duration kDefaultSessionTtl = std::chrono::seconds(15);
inline constexpr Duration kDefaultLockDelay = Duration::zero();
// Consul's bounds on a session TTL: its agent's session_ttl_min (10s unless configured lower,
// which fake-consul's -session-ttl-min and tests do), and the fixed maximum. Only the maximum
// is checked here: below the minimum, Consul's own refusal at session creation is the error.
inline constexpr Duration kConsulSessionTtlMin = std::chrono::seconds(10);
inline constexpr Duration kConsulSessionTtlMax = std::chrono::hours(24);
// Consul caps a session's LockDelay here (structs.MaxLockDelay).
inline constexpr Duration kConsulLockDelayMax = std::chrono::seconds(60);

struct ConsulStorageConfig {
  Opt<std::string> parent_path;
  Opt<std::string> namespace_name;  // key `namespace`
  Opt<Duration> session_ttl;
  Opt<Duration> renew_interval;
  Opt<Duration> lock_delay;
  friend bool operator==(const ConsulStorageConfig&, const ConsulStorageConfig&) = default;
};

// storage "<type>": "consul" is the only type, so it is a field, like driver "terraform".
struct StorageConfig {
  Opt<ConsulStorageConfig> consul;
  friend bool operator==(const StorageConfig&, const StorageConfig&) = default;
};

struct ClusterConfig {
  Opt<std::string> name;
  Opt<StorageConfig> storage;
  friend bool operator==(const ClusterConfig&, const ClusterConfig&) = default;
};

struct InstanceConfig {
  Opt<std::string> address;
  friend bool operator==(const InstanceConfig&, const InstanceConfig&) = default;
};

struct HighAvailabilityConfig {
  Opt<ClusterConfig> cluster;
  Opt<InstanceConfig> instance;
  friend bool operator==(const HighAvailabilityConfig&, const HighAvailabilityConfig&) = default;
};

// Where the cluster keeps its state in Consul KV: path.Join(parent_path, cluster name), e.g.
// "consul-terraform-sync/cts-cluster" by default, "cts/cts-cluster" for parent_path "cts".
// Requires a finalized configuration.
std::string ha_storage_prefix(const HighAvailabilityConfig& high_availability);

}  // namespace baton::config::cts
