#pragma once
// A task's module input variables, read as CTS v0.9.0 reads them (templates/tftmpl/
// module_variables.go): each `variable_files` file is HCL whose top level holds attributes
// only (`name = value`), and each value a literal: string, number, bool, list or object. The
// result feeds variables.module.tf and variables.auto.tfvars (TaskInput::variables).
//
// CTS parses these files with HCL2, baton with its HCL1 parser (engine/config/hcl): for the
// literals tfvars files hold the two agree. Differences, deliberate and documented:
// - an expression (`1 + 2`, a function call) is a syntax error here, where HCL2 would evaluate
//   what needs no variables; a `${...}` inside a string stays verbatim, where HCL2 interpolates;
// - a repeated name keeps the last value, where HCL2 reports "Attribute redefined".
#include <map>
#include <string>
#include <string_view>

#include "engine/config/hcl/error.hpp"
#include "engine/driver/terraform/value.hpp"

namespace baton::driver::terraform {

using ModuleVariables = std::map<std::string, Value>;

// ParseModuleVariables: the variables of one file's text. Errors carry `file_name`, line and
// column, e.g. `vars.tfvars:3:1: Unexpected "provider" block; Blocks are not allowed here.`
config::hcl::Result<ModuleVariables> parse_module_variables(std::string_view file_name, std::string_view text);

// One variable given as JSON text, the form CTS keeps a task's `variables` in (a file's values
// marshalled with ctyjson, or what the API was sent). `where` names it in errors.
config::hcl::Result<Value> module_variable_from_json(const std::string& where, std::string_view json_text);

}  // namespace baton::driver::terraform
