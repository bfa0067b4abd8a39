#include "engine/api/model/task_json.hpp"

#include <map>
#include <optional>
#include <utility>

#include "engine/api/model/go_json.hpp"
#include "engine/config/cts/go_parse_duration.hpp"
#include "engine/config/cts/go_text.hpp"
#include "engine/config/hcl/error.hpp"
#include "engine/driver/terraform/module_variables.hpp"
#include "engine/time/go_duration.hpp"

namespace baton::api::model {

namespace cts = config::cts;
using nlohmann::json;

namespace {

// --- TaskConfig -> Task ----------------------------------------------------------------------

template <class T>
void put(json& object, const char* key, const cts::Opt<T>& value) {
  if (value) object[key] = *value;
}

json string_map(const cts::StringMap& map) {
  json object = json::object();
  for (const auto& [key, value] : map) object[key] = value;
  return object;
}

json services_condition_json(const cts::ServicesCondition& condition) {
  const cts::ServicesMonitorConfig& monitor = condition.monitor;
  json services = json::object();
  put(services, "datacenter", monitor.datacenter);
  put(services, "namespace", monitor.namespace_name);
  put(services, "filter", monitor.filter);
  // convertMapValueToPtr: a nil map stays absent, an empty one is {}.
  if (monitor.cts_user_defined_meta) services["cts_user_defined_meta"] = string_map(*monitor.cts_user_defined_meta);
  put(services, "use_as_module_input", condition.use_as_module_input);
  if (monitor.names && !monitor.names->empty()) {
    services["names"] = *monitor.names;
  } else {
    put(services, "regexp", monitor.regexp);
  }
  return services;
}

json services_module_input_json(const cts::ServicesMonitorConfig& monitor) {
  json services = json::object();
  if (monitor.names && !monitor.names->empty()) {
    services["names"] = *monitor.names;
  } else {
    put(services, "regexp", monitor.regexp);
  }
  put(services, "datacenter", monitor.datacenter);
  put(services, "namespace", monitor.namespace_name);
  put(services, "filter", monitor.filter);
  // CTS: &input.CTSUserDefinedMeta, `null` for a nil map; {} here (see the header).
  services["cts_user_defined_meta"] = string_map(monitor.cts_user_defined_meta.value_or_zero());
  return services;
}

json consul_kv_json(const cts::ConsulKvMonitorConfig& monitor) {
  json kv = json::object();
  put(kv, "datacenter", monitor.datacenter);
  put(kv, "recurse", monitor.recurse);
  kv["path"] = monitor.path.value_or_zero();  // CTS: *input.Path (a panic when nil)
  put(kv, "namespace", monitor.namespace_name);
  return kv;
}

json condition_json(const cts::TaskConfig& task) {
  json condition = json::object();
  if (!task.condition) return condition;
  if (const auto* services = std::get_if<cts::ServicesCondition>(&*task.condition)) {
    condition["services"] = services_condition_json(*services);
  } else if (const auto* catalog = std::get_if<cts::CatalogServicesCondition>(&*task.condition)) {
    json object = json::object();
    object["regexp"] = catalog->regexp.value_or_zero();  // CTS: *cond.Regexp
    put(object, "use_as_module_input", catalog->use_as_module_input);
    put(object, "datacenter", catalog->datacenter);
    put(object, "namespace", catalog->namespace_name);
    object["node_meta"] = string_map(catalog->node_meta.value_or_zero());  // CTS: &cond.NodeMeta
    condition["catalog_services"] = std::move(object);
  } else if (const auto* kv = std::get_if<cts::ConsulKvCondition>(&*task.condition)) {
    json object = consul_kv_json(kv->monitor);
    put(object, "use_as_module_input", kv->use_as_module_input);
    condition["consul_kv"] = std::move(object);
  } else if (const auto* schedule = std::get_if<cts::ScheduleCondition>(&*task.condition)) {
    condition["schedule"] = json{{"cron", schedule->cron.value_or_zero()}};
  }
  return condition;
}

bool is_empty(const cts::TerraformCloudWorkspaceConfig& workspace) {
  return !workspace.execution_mode && !workspace.agent_pool_id && !workspace.agent_pool_name &&
         !workspace.terraform_version;
}

// --- the request validator (kin-openapi's VisitJSON over api/openapi.yaml) --------------------

struct Schema {
  std::string type;  // "object", "string", "boolean", "array"
  std::map<std::string, const Schema*> properties;
  bool closed = false;                 // additionalProperties: false
  const Schema* additional = nullptr;  // additionalProperties: {schema}
  std::vector<std::string> required;
  std::optional<json> default_value;
  bool nullable = false;
  const Schema* items = nullptr;
};

struct Schemas {
  Schema string{.type = "string"};
  Schema nullable_string{.type = "string", .nullable = true};
  Schema boolean{.type = "boolean"};
  Schema boolean_true{.type = "boolean", .default_value = json(true)};
  Schema boolean_false{.type = "boolean", .default_value = json(false)};
  Schema string_array{.type = "array", .items = &string};
  Schema string_map{.type = "object", .additional = &string};
  Schema nullable_string_map{.type = "object", .additional = &nullable_string};
  Schema buffer_period;
  Schema services_condition;
  Schema catalog_services_condition;
  Schema consul_kv_condition;
  Schema schedule_condition;
  Schema condition;
  Schema services_module_input;
  Schema consul_kv_module_input;
  Schema module_input;
  Schema terraform_cloud_workspace;
  Schema task;
  Schema task_request;

