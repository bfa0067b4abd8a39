#pragma once
// The hcat templates CTS writes to terraform.tfvars.tmpl, one per monitored variable
// (templates/tftmpl/template_*.go), and their rendering by Go's text/template into
// terraform.tfvars, computed directly from the Consul data.
#include <string>

#include "engine/driver/terraform/task_input.hpp"

namespace baton::driver::terraform {

// A template's output, cut where it meets its neighbours: Go's `{{-` trims whitespace from the
// end of the text before it, which may belong to the previous template or to the preamble.
struct TemplateOutput {
  std::string head;          // text before the first action; all of the text when there is none
  bool has_actions = false;  // the first action is then a `{{-`
  std::string body;          // what the actions and the text between them render
  std::string tail;          // text after the last action
};

// Whether the template sets the `services` variable (services templates that render it).
bool sets_services_variable(const Template& tmpl);

// The template's text in terraform.tfvars.tmpl.
std::string template_source(const Template& tmpl);

TemplateOutput template_output(const Template& tmpl, const ConsulData& data);

}  // namespace baton::driver::terraform
