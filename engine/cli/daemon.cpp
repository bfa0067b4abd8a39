#include "engine/cli/daemon.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

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
#include "engine/controller/install_driver.hpp"
#include "engine/controller/once_pass.hpp"
#include "engine/controller/standalone_controller.hpp"
#include "engine/controller/task_manager.hpp"
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

// Stops `work` and waits for it, within kShutdownTimeout; past that, leaves at once with CTS's
// code (command/start.go: "graceful shutdown timed out, exiting", ExitCodeInterrupt).
Task<void> stop_within_timeout(Instance& instance, Scope& work) {
  work.request_stop();
  std::stop_source give_up;
  Scope timer(instance.runtime);
  timer.spawn(stop_after(instance.runtime, kShutdownTimeout, give_up, timer.token()));
  const WaitResult joined = co_await work.join(give_up.get_token());
  timer.request_stop();
  co_await timer.join();
  if (joined != WaitResult::woken) {
    instance.logger.named("cli").info("graceful shutdown timed out, exiting");
    // Work still running cannot be unwound in order: leave as CTS does, with its code.
    std::fflush(nullptr);
    std::_Exit(kExitInterrupt);
  }
}

std::string signal_name(const std::optional<int>& signal) {
  return signal ? std::string(strsignal(*signal)) : std::string("?");
}

// The instance's controller as the daemon runs it: until the stop, or until it fails (without
// HA, a first run's error); the error, empty when stopped.
using ControllerRun = std::function<Task<std::string>(std::stop_token)>;

Task<std::string> run_ha_controller(controller::HaController& controller, std::stop_token stop) {
  co_await controller.run(std::move(stop));
  co_return std::string();
}

Task<void> run_controller(ControllerRun run, std::string& failure, std::stop_source& failed, std::stop_token stop) {
  failure = co_await run(std::move(stop));
  if (!failure.empty()) failed.request_stop();
}

// The daemon's main task: serve and run the controller until a signal or the controller's
// failure, then stop within kShutdownTimeout.
Task<void> serve(Instance& instance, ControllerRun controller_run, HttpServer& server, int& exit_code) {
  Logger log = instance.logger.named("cli");
  const std::optional<consul::ServiceRegistration> registration = registration::service_registration(instance.config);
  co_await register_self(*instance.consul, registration, instance.logger.named("registration"));
  Scope work(instance.runtime);
  std::string failure;
  std::stop_source failed;
  work.spawn(run_controller(std::move(controller_run), failure, failed, work.token()));
  work.spawn(server.serve(work.token()));

  const std::stop_token until_failed = failed.get_token();  // named: GCC 12 and co_await operands
  const std::optional<int> signal = co_await instance.runtime.next_signal(until_failed);
  if (failure.empty()) {
    log.info("signal received to initiate graceful shutdown", "signal", signal_name(signal));
  } else {
    // command/start.go: the controller's error ends the process (CTS's daemon: during once-mode).
    log.error("error running controller", "error", failure);
  }
  co_await stop_within_timeout(instance, work);
  co_await deregister_self(*instance.consul, registration, instance.logger.named("registration"));
  if (!failure.empty()) {
    exit_code = kExitError;
    co_return;
  }
  log.info("graceful shutdown");
  exit_code = kExitOk;
}

// -once and -inspect: CTS's Once and Inspect controllers (controller/once_pass.hpp).
Task<void> run_pass(controller::TaskManager& manager, StartMode mode, std::vector<config::cts::TaskConfig> tasks,
                    Logger logger, std::string& error, std::stop_source& done, std::stop_token stop) {
  if (mode == StartMode::once) {
    error = co_await controller::run_tasks_once(manager, std::move(tasks), logger, stop);
  } else {
    error = co_await controller::inspect_tasks(manager, std::move(tasks), logger, stop);
  }
  done.request_stop();
}

