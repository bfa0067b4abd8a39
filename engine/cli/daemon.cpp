#include "engine/cli/daemon.hpp"

#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

#include "engine/api/api_handler.hpp"
#include "engine/api/controller_backend.hpp"
#include "engine/async/scope.hpp"
#include "engine/async/wait.hpp"
#include "engine/bindings/asio/asio_runtime.hpp"
#include "engine/bindings/consul/http_consul_transport.hpp"
#include "engine/bindings/filesystem/local_filesystem.hpp"
#include "engine/bindings/http/http_server.hpp"
#include "engine/bindings/log_output.hpp"
#include "engine/bindings/process/asio_process.hpp"
#include "engine/consul/client.hpp"
#include "engine/controller/engine_config.hpp"
#include "engine/controller/ha_controller.hpp"
#include "engine/driver/terraform/terraform_cli.hpp"
#include "engine/registration/service_registration.hpp"

namespace baton::cli {
namespace {

using namespace std::chrono_literals;
using config::cts::Config;

constexpr Duration kShutdownTimeout = 10s;  // CTS's graceful shutdown limit

HttpClientOptions consul_http_options(const Config& config) {
  HttpClientOptions options;
  if (!config.consul || !config.consul->tls || !config.consul->tls->enabled.value_or(false)) return options;
  const config::cts::TlsConfig& tls = *config.consul->tls;
  options.tls = HttpClientTls{.ca_file = tls.ca_cert.value_or(""),
                              .ca_path = tls.ca_path.value_or(""),
                              .cert_file = tls.cert.value_or(""),
                              .key_file = tls.key.value_or(""),
                              .server_name = tls.server_name.value_or(""),
                              .verify = tls.verify.value_or(true)};
  return options;
}

// Consul's address as the transport takes it: https:// when consul.tls is enabled.
std::string consul_address(const Config& config) {
  std::string address = config.consul ? config.consul->address.value_or("localhost:8500") : "localhost:8500";
  const bool tls = config.consul && config.consul->tls && config.consul->tls->enabled.value_or(false);
  if (tls && address.find("://") == std::string::npos) address = "https://" + address;
  return address;
}

std::optional<HttpServerTls> api_tls(const Config& config) {
  if (!config.tls || !config.tls->enabled.value_or(false)) return std::nullopt;
  return HttpServerTls{.cert_file = config.tls->cert.value_or(""),
                       .key_file = config.tls->key.value_or(""),
                       .verify_incoming = config.tls->verify_incoming.value_or(false),
                       .ca_file = config.tls->ca_cert.value_or(""),
                       .ca_path = config.tls->ca_path.value_or("")};
}

driver::terraform::TerraformCliOptions terraform_options(const Config& config) {
  driver::terraform::TerraformCliOptions options;
  if (config.driver && config.driver->terraform) {
    const auto& terraform = *config.driver->terraform;
    options.path = terraform.path.value_or("");
    options.log = terraform.log.value_or(false);
    options.persist_log = terraform.persist_log.value_or(false);
  }
  return options;
}

// Everything one running instance holds, in construction order (destroyed in reverse).
struct Instance {
  explicit Instance(const DaemonOptions& options)
      : config(options.config),
        runtime(AsioRuntimeOptions{.name = config.id.value_or("baton"), .seed = std::nullopt}),
        logger(make_stderr_log_output(config.id.value_or("baton"), options.log_level), runtime),
        processes(runtime),
        terraform(runtime, processes, logger, terraform_options(config)) {}

  // The Consul client, or why it cannot be made (a bad address, a TLS file).
  std::optional<std::string> connect() {
    HttpConsulTransportOrError made = HttpConsulTransport::create(runtime, consul_address(config), consul_http_options(config));
    if (auto* error = std::get_if<std::string>(&made)) return *error;
    transport = std::move(std::get<std::unique_ptr<HttpConsulTransport>>(made));
    const std::string token = config.consul ? config.consul->token.value_or("") : "";
    consul = std::make_unique<consul::ConsulClient>(*transport, consul::ConsulClientOptions{.token = token});
    return std::nullopt;
  }