  static Schema closed_object(std::map<std::string, const Schema*> properties, std::vector<std::string> required = {}) {
    return Schema{.type = "object", .properties = std::move(properties), .closed = true, .required = std::move(required)};
  }

  Schemas() {
    buffer_period = closed_object({{"enabled", &boolean}, {"max", &string}, {"min", &string}});
    services_condition = closed_object({{"regexp", &string},
                                        {"names", &string_array},
                                        {"filter", &string},
                                        {"datacenter", &string},
                                        {"namespace", &string},
                                        {"cts_user_defined_meta", &nullable_string_map},
                                        {"use_as_module_input", &boolean_true}});
    catalog_services_condition = closed_object({{"datacenter", &string},
                                                {"regexp", &string},
                                                {"namespace", &string},
                                                {"node_meta", &string_map},
                                                {"use_as_module_input", &boolean_true}},
                                               {"regexp"});
    consul_kv_condition = closed_object({{"path", &string},
                                         {"recurse", &boolean_false},
                                         {"datacenter", &string},
                                         {"namespace", &string},
                                         {"use_as_module_input", &boolean_true}},
                                        {"path"});
    schedule_condition = closed_object({{"cron", &string}}, {"cron"});
    condition = closed_object({{"catalog_services", &catalog_services_condition},
                               {"services", &services_condition},
                               {"consul_kv", &consul_kv_condition},
                               {"schedule", &schedule_condition}});
    services_module_input = closed_object({{"regexp", &string},
                                           {"names", &string_array},
                                           {"filter", &string},
                                           {"datacenter", &string},
                                           {"namespace", &string},
                                           {"cts_user_defined_meta", &string_map}});
    consul_kv_module_input = closed_object(
        {{"path", &string}, {"recurse", &boolean_false}, {"datacenter", &string}, {"namespace", &string}}, {"path"});
    module_input = closed_object({{"services", &services_module_input}, {"consul_kv", &consul_kv_module_input}});
    terraform_cloud_workspace = closed_object({{"execution_mode", &string},
                                               {"agent_pool_id", &string},
                                               {"agent_pool_name", &string},
                                               {"terraform_version", &string}});
    task = closed_object({{"description", &string},
                          {"enabled", &boolean_true},
                          {"name", &string},
                          {"providers", &string_array},
                          {"module", &string},
                          {"variables", &string_map},
                          {"version", &string},
                          {"buffer_period", &buffer_period},
                          {"condition", &condition},
                          {"module_input", &module_input},
                          {"terraform_version", &string},
                          {"terraform_cloud_workspace", &terraform_cloud_workspace}},
                         {"name", "module", "condition"});
    task_request = closed_object({{"task", &task}}, {"task"});
  }
};

const Schemas& schemas() {
  static const Schemas instance;
  return instance;
}

struct SchemaError {
  std::vector<std::string> path;  // JSON pointer elements, outermost first
  std::string reason;
};

std::string type_name(const json& value) {
  if (value.is_object()) return "object";
  if (value.is_array()) return "array";
  if (value.is_string()) return "string";
  if (value.is_boolean()) return "boolean";
  if (value.is_number()) return "number";
  return "null";
}

std::optional<SchemaError> expected_type(const Schema& schema) {
  const bool an = schema.type == "array" || schema.type == "object" || schema.type == "integer";
  return SchemaError{{}, std::string("value must be ") + (an ? "an " : "a ") + schema.type};
}

std::optional<SchemaError> with_key(std::optional<SchemaError> error, const std::string& key) {
  if (error) error->path.insert(error->path.begin(), key);
  return error;
}

// kin-openapi's visitJSON without MultiError: the first error, keys visited in sorted order,
// then the required properties in the schema's order. Defaults are written into `value`.
std::optional<SchemaError> visit(const Schema& schema, json& value) {
  if (value.is_null()) {
    if (schema.nullable) return std::nullopt;
    return SchemaError{{}, "Value is not nullable"};
  }
  if (type_name(value) != schema.type) return expected_type(schema);
  if (value.is_array()) {
    if (schema.items == nullptr) return std::nullopt;
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (auto error = visit(*schema.items, value[i])) return with_key(std::move(error), std::to_string(i));
    }
    return std::nullopt;
  }
  if (!value.is_object()) return std::nullopt;
  // Defaults first, for absent or null properties (kin-openapi's `value[propName] == nil`).
  for (const auto& [name, property] : schema.properties) {
    if (!property->default_value) continue;
    const auto found = value.find(name);
    if (found == value.end() || found->is_null()) value[name] = *property->default_value;
  }
  for (auto& [key, member] : value.items()) {
    const auto property = schema.properties.find(key);
    if (property != schema.properties.end()) {
      if (auto error = visit(*property->second, member)) return with_key(std::move(error), key);
      continue;
    }
    if (!schema.closed) {
      if (schema.additional != nullptr) {
        if (auto error = visit(*schema.additional, member)) return with_key(std::move(error), key);
      }
      continue;
    }
    return SchemaError{{}, "property " + cts::go_quote(key) + " is unsupported"};
  }
  for (const std::string& name : schema.required) {
    if (!value.contains(name)) return SchemaError{{name}, "property " + cts::go_quote(name) + " is missing"};
  }
  return std::nullopt;
}

std::string describe(const SchemaError& error) {
  std::string text = "request body has an error: doesn't match schema #/components/schemas/TaskRequest: ";
  if (!error.path.empty()) {
    text += "Error at \"";
    for (const std::string& element : error.path) text += "/" + element;
    text += "\": ";
  }
  return text + error.reason;
}

// --- Task -> TaskConfig (TaskRequest.ToTaskConfig), on a validated object --------------------

cts::Opt<std::string> opt_string(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return {};
  return found->get<std::string>();
}

cts::Opt<bool> opt_bool(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_boolean()) return {};
  return found->get<bool>();
}

