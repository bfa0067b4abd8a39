#pragma once
// ApiHandler: CTS's REST API (api/api.go and its handlers, v0.9.0) over an ApiBackend, as one
// function from http::Request to http::Response, so that production serves it through
// HttpServer and tests call it directly.
//
//   GET    /v1/status                         overall status (task_summary)
//   GET    /v1/status/tasks[/:name]           per-task status (?include=events, ?status=)
//   GET    /v1/status/cluster                 cluster members (every member answers; 405 without HA)
//   GET    /v1/tasks, POST /v1/tasks          list; create (?run=now|inspect)
//   GET, PATCH, DELETE /v1/tasks/:name        one task; enable/disable (?run=now|inspect); delete
//   GET    /v1/health                         {} when healthy
//
// With high availability, a follower answers /v1/tasks* and /v1/status* (but not
// /v1/status/cluster) with 400 "redirect requests to leader 'cts-01' at cts-01.example.com:8558"
// (CTS Enterprise's interceptor): the address and API port the leader recorded in the lock's
// value (engine/ha/leader_record.hpp); this instance's own port when a record has none.
//
// Request ids are v4 UUIDs from the runtime's Rng, as CTS's withRequestID middleware makes one
// per request; they appear in the bodies of the OpenAPI handlers only, as in CTS.
#include <cstdint>
#include <string>

#include "engine/api/api_backend.hpp"
#include "engine/async/task.hpp"
#include "engine/http/message.hpp"
#include "engine/log/logger.hpp"
#include "engine/random/rng.hpp"

namespace baton::api {

struct ApiHandlerOptions {
  std::uint16_t port = 8558;  // this instance's API port, for the follower's redirect text
};

class ApiHandler {
 public:
  ApiHandler(ApiBackend& backend, Rng& rng, Logger logger, ApiHandlerOptions options = {});

  Task<http::Response> handle(http::Request request);

 private:
  struct Call;
  Task<http::Response> route(Call& call);
  std::optional<http::Response> redirect_unless_leading(const Call& call) const;

  Task<http::Response> overall_status(const Call& call);
  Task<http::Response> task_status(const Call& call, std::string name);
  Task<http::Response> cluster_status(const Call& call);
  Task<http::Response> health(const Call& call);
  Task<http::Response> list_tasks(const Call& call);
  Task<http::Response> get_task(const Call& call, std::string name);
  Task<http::Response> create_task(const Call& call);
  Task<http::Response> update_task(const Call& call, std::string name);
  Task<http::Response> delete_task(const Call& call, std::string name);

  ApiBackend& backend_;
  Rng& rng_;
  Logger logger_;
  ApiHandlerOptions options_;
};

}  // namespace baton::api