  const Config& config;
  AsioRuntime runtime;
  Logger logger;
  LocalFileSystem files;
  AsioProcessPort processes;
  driver::terraform::TerraformCli terraform;
  std::unique_ptr<HttpConsulTransport> transport;
  std::unique_ptr<consul::ConsulClient> consul;
};

Task<void> register_self(consul::ConsulClient& consul, std::optional<consul::ServiceRegistration> registration, Logger logger) {
  if (!registration) co_return;
  const std::string id = registration->id;
  const consul::ConsulResult<void> registered = co_await consul.agent_service_register(std::move(*registration));
  if (!registered.ok()) {
    logger.error("error registering Consul-Terraform-Sync as a service with Consul", "error", registered.error().message);
    co_return;
  }
  logger.info("registered Consul-Terraform-Sync with Consul", "id", id);
}

Task<void> deregister_self(consul::ConsulClient& consul, std::optional<consul::ServiceRegistration> registration, Logger logger) {
  if (!registration) co_return;
  const consul::ConsulResult<void> deregistered = co_await consul.agent_service_deregister(registration->id);
  if (!deregistered.ok()) {
    logger.error("error deregistering Consul-Terraform-Sync from Consul", "error", deregistered.error().message);
  }
}

Task<void> stop_after(Runtime& runtime, Duration timeout, std::stop_source& give_up, std::stop_token cancel) {
  const WaitResult slept = co_await sleep_for(runtime, timeout, cancel);
  if (slept == WaitResult::deadline) give_up.request_stop();
}

// The daemon's main task: serve and lead until a signal, then stop within kShutdownTimeout.
Task<void> serve(Instance& instance, controller::HaController& controller, HttpServer& server, int& exit_code) {
  Logger log = instance.logger.named("cli");
  const std::optional<consul::ServiceRegistration> registration = registration::service_registration(instance.config);
  co_await register_self(*instance.consul, registration, instance.logger.named("registration"));
  Scope work(instance.runtime);
  work.spawn(controller.run(work.token()));
  work.spawn(server.serve(work.token()));

  const std::stop_token forever;  // a named token: GCC 12 mishandles braced temporaries in co_await operands
  const std::optional<int> signal = co_await instance.runtime.next_signal(forever);
  log.info("signal received to initiate graceful shutdown", "signal", signal ? std::string(strsignal(*signal)) : std::string("?"));
  work.request_stop();
  std::stop_source give_up;
  Scope timer(instance.runtime);
  timer.spawn(stop_after(instance.runtime, kShutdownTimeout, give_up, timer.token()));
  const WaitResult joined = co_await work.join(give_up.get_token());
  timer.request_stop();
  co_await timer.join();
  if (joined != WaitResult::woken) {
    log.info("graceful shutdown timed out, exiting");
    // Work still running cannot be unwound in order: leave as CTS does, with its code.
    std::fflush(nullptr);
    std::_Exit(kExitInterrupt);
  }
  co_await deregister_self(*instance.consul, registration, instance.logger.named("registration"));
  log.info("graceful shutdown");
  exit_code = kExitOk;
}

}  // namespace

int run_daemon(DaemonOptions options, std::ostream& err) {
  const Config& config = options.config;
  if (!config.high_availability || !config.high_availability->cluster) {
    err << "baton start needs a high_availability block: running without one (CTS's single-instance daemon) is not "
           "implemented yet\n";
    return kExitConfig;
  }
  Instance instance(options);
  Logger log = instance.logger.named("cli");
  if (std::optional<std::string> error = instance.connect()) {
    log.error("error setting up controller", "error", *error);
    return kExitConfig;
  }
  config::hcl::Result<controller::EngineConfig> engine = controller::engine_config(config, instance.files, options.working_directory);
  if (!engine.ok()) {
    log.error("error setting up controller", "error", config::hcl::to_string(engine.error()));
    return kExitConfig;
  }
  controller::ControllerOptions controller_options = engine.value().options;
  controller_options.reset_storage = options.reset_storage;
  controller::HaController controller(instance.runtime, *instance.consul, instance.files, instance.terraform,
                                      instance.logger, controller_options,
                                      controller::controller_tasks(config, instance.files, options.working_directory));
  api::ControllerBackend backend(controller, *instance.consul,
                                 api::ControllerBackendOptions{
                                     .cluster_name = *config.high_availability->cluster->name,
                                     .service_name = config.consul && config.consul->service_registration
                                                         ? config.consul->service_registration->service_name.value_or("consul-terraform-sync")
                                                         : "consul-terraform-sync"});
  const auto port = static_cast<std::uint16_t>(config.port.value_or(8558));
  api::ApiHandler handler(backend, instance.runtime.rng(), instance.logger.named("api"), api::ApiHandlerOptions{.port = port});
  HttpServer server(instance.runtime, HttpServerOptions{.address = "0.0.0.0",
                                                       .port = port,
                                                       .tls = api_tls(config),
                                                       .handler = [&handler](http::Request request) { return handler.handle(std::move(request)); }});
  if (std::optional<std::string> error = server.listen()) {
    log.error("error serving api", "port", port, "error", *error);
    return kExitError;
  }
  log.info("starting server", "port", server.port());
  instance.runtime.watch_signals({SIGINT, SIGTERM, SIGQUIT});
  int exit_code = kExitError;
  instance.runtime.scope().spawn(serve(instance, controller, server, exit_code));
  instance.runtime.run();
  return exit_code;
}

}  // namespace baton::cli