Task<void> pass(Instance& instance, controller::TaskManager& manager, StartMode mode,
                std::vector<config::cts::TaskConfig> tasks, int& exit_code) {
  Logger log = instance.logger.named("cli");
  Scope work(instance.runtime);
  std::string error;
  std::stop_source done;
  work.spawn(run_pass(manager, mode, std::move(tasks), instance.logger, error, done, work.token()));
  const std::stop_token until_done = done.get_token();
  const std::optional<int> signal = co_await instance.runtime.next_signal(until_done);
  if (signal) {
    // command/start.go: an interrupted pass ends as a graceful shutdown, exit 0.
    log.info("signal received to initiate graceful shutdown", "signal", signal_name(signal));
    co_await stop_within_timeout(instance, work);
    log.info("graceful shutdown");
    exit_code = kExitOk;
    co_return;
  }
  co_await work.join();
  if (!error.empty()) {
    log.error("error running controller", "error", error);
    exit_code = kExitError;
    co_return;
  }
  log.info("graceful shutdown");
  exit_code = kExitOk;
}

// CTS's config.FilterTasks: the named tasks, in the order named; an unknown name is an error.
std::variant<std::vector<config::cts::TaskConfig>, std::string> filter_tasks(const std::vector<config::cts::TaskConfig>& tasks,
                                                                             const std::vector<std::string>& names) {
  std::vector<config::cts::TaskConfig> filtered;
  for (const std::string& name : names) {
    const auto found = std::find_if(tasks.begin(), tasks.end(),
                                    [&name](const config::cts::TaskConfig& task) { return task.name.value_or_zero() == name; });
    if (found == tasks.end()) return "task not found: " + name;
    filtered.push_back(*found);
  }
  return filtered;
}

// The controller's type as CTS logs it ("setting up controller: type=daemon").
const char* mode_name(StartMode mode) {
  switch (mode) {
    case StartMode::once: return "once";
    case StartMode::inspect: return "inspect";
    case StartMode::daemon: break;
  }
  return "daemon";
}

// The API on the configured port, serving `controller`.
struct Api {
  Api(Instance& instance, controller::TaskController& controller, const ha::LeaderElection* election)
      : port(static_cast<std::uint16_t>(instance.config.port.value_or(8558))),
        backend(controller, election, *instance.consul,
                api::ControllerBackendOptions{.cluster_name = cluster_name(instance.config),
                                              .service_name = service_name(instance.config)}),
        handler(backend, instance.runtime.rng(), instance.logger.named("api"), api::ApiHandlerOptions{.port = port}),
        server(instance.runtime, HttpServerOptions{.address = "0.0.0.0",
                                                   .port = port,
                                                   .tls = api_tls(instance.config),
                                                   .handler = [this](http::Request request) {
                                                     return handler.handle(std::move(request));
                                                   }}) {}

  static std::string cluster_name(const Config& config) {
    const auto& ha = config.high_availability;
    return ha && ha->cluster && ha->cluster->name ? *ha->cluster->name : std::string();
  }
  static std::string service_name(const Config& config) {
    return config.consul && config.consul->service_registration
               ? config.consul->service_registration->service_name.value_or("consul-terraform-sync")
               : "consul-terraform-sync";
  }

  std::uint16_t port;
  api::ControllerBackend backend;
  api::ApiHandler handler;
  HttpServer server;
};

Task<void> check_driver(Instance& instance, std::optional<std::string>& error) {
  const config::cts::TerraformConfig terraform =
      instance.config.driver && instance.config.driver->terraform ? *instance.config.driver->terraform : config::cts::TerraformConfig{};
  const std::string own_working_directory;  // CTS asks the version in os.Getwd()
  const std::stop_token never;  // signals are not watched yet: one ends the process, as in CTS
  error = co_await controller::install_driver(terraform, instance.files, instance.terraform, own_working_directory,
                                              instance.logger, never);
}

// command/start.go: controller.InstallDriver, after the controller is set up and before it runs
// (controller/install_driver.hpp); the error that ends `start` with exit code 16, if any.
std::optional<std::string> driver_install_error(Instance& instance) {
  std::optional<std::string> error;
  instance.runtime.scope().spawn(check_driver(instance, error));
  instance.runtime.run();
  return error;
}