cts::Opt<cts::StringList> opt_list(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_array()) return {};
  return found->get<cts::StringList>();
}

// A string map; null values (allowed in cts_user_defined_meta) are dropped, as
// convertMapPtrToValue drops nil pointers.
cts::Opt<cts::StringMap> opt_map(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_object()) return {};
  cts::StringMap map;
  for (const auto& [name, value] : found->items()) {
    if (value.is_string()) map[name] = value.get<std::string>();
  }
  return map;
}

const json* member(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_object()) return nullptr;
  return &*found;
}

std::variant<TaskConfig, TaskDecodeError> to_task_config(const json& t) {
  TaskConfig task;
  task.description = opt_string(t, "description");
  task.name = t.value("name", std::string());
  task.module = t.value("module", std::string());
  task.version = opt_string(t, "version");
  task.enabled = opt_bool(t, "enabled");
  task.providers = opt_list(t, "providers");

  if (const json* input = member(t, "module_input")) {
    std::vector<cts::ModuleInputConfig> inputs;
    if (const json* services = member(*input, "services")) {
      cts::ServicesModuleInput converted;
      converted.monitor.regexp = opt_string(*services, "regexp");
      converted.monitor.datacenter = opt_string(*services, "datacenter");
      converted.monitor.namespace_name = opt_string(*services, "namespace");
      converted.monitor.filter = opt_string(*services, "filter");
      converted.monitor.names = opt_list(*services, "names");
      converted.monitor.cts_user_defined_meta = opt_map(*services, "cts_user_defined_meta");
      inputs.push_back(cts::ModuleInputConfig{converted, {}});
    }
    if (const json* kv = member(*input, "consul_kv")) {
      cts::ConsulKvModuleInput converted;
      converted.monitor.datacenter = opt_string(*kv, "datacenter");
      converted.monitor.recurse = opt_bool(*kv, "recurse");
      converted.monitor.path = kv->value("path", std::string());
      converted.monitor.namespace_name = opt_string(*kv, "namespace");
      inputs.push_back(cts::ModuleInputConfig{converted, {}});
    }
    task.module_inputs = std::move(inputs);
  }

  const json empty = json::object();
  const json* condition = member(t, "condition");
  if (condition == nullptr) condition = &empty;
  if (const json* services = member(*condition, "services")) {
    cts::ServicesCondition converted;
    converted.monitor.datacenter = opt_string(*services, "datacenter");
    converted.monitor.namespace_name = opt_string(*services, "namespace");
    converted.monitor.filter = opt_string(*services, "filter");
    converted.use_as_module_input = opt_bool(*services, "use_as_module_input");
    const auto names = opt_list(*services, "names");
    if (names && !names->empty()) {
      converted.monitor.names = names;
    } else {
      converted.monitor.regexp = opt_string(*services, "regexp");
    }
    converted.monitor.cts_user_defined_meta = opt_map(*services, "cts_user_defined_meta");
    task.condition = cts::Condition(converted);
  } else if (const json* kv = member(*condition, "consul_kv")) {
    cts::ConsulKvCondition converted;
    converted.monitor.datacenter = opt_string(*kv, "datacenter");
    converted.monitor.recurse = opt_bool(*kv, "recurse");
    converted.monitor.path = kv->value("path", std::string());
    converted.monitor.namespace_name = opt_string(*kv, "namespace");
    converted.use_as_module_input = opt_bool(*kv, "use_as_module_input");
    task.condition = cts::Condition(converted);
  } else if (const json* catalog = member(*condition, "catalog_services")) {
    cts::CatalogServicesCondition converted;
    converted.regexp = catalog->value("regexp", std::string());
    converted.use_as_module_input = opt_bool(*catalog, "use_as_module_input");
    converted.datacenter = opt_string(*catalog, "datacenter");
    converted.namespace_name = opt_string(*catalog, "namespace");
    converted.node_meta = opt_map(*catalog, "node_meta");
    task.condition = cts::Condition(converted);
  } else if (const json* schedule = member(*condition, "schedule")) {
    cts::ScheduleCondition converted;
    converted.cron = schedule->value("cron", std::string());
    task.condition = cts::Condition(converted);
  }

  if (const json* buffer = member(t, "buffer_period")) {
    // CTS parses max first, then min; an absent one is 0, not unset.
    Duration max{};
    Duration min{};
    for (const auto& [key, target] : {std::pair<const char*, Duration*>{"max", &max}, {"min", &min}}) {
      const auto text = opt_string(*buffer, key);
      if (!text) continue;
      const auto parsed = cts::go_parse_duration(*text);
      if (const auto* message = std::get_if<std::string>(&parsed)) {
        return TaskDecodeError{"error with task configuration: " + *message};
      }
      *target = std::get<Duration>(parsed);
    }
    cts::BufferPeriodConfig period;
    period.enabled = opt_bool(*buffer, "enabled");
    period.max = max;
    period.min = min;
    task.buffer_period = period;
  }

  task.variables = opt_map(t, "variables");
  task.terraform_version = opt_string(t, "terraform_version");
  if (const json* workspace = member(t, "terraform_cloud_workspace")) {
    cts::TerraformCloudWorkspaceConfig converted;
    converted.execution_mode = opt_string(*workspace, "execution_mode");
    converted.agent_pool_id = opt_string(*workspace, "agent_pool_id");
    converted.agent_pool_name = opt_string(*workspace, "agent_pool_name");
    converted.terraform_version = opt_string(*workspace, "terraform_version");
    task.terraform_cloud_workspace = converted;
  }
  return task;
}

