#include "engine/config/cts/decode_monitors.hpp"

#include <optional>
#include <utility>

#include "engine/config/cts/go_object.hpp"

namespace baton::config::cts {
namespace {

// decodeConditionToType / decodeModuleInputToType: a decoder of its own over one block body.
// The inner decoder unwraps at the interface, the two pointers it goes through and the struct.
template <class T, class Read>
std::optional<T> decode_inner(Decoding& outer, const std::string& name, const GoValue& body, Read read) {
  Decoding inner(/*weak_decode_from_slice=*/true);
  Opt<T> decoded;
  decode_struct(inner, "", body, decoded, read, /*levels=*/4);
  if (inner.failed()) {
    outer.fail_with("error decoding '" + name + "': ", inner);
    return std::nullopt;
  }
  const std::vector<UnusedKey> unused = inner.sorted_unused();
  if (!unused.empty()) {
    std::string keys;
    for (const UnusedKey& key : unused) keys += (keys.empty() ? "" : ", ") + key.name;
    outer.fail(unused.front().position, "error decoding '" + name + "': invalid keys: " + keys);
    return std::nullopt;
  }
  if (!decoded) {
    // A nil body (JSON null): mapstructure leaves the zero-valued struct the hook allocated.
    return T{};
  }
  return std::move(*decoded);
}

void read_use_as_module_input(StructReader& reader, Opt<bool>& use, Opt<bool>& deprecated) {
  reader.field("use_as_module_input", use);
  reader.field("source_includes_var", deprecated);
}

void read_services_condition(StructReader& reader, ServicesCondition& condition) {
  read_use_as_module_input(reader, condition.use_as_module_input, condition.source_includes_var);
  read_services_monitor(reader, condition.monitor);
}

void read_catalog_services_condition(StructReader& reader, CatalogServicesCondition& condition) {
  reader.field("regexp", condition.regexp);
  reader.field("datacenter", condition.datacenter);
  reader.field("namespace", condition.namespace_name);
  reader.field("node_meta", condition.node_meta);
  read_use_as_module_input(reader, condition.use_as_module_input, condition.source_includes_var);
}

void read_consul_kv_condition(StructReader& reader, ConsulKvCondition& condition) {
  read_use_as_module_input(reader, condition.use_as_module_input, condition.source_includes_var);
  read_consul_kv_monitor(reader, condition.monitor);
}

void read_schedule_condition(StructReader& reader, ScheduleCondition& condition) {
  reader.field("cron", condition.cron);
}

void read_no_condition(StructReader&, NoCondition&) {}

// The map of labels the hook looks into: HCL gives a one-element []map, JSON a map.
// nullptr with an error set when HCL gave several.
const GoValue* labels_of(Decoding& d, const std::string& name, const GoValue& in, std::string_view what) {
  if (in.kind == GoKind::map_slice) {
    if (in.elements.size() != 1) {
      d.fail(in.position, "error decoding '" + name + "': expected only one item in hcl " + std::string(what) +
                              " but got " + std::to_string(in.elements.size()) + ": " + go_sprint(in));
      return nullptr;
    }
    return &in.elements.front();
  }
  return in.kind == GoKind::map ? &in : nullptr;
}

template <class T, class Read>
bool try_condition(Decoding& d, const std::string& name, const GoValue* labels, std::string_view type,
                   Opt<Condition>& out, Read read) {
  const GoValue* body = labels == nullptr ? nullptr : labels->find(type);
  if (body == nullptr) return false;
  if (auto decoded = decode_inner<T>(d, name, *body, read)) out.set(Condition(std::move(*decoded)), body->position);
  return true;
}

void decode_module_input(Decoding& d, const std::string& name, const GoValue& in, std::vector<ModuleInputConfig>& out) {
  if (in.kind == GoKind::nil) {
    // A nil element stays a nil interface in CTS; it has no type to check.
    return;
  }
  const std::size_t errors_before = d.error_count();
  const GoValue* labels = labels_of(d, name, in, "module_input");
  if (d.error_count() != errors_before) return;
  if (const GoValue* body = labels == nullptr ? nullptr : labels->find("services")) {
    if (auto decoded = decode_inner<ServicesMonitorConfig>(d, name, *body, read_services_monitor)) {
      out.push_back(ModuleInputConfig{ServicesModuleInput{std::move(*decoded)}, Where{body->position}});
    }
    return;
  }
  if (const GoValue* body = labels == nullptr ? nullptr : labels->find("consul-kv")) {
    if (auto decoded = decode_inner<ConsulKvMonitorConfig>(d, name, *body, read_consul_kv_monitor)) {
      out.push_back(ModuleInputConfig{ConsulKvModuleInput{std::move(*decoded)}, Where{body->position}});
    }
    return;
  }
  d.fail(in.position, "error decoding '" + name + "': unsupported module_input type: " + go_sprint(in));
}

}  // namespace

void read_services_monitor(StructReader& reader, ServicesMonitorConfig& monitor) {
  reader.field("regexp", monitor.regexp);
  reader.field("names", monitor.names);
  // CTS's struct tag is misspelt (`mapstricture:"datacenter"`), so mapstructure knows this
  // field by its Go name, which still matches `datacenter` case-insensitively.
  reader.field("Datacenter", monitor.datacenter);
  reader.field("namespace", monitor.namespace_name);
  reader.field("filter", monitor.filter);
  reader.field("cts_user_defined_meta", monitor.cts_user_defined_meta);
}

void read_consul_kv_monitor(StructReader& reader, ConsulKvMonitorConfig& monitor) {
  reader.field("path", monitor.path);
  reader.field("recurse", monitor.recurse);
  reader.field("datacenter", monitor.datacenter);
  reader.field("namespace", monitor.namespace_name);
}

void decode_condition(Decoding& d, const std::string& name, const GoValue& in, Opt<Condition>& out) {
  if (in.kind == GoKind::nil) return;
  const std::size_t errors_before = d.error_count();
  const GoValue* labels = labels_of(d, name, in, "condition");
  if (d.error_count() != errors_before) return;
  // conditionToTypeFunc's order: the first type present wins, the others are ignored.
  if (try_condition<NoCondition>(d, name, labels, "no-condition", out, read_no_condition)) return;
  if (try_condition<CatalogServicesCondition>(d, name, labels, "catalog-services", out, read_catalog_services_condition)) return;
  if (try_condition<ServicesCondition>(d, name, labels, "services", out, read_services_condition)) return;
  if (try_condition<ConsulKvCondition>(d, name, labels, "consul-kv", out, read_consul_kv_condition)) return;
  if (try_condition<ScheduleCondition>(d, name, labels, "schedule", out, read_schedule_condition)) return;
  d.fail(in.position, "error decoding '" + name + "': unsupported condition type: " + go_sprint(in));
}

void decode_module_inputs(Decoding& d, const std::string& name, const GoValue& in,
                          Opt<std::vector<ModuleInputConfig>>& out) {
  const auto elements = slice_elements(d, in, 1);
  if (!elements) return;
  const std::size_t errors_before = d.error_count();
  std::vector<ModuleInputConfig> decoded;
  for (std::size_t i = 0; i < elements->size(); ++i) {
    decode_module_input(d, element_path(name, i), *(*elements)[i], decoded);
  }
  if (d.error_count() == errors_before) out.set(std::move(decoded), after_slice_hook(d, in, 1).position);
}

}  // namespace baton::config::cts
