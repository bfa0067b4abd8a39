// terraform.tfvars.tmpl (templates/tftmpl/tfvars.go newTFVarsTmpl) and terraform.tfvars, the
// file hcat renders from it whenever the task's Consul data changes.
#include <algorithm>

#include "engine/driver/terraform/files.hpp"
#include "engine/driver/terraform/tfvars_templates.hpp"

namespace baton::driver::terraform {
namespace {

// The services variable is declared in variables.tf whatever the templates; without a template
// that sets it, CTS appends an empty value.
std::string empty_services_unless_set(const TaskInput& task) {
  const bool set = std::any_of(task.templates.begin(), task.templates.end(), sets_services_variable);
  return set ? "" : "\nservices = {\n}\n";
}

// text/template's `{{-`: the preceding text node loses its trailing spaces, tabs and newlines.
void trim_trailing_space(std::string& text) {
  const std::size_t keep = text.find_last_not_of(" \t\r\n");
  text.erase(keep == std::string::npos ? 0 : keep + 1);
}

// out += text + body, for a body of megabytes (10,000 services): taking over the body's buffer,
// which has room to spare, and moving its bytes up costs one pass over memory already touched,
// where copying it into `out` would fault in a fresh buffer as large.
void append_large(std::string& out, std::string text, std::string body) {
  if (body.size() <= out.size()) {
    out += text;
    out += body;
    return;
  }
  out += text;
  body.insert(0, out);
  out = std::move(body);
}

}  // namespace

std::string render_tfvars_template(const TaskInput& task) {
  std::string out = preamble(task);
  for (const Template& tmpl : task.templates) out += template_source(tmpl);
  return out + empty_services_unless_set(task);
}

std::string render_tfvars(const TaskInput& task, const ConsulData& data) {
  std::string out;
  std::string text = preamble(task);  // the text node being accumulated, not yet trimmed
  for (const Template& tmpl : task.templates) {
    TemplateOutput piece = template_output(tmpl, data);
    text += piece.head;
    if (!piece.has_actions) continue;
    trim_trailing_space(text);
    append_large(out, std::move(text), std::move(piece.body));
    text = std::move(piece.tail);
  }
  out += text;
  out += empty_services_unless_set(task);
  return out;
}

}  // namespace baton::driver::terraform