// --- variable files ---------------------------------------------------------------------------

// ctyjson.Marshal of a module variable.
std::string cty_json(const driver::terraform::Value& value) {
  using Kind = driver::terraform::Value::Kind;
  switch (value.kind()) {
    case Kind::null: return "null";
    case Kind::boolean: return value.as_bool() ? "true" : "false";
    case Kind::number: return value.text();
    case Kind::string: return go_json_string(value.text());
    case Kind::list:
    case Kind::tuple: {
      std::string out = "[";
      for (std::size_t i = 0; i < value.elements().size(); ++i) {
        if (i > 0) out += ",";
        out += cty_json(value.elements()[i]);
      }
      return out + "]";
    }
    case Kind::map:
    case Kind::object: {
      std::string out = "{";
      bool first = true;
      for (const auto& entry : value.members()) {  // kept sorted by key
        if (!first) out += ",";
        first = false;
        out += go_json_string(entry.key) + ":" + cty_json(entry.value);
      }
      return out + "}";
    }
  }
  return "null";
}

// --- deprecation messages (command/task_create.go) --------------------------------------------

std::string quoted_list(const cts::StringList& services) {
  std::string list = "\"";
  for (std::size_t i = 0; i < services.size(); ++i) {
    if (i > 0) list += "\",\"";
    list += services[i];
  }
  return list + "\"";
}

