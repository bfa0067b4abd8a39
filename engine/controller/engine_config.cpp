#include "engine/controller/engine_config.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include "engine/config/cts/finalize.hpp"
#include "engine/config/cts/go_path.hpp"
#include "engine/driver/terraform/module_variables.hpp"

namespace baton::controller {

namespace cts = config::cts;
namespace hcl = config::hcl;
namespace tf = driver::terraform;

namespace {

// hcl2shim.HCL2ValueFromConfigValue: what CTS makes of a decoded provider or backend argument.
tf::Value go_to_value(const hcl::GoValue& value) {
  switch (value.kind) {
    case hcl::GoKind::nil: return tf::Value::null();
    case hcl::GoKind::boolean: return tf::Value::boolean(value.boolean);
    case hcl::GoKind::integer: return tf::Value::integer(value.integer);
    case hcl::GoKind::floating: return tf::Value::floating(value.floating);
    case hcl::GoKind::string: return tf::Value::string(value.string);
    case hcl::GoKind::slice:
    case hcl::GoKind::map_slice: {
      std::vector<tf::Value> elements;
      for (const hcl::GoValue& element : value.elements) elements.push_back(go_to_value(element));
      return tf::Value::tuple(std::move(elements));
    }
    case hcl::GoKind::map: {
      std::vector<tf::Value::Member> members;
      for (const hcl::GoEntry& entry : value.entries) members.push_back({entry.key, go_to_value(entry.value)});
      // A cty object's attributes have no order of their own: by name.
      std::stable_sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
      return tf::Value::object(std::move(members));
    }
  }
  return tf::Value::null();
}

// A decoded block body: HCL1 may leave it wrapped in a one-element []map.
const hcl::GoValue* block_body(const hcl::GoValue& value) {
  if (value.kind == hcl::GoKind::map) return &value;
  if (value.kind == hcl::GoKind::map_slice && value.elements.size() == 1) return &value.elements.front();
  return nullptr;
}

std::map<std::string, tf::Value> arguments_of(const hcl::GoValue& body) {
  std::map<std::string, tf::Value> arguments;
  for (const hcl::GoEntry& entry : body.entries) arguments.insert_or_assign(entry.key, go_to_value(entry.value));
  return arguments;
}

// "aws.east" -> {"aws", "east"}; "aws" -> {"aws", ""} (splitProviderID).
std::pair<std::string, std::string> split_provider_id(const std::string& id) {
  const std::size_t dot = id.find('.');
  if (dot == std::string::npos) return {id, ""};
  return {id.substr(0, dot), id.substr(dot + 1)};
}

// getProvider: the terraform_provider block of that name (and alias), else an empty one.
tf::Provider find_provider(const cts::Config& config, const std::string& id) {
  const auto [name, alias] = split_provider_id(id);
  for (const cts::TerraformProviderConfig& provider : config.terraform_providers.value_or_zero()) {
    if (provider.blocks.value.entries.size() != 1) continue;
    const hcl::GoEntry& entry = provider.blocks.value.entries.front();
    const hcl::GoValue* body = block_body(entry.value);
    if (entry.key != name || body == nullptr) continue;
    if (alias.empty()) return tf::Provider{name, arguments_of(*body)};
    const hcl::GoValue* configured_alias = body->find("alias");
    if (configured_alias != nullptr && configured_alias->kind == hcl::GoKind::string && configured_alias->string == alias) {
      return tf::Provider{name, arguments_of(*body)};
    }
  }
  return tf::Provider{name, {}};
}

std::optional<tf::Backend> backend_of(const cts::Config& config) {
  if (!config.driver || !config.driver->terraform || !config.driver->terraform->backend) return std::nullopt;
  const hcl::GoValue& backends = config.driver->terraform->backend->value;
  if (backends.entries.empty()) return std::nullopt;
  const hcl::GoEntry& entry = backends.entries.front();
  const hcl::GoValue* body = block_body(entry.value);
  return tf::Backend{entry.key, body ? arguments_of(*body) : std::map<std::string, tf::Value>{}};
}

std::map<std::string, tf::Value> required_providers_of(const cts::Config& config, const cts::StringList& provider_ids) {
  std::map<std::string, tf::Value> required;
  if (!config.driver || !config.driver->terraform || !config.driver->terraform->required_providers) return required;
  const hcl::GoValue& all = config.driver->terraform->required_providers->value;
  for (const std::string& id : provider_ids) {
    const std::string name = split_provider_id(id).first;
    if (const hcl::GoValue* info = all.find(name)) required.insert_or_assign(name, go_to_value(*info));
  }
  return required;
}

template <class Monitor>
tf::Template services_template(const Monitor& monitor, bool render_var) {
  if (monitor.regexp) {
    return tf::ServicesRegexTemplate{*monitor.regexp, monitor.datacenter.value_or_zero(), monitor.namespace_name.value_or_zero(),
                                     monitor.filter.value_or_zero(), render_var};
  }
  tf::ServicesTemplate names{{}, render_var};
  for (const std::string& name : monitor.names.value_or_zero()) {
    names.services.push_back(tf::ServiceQuery{name, monitor.datacenter.value_or_zero(), monitor.namespace_name.value_or_zero(),
                                              monitor.filter.value_or_zero()});
  }
  return names;
}

tf::Template kv_template(const cts::ConsulKvMonitorConfig& monitor, bool render_var) {
  return tf::ConsulKvTemplate{monitor.path.value_or_zero(), monitor.recurse.value_or_zero(), monitor.datacenter.value_or_zero(),
                              monitor.namespace_name.value_or_zero(), render_var};
}

std::optional<tf::Template> condition_template(const cts::Condition& condition) {
  if (const auto* services = std::get_if<cts::ServicesCondition>(&condition)) {
    return services_template(services->monitor, services->use_as_module_input.value_or(true));
  }
  if (const auto* catalog = std::get_if<cts::CatalogServicesCondition>(&condition)) {
    return tf::CatalogServicesTemplate{catalog->regexp.value_or_zero(), catalog->datacenter.value_or_zero(),
                                       catalog->namespace_name.value_or_zero(), catalog->node_meta.value_or_zero(),
                                       catalog->use_as_module_input.value_or(true)};
  }
  if (const auto* kv = std::get_if<cts::ConsulKvCondition>(&condition)) {
    return kv_template(kv->monitor, kv->use_as_module_input.value_or(true));
  }
  return std::nullopt;  // schedule, no-condition
}

tf::Template module_input_template(const cts::ModuleInputConfig& input) {
  // module_input always renders its variable.
  if (const auto* services = std::get_if<cts::ServicesModuleInput>(&input.input)) return services_template(services->monitor, true);
  return kv_template(std::get<cts::ConsulKvModuleInput>(input.input).monitor, true);
}

// getService: a task.services entry, by the id of a `service` block, else a plain name.
tf::ServiceQuery deprecated_service(const cts::Config& config, const std::string& id) {
  for (const cts::ServiceConfig& service : config.services.value_or_zero()) {
    if (service.id.value_or_zero() == id) {
      return tf::ServiceQuery{service.name.value_or_zero(), service.datacenter.value_or_zero(), service.namespace_name.value_or_zero(),
                              service.filter.value_or_zero()};
    }
  }
  return tf::ServiceQuery{id, "", "", ""};
}

// getServicesMetaData: the services condition's meta, else the first services module_input's,
// else each deprecated service block's own.
tasks::UserMeta user_meta_of(const cts::Config& config, const cts::TaskConfig& task) {
  tasks::UserMeta meta;
  if (task.condition) {
    if (const auto* services = std::get_if<cts::ServicesCondition>(&*task.condition)) {
      meta.all_services = services->monitor.cts_user_defined_meta.value_or_zero();
      return meta;
    }
  }
  for (const cts::ModuleInputConfig& input : task.module_inputs.value_or_zero()) {
    if (const auto* services = std::get_if<cts::ServicesModuleInput>(&input.input)) {
      meta.all_services = services->monitor.cts_user_defined_meta.value_or_zero();
      return meta;
    }
  }
  for (const std::string& id : task.services.value_or_zero()) {
    for (const cts::ServiceConfig& service : config.services.value_or_zero()) {
      if (service.id.value_or_zero() == id) meta.by_service[service.name.value_or_zero()] = service.cts_user_defined_meta.value_or_zero();
    }
  }
  return meta;
}

hcl::Result<std::map<std::string, tf::Value>> variables_of(const cts::TaskConfig& task, FileSystem& files) {
  std::map<std::string, tf::Value> variables;
  for (const auto& [name, json_text] : task.variables.value_or_zero()) {
    auto value = tf::module_variable_from_json("task " + task.name.value_or_zero() + ": variable " + name, json_text);
    if (!value.ok()) return value.error();
    variables.insert_or_assign(name, std::move(value.value()));
  }
  for (const std::string& path : task.variable_files.value_or_zero()) {
    const FileRead read = files.read_file(path);
    // os.Open's wording.
    if (read.error) return hcl::Error::at(task.variable_files.position(), read.error->message);
    if (!read.content) return hcl::Error::at(task.variable_files.position(), "open " + path + ": no such file or directory");
    auto parsed = tf::parse_module_variables(path, *read.content);
    if (!parsed.ok()) return parsed.error();
    for (auto& [name, value] : parsed.value()) variables.insert_or_assign(name, std::move(value));
  }
  return variables;
}

std::string module_source(const std::string& module, const std::string& working_directory) {
  if (module.rfind("./", 0) == 0 || module.rfind("../", 0) == 0) return cts::go_path_join(working_directory, module);
  return module;
}

ha::LeaderElectionOptions election_options(const cts::Config& config) {
  ha::LeaderElectionOptions election;
  election.instance_id = config.id.value_or_zero();
  if (!config.high_availability) return election;
  const cts::HighAvailabilityConfig& ha = *config.high_availability;
  election.cluster_name = ha.cluster->name.value_or_zero();
  if (ha.instance) election.instance_address = ha.instance->address.value_or_zero();
  election.instance_port = static_cast<std::uint16_t>(config.port.value_or(8558));
  election.parent_path = cts::ha_storage_prefix(ha);
  const cts::ConsulStorageConfig& storage = *ha.cluster->storage->consul;
  election.session_ttl = storage.session_ttl.value_or(cts::kDefaultSessionTtl);
  election.renew_interval = storage.renew_interval.value_or(Duration::zero());
  election.lock_delay = storage.lock_delay.value_or(cts::kDefaultLockDelay);
  return election;
}

}  // namespace

hcl::Result<TaskSpec> task_spec(const cts::Config& config, const cts::TaskConfig& task_config, FileSystem& files,
                                const std::string& working_directory) {
  const cts::TaskConfig task = cts::inherit_parent_config(task_config, config.working_dir.value_or_zero(),
                                                          config.buffer_period.value_or_zero());
  TaskSpec spec;
  tf::TaskInput& input = spec.input;
  input.name = task.name.value_or_zero();
  input.description = task.description.value_or_zero();
  input.module_source = module_source(task.module.value_or_zero(), working_directory);
  input.module_version = task.version.value_or_zero();
  input.backend = backend_of(config);
  const cts::StringList provider_ids = task.providers.value_or_zero();
  input.required_providers = required_providers_of(config, provider_ids);
  for (const std::string& id : provider_ids) input.providers.push_back(find_provider(config, id));
  auto variables = variables_of(task, files);
  if (!variables.ok()) return variables.error();
  input.variables = std::move(variables.value());

  if (!task.services.value_or_zero().empty()) {
    tf::ServicesTemplate listed{{}, true};
    for (const std::string& id : *task.services) listed.services.push_back(deprecated_service(config, id));
    input.templates.push_back(std::move(listed));
  }
  if (task.condition) {
    if (std::optional<tf::Template> condition = condition_template(*task.condition)) input.templates.push_back(std::move(*condition));
    if (const auto* schedule = std::get_if<cts::ScheduleCondition>(&*task.condition)) input.schedule_cron = schedule->cron.value_or_zero();
  }
  for (const cts::ModuleInputConfig& module_input : task.module_inputs.value_or_zero()) {
    input.templates.push_back(module_input_template(module_input));
  }

  spec.enabled = task.enabled.value_or(true);
  const cts::BufferPeriodConfig buffer = task.buffer_period.value_or_zero();
  spec.buffer = tasks::BufferPeriod{buffer.enabled.value_or(true), buffer.min.value_or(cts::kDefaultBufferPeriodMin),
                                    buffer.max.value_or(cts::kDefaultBufferPeriodMax)};
  spec.working_dir = task.working_dir.value_or_zero();
  spec.user_meta = user_meta_of(config, task);
  return spec;
}

hcl::Result<EngineConfig> engine_config(const cts::Config& config, FileSystem& files, const std::string& working_directory) {
  EngineConfig engine;
  engine.high_availability = config.high_availability.has_value();
  engine.options.election = election_options(config);
  for (const cts::TaskConfig& task : config.tasks.value_or_zero()) {
    auto spec = task_spec(config, task, files, working_directory);
    if (!spec.ok()) return spec.error();
    engine.tasks.push_back(std::move(spec.value()));
  }
  return engine;
}

ControllerTasks controller_tasks(const cts::Config& config, FileSystem& files, const std::string& working_directory) {
  ControllerTasks tasks;
  tasks.configured = config.tasks.value_or_zero();
  auto shared = std::make_shared<const cts::Config>(config);
  tasks.build = [shared, &files, working_directory](const cts::TaskConfig& task) {
    return task_spec(*shared, task, files, working_directory);
  };
  return tasks;
}

}  // namespace baton::controller