// Serves the API and runs the controller until a signal (or its failure); the exit code.
int run_serving(Instance& instance, controller::TaskController& controller, const ha::LeaderElection* election,
                ControllerRun controller_run) {
  Logger log = instance.logger.named("cli");
  Api api(instance, controller, election);
  if (std::optional<std::string> error = api.server.listen()) {
    log.error("error serving api", "port", api.port, "error", *error);
    return kExitError;
  }
  log.info("starting server", "port", api.server.port());
  instance.runtime.watch_signals({SIGINT, SIGTERM, SIGQUIT});
  int exit_code = kExitError;
  instance.runtime.scope().spawn(serve(instance, std::move(controller_run), api.server, exit_code));
  instance.runtime.run();
  return exit_code;
}

}  // namespace

int run_daemon(DaemonOptions options, std::ostream& err) {
  (void)err;
  const Config& config = options.config;
  Instance instance(options);
  Logger log = instance.logger.named("cli");
  std::vector<config::cts::TaskConfig> pass_tasks = config.tasks.value_or_zero();
  if (options.mode == StartMode::inspect && !options.inspect_tasks.empty()) {
    auto filtered = filter_tasks(pass_tasks, options.inspect_tasks);
    if (const auto* error = std::get_if<std::string>(&filtered)) {
      log.error("error inspecting tasks", "error", *error);
      return kExitConfig;
    }
    pass_tasks = std::get<std::vector<config::cts::TaskConfig>>(std::move(filtered));
  }
  // -once "disables high availability"; so does -inspect: neither elects a leader.
  const bool high_availability =
      options.mode == StartMode::daemon && config.high_availability && config.high_availability->cluster;
  instance.logger.named("ctrl").info("setting up controller", "type", mode_name(options.mode));
  if (std::optional<std::string> error = instance.connect()) {
    log.error("error setting up controller", "error", *error);
    return kExitConfig;
  }
  config::hcl::Result<controller::EngineConfig> engine = controller::engine_config(config, instance.files, options.working_directory);
  if (!engine.ok()) {
    log.error("error setting up controller", "error", config::hcl::to_string(engine.error()));
    return kExitConfig;
  }
  if (std::optional<std::string> error = driver_install_error(instance)) {
    log.error("error installing driver", "error", *error);
    return kExitDriver;
  }
  controller::ControllerOptions controller_options = engine.value().options;
  controller_options.reset_storage = options.reset_storage;
  controller::ControllerTasks tasks = controller::controller_tasks(config, instance.files, options.working_directory);

  if (options.mode != StartMode::daemon) {
    controller::TaskManagerOptions manager_options;
    manager_options.retry = controller_options.retry;
    manager_options.watcher = controller_options.watcher;
    controller::TaskManager manager(instance.runtime, *instance.consul, instance.files, instance.terraform, instance.logger,
                                    manager_options, tasks.build, tasks.configured);
    instance.runtime.watch_signals({SIGINT, SIGTERM, SIGQUIT});
    int exit_code = kExitError;
    instance.runtime.scope().spawn(pass(instance, manager, options.mode, std::move(pass_tasks), exit_code));
    instance.runtime.run();
    return exit_code;
  }
  if (high_availability) {
    controller::HaController controller(instance.runtime, *instance.consul, instance.files, instance.terraform,
                                        instance.logger, controller_options, std::move(tasks));
    ControllerRun run = [&controller](std::stop_token stop) { return run_ha_controller(controller, std::move(stop)); };
    return run_serving(instance, controller, &controller.election(), std::move(run));
  }
  controller::StandaloneController controller(instance.runtime, *instance.consul, instance.files, instance.terraform,
                                              instance.logger, controller_options, std::move(tasks));
  ControllerRun run = [&controller](std::stop_token stop) { return controller.run(std::move(stop)); };
  return run_serving(instance, controller, nullptr, std::move(run));
}

}  // namespace baton::cli