std::string services_field_message(const std::string& action) {
  return "the 'services' field in the task block is no longer supported \n\n"
         "'services' in a task configuration are to be replaced with the following:\n"
         " * condition \"services\": if there is _no_ preexisting condition block configured in your task\n"
         " * module_input \"services\": if there is a preexisting condition block configured in your task\n\n" +
         action +
         "\n\nFor more details and additional examples, please see:\n"
         "https://consul.io/docs/nia/release-notes/0-5-0#deprecate-services-field\n";
}

std::string services_action(const cts::StringList& services) {
  return "Please replace the 'services' field with the following 'condition \"services\"' block\n\n"
         "task {\n  ...\n  condition \"services\" {\n    names=[" +
         quoted_list(services) + "]\n  }\n  ...\n}";
}

std::string services_module_input_action(const cts::StringList& services) {
  return "Please replace the 'services' field with the following 'module_input' block\n\n"
         "task {\n  ...\n  module_input \"services\" {\n    names=[" +
         quoted_list(services) + "]\n  }\n  ...\n}";
}

std::string source_field_message(const std::string& module) {
  return "the 'source' field in the task block is no longer supported \n\n"
         "Please replace 'source' with 'module' in your task configuration.\n\n"
         "Suggested replacement:\n"
         "|    task {\n"
         "|  -   source =  \"" +
         module + "\"\n|  +   module =  \"" + module +
         "\"\n"
         "|      ...\n"
         "|    }\n\n"
         "For more details and examples, please see:\n"
         "https://consul.io/docs/nia/release-notes/0-5-0#deprecate-source-field\n";
}

std::string source_input_message(const std::string& input) {
  return "the 'source_input' block in the task is no longer supported \n\n"
         "Please replace 'source_input' with 'module_input' in your task configuration.\n\n"
         "Suggested replacement:\n"
         "|    task {\n"
         "|  -   source_input \"" +
         input + "\" {\n|  +   module_input \"" + input +
         "\" {\n"
         "|        ...\n"
         "|      }\n"
         "|      ...\n"
         "|    }\n\n"
         "For more details and examples, please see:\n"
         "https://consul.io/docs/nia/release-notes/0-5-0#deprecate-source_input-block\n";
}

std::string source_includes_var_message(const std::string& condition, bool use_as_module_input) {
  const std::string value = use_as_module_input ? "true" : "false";
  return "the 'source_includes_var' field in the task's 'condition \"" + condition +
         "\"' block is no longer supported\n\n"
         "Please replace 'source_includes_var' with 'use_as_module_input' in your condition configuration.\n\n"
         "Suggested replacement:\n"
         "|    task {\n"
         "|      condition \"" +
         condition + "\" {\n|  -     source_includes_var = " + value + "\n|  +     use_as_module_input = " + value +
         "\n"
         "|      }\n"
         "|      ...\n"
         "|    }\n\n"
         "For more details and examples, please see:\n"
         "https://consul.io/docs/nia/release-notes/0-5-0#deprecate-source_includes_var-field\n";
}

}  // namespace

json task_to_json(const TaskConfig& task) {
  json t = json::object();
  put(t, "description", task.description);
  put(t, "version", task.version);
  put(t, "enabled", task.enabled);
  t["name"] = task.name.value_or_zero();
  t["module"] = task.module.value_or_zero();
  if (task.variables) t["variables"] = string_map(*task.variables);
  put(t, "providers", task.providers);

  if (task.module_inputs) {
    json inputs = json::object();
    for (const cts::ModuleInputConfig& input : *task.module_inputs) {
      if (const auto* services = std::get_if<cts::ServicesModuleInput>(&input.input)) {
        inputs["services"] = services_module_input_json(services->monitor);
      } else if (const auto* kv = std::get_if<cts::ConsulKvModuleInput>(&input.input)) {
        inputs["consul_kv"] = consul_kv_json(kv->monitor);
      }
    }
    t["module_input"] = std::move(inputs);
  }

  t["condition"] = condition_json(task);

  if (task.buffer_period) {
    json period = json::object();
    put(period, "enabled", task.buffer_period->enabled);
    period["max"] = format_go_duration(task.buffer_period->max.value_or_zero());
    period["min"] = format_go_duration(task.buffer_period->min.value_or_zero());
    t["buffer_period"] = std::move(period);
  }

  // The deprecated `services` list, shown as a condition or a module input.
  if (task.services && !task.services->empty()) {
    const bool no_condition = !task.condition || std::holds_alternative<cts::NoCondition>(*task.condition);
    if (no_condition) {
      t["condition"]["services"] = json{{"names", *task.services}, {"use_as_module_input", true}};
    } else {
      if (!task.module_inputs) t["module_input"] = json::object();
      t["module_input"]["services"] = json{{"names", *task.services}};
    }
  }

  if (task.terraform_version && !task.terraform_version->empty()) t["terraform_version"] = *task.terraform_version;
  if (task.terraform_cloud_workspace && !is_empty(*task.terraform_cloud_workspace)) {
    const auto& workspace = *task.terraform_cloud_workspace;
    json object = json::object();
    put(object, "execution_mode", workspace.execution_mode);
    put(object, "agent_pool_id", workspace.agent_pool_id);
    put(object, "agent_pool_name", workspace.agent_pool_name);
    put(object, "terraform_version", workspace.terraform_version);
    t["terraform_cloud_workspace"] = std::move(object);
  }
  return t;
}

json task_request_to_json(const TaskConfig& task) { return json{{"task", task_to_json(task)}}; }

std::variant<TaskConfig, TaskDecodeError> decode_task_request(std::string_view body) {
  if (body.empty()) return TaskDecodeError{"request body has an error: value is required but missing"};
  json request = json::parse(body, nullptr, false);
  if (request.is_discarded()) {
    // Where nlohmann's parser stopped, for a sentence; Go's texts are not reproduced.
    const std::size_t byte = json_parse_error_position(body);
    const std::string why = byte >= body.size() ? "unexpected EOF" : "syntax error at byte " + std::to_string(byte);
    return TaskDecodeError{"request body has an error: failed to decode request body: " + why};
  }
  if (auto error = visit(schemas().task_request, request)) return TaskDecodeError{describe(*error)};
  return to_task_config(request.at("task"));
}

std::variant<TaskConfig, TaskDecodeError> decode_task_object(const json& task) {
  json copy = task;
  if (auto error = visit(schemas().task, copy)) {
    return TaskDecodeError{describe(*with_key(std::move(error), "task"))};
  }
  return to_task_config(copy);
}

std::variant<TaskConfig, TaskFileError> task_from_task_file(const std::string& path,
                                                            const config::cts::ConfigPath& contents) {
  const auto built = cts::build_config({contents});
  if (!built) return TaskFileError{"unable to read task file", config::hcl::to_string(built.error())};
  const auto& tasks = built.value().tasks;
  const std::size_t count = tasks ? tasks->size() : 0;
  if (count > 1) {
    return TaskFileError{
        "task file '" + path + "' cannot contain more than 1 task, contains " + std::to_string(count) + " tasks", ""};
  }
  if (count == 0) {
    return TaskFileError{"task file '" + path + "' does not contain a task, must contain at least one task", ""};
  }
  return tasks->front();
}

std::variant<std::monostate, std::string> set_task_variables(TaskConfig& task, const std::vector<VariableFile>& files) {
  cts::StringMap& variables = task.variables.ensure();
  for (const VariableFile& file : files) {
    auto parsed = driver::terraform::parse_module_variables(file.name, file.text);
    if (!parsed) return config::hcl::to_string(parsed.error());
    for (const auto& [name, value] : parsed.value()) variables[name] = cty_json(value);
  }
  return std::monostate{};
}

std::vector<std::vector<std::string>> task_deprecation_messages(const TaskConfig& task) {
  std::vector<std::vector<std::string>> messages;
  if (task.source) messages.push_back({source_field_message(*task.source)});
  if (task.source_inputs) {
    for (const cts::ModuleInputConfig& input : *task.source_inputs) {
      messages.push_back({source_input_message(cts::module_input_type(input))});
    }
  }
  if (task.condition) {
    if (const auto* services = std::get_if<cts::ServicesCondition>(&*task.condition)) {
      if (services->source_includes_var) {
        messages.push_back({source_includes_var_message("services", *services->source_includes_var)});
      }
    } else if (const auto* catalog = std::get_if<cts::CatalogServicesCondition>(&*task.condition)) {
      if (catalog->source_includes_var) {
        messages.push_back({source_includes_var_message("catalog-services", *catalog->source_includes_var)});
      }
    } else if (const auto* kv = std::get_if<cts::ConsulKvCondition>(&*task.condition)) {
      if (kv->source_includes_var) {
        messages.push_back({source_includes_var_message("consul-kv", *kv->source_includes_var)});
      }
    }
  }
  if (task.services && !task.services->empty()) {
    // One "unable to create request" line, then every message that applies, as CTS prints.
    std::vector<std::string> group;
    if (task.condition) {
      if (std::holds_alternative<cts::ServicesCondition>(*task.condition)) {
        group.push_back(services_field_message(
            "list of 'services' and 'condition \"services\"' block cannot both be configured. "
            "Consider using the 'names' field under 'condition \"services\"'"));
      } else {
        group.push_back(services_field_message(services_module_input_action(*task.services)));
      }
    }
    if (task.module_inputs) {
      for (const cts::ModuleInputConfig& input : *task.module_inputs) {
        if (std::holds_alternative<cts::ServicesModuleInput>(input.input)) {
          group.push_back(services_field_message(
              "list of 'services' and 'module_input \"services\"' block cannot both be configured. "
              "Consider using the 'names' field under 'module_input \"services\"'"));
        }
      }
    }
    if (!task.module_inputs && !task.condition) group.push_back(services_field_message(services_action(*task.services)));
    messages.push_back(std::move(group));
  }
  return messages;
}

}  // namespace baton::api::model
