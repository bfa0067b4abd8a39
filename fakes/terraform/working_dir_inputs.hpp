#pragma once
// What Terraform reads from a task's working directory, as the fake needs it: the files that
// feed a run (their digest), the keys of the `services` map in terraform.tfvars, and the path
// of the consul backend in main.tf.
//
// The files are the ones Terraform loads: *.tf and *.tf.json (configuration), terraform.tfvars,
// terraform.tfvars.json, *.auto.tfvars and *.auto.tfvars.json (variable values). Hidden
// entries (.terraform/) and CTS's terraform.tfvars.tmpl are not inputs.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "engine/ports/filesystem.hpp"

namespace baton::fakes::terraform {

struct WorkingDirInputs {
  std::map<std::string, std::string> files;  // file name -> content
  std::string digest;                        // inputs_digest(files)
  std::optional<FileError> error;            // a file could not be read

  bool has(std::string_view name) const { return files.contains(std::string(name)); }
  const std::string* file(std::string_view name) const;
};

WorkingDirInputs read_working_dir(FileSystem& files, const std::string& working_dir);

bool is_terraform_input(std::string_view file_name);

// FNV-1a 64 over every (name, content) in name order, as 16 hex digits.
std::string inputs_digest(const std::map<std::string, std::string>& files);

// The keys of the top-level `services = { "<key>" = {...}, ... }` map as CTS writes
// terraform.tfvars (templates/tftmpl/tfvars.go, hclwrite-formatted): one `  "<key>" = {` line per
// instance, two spaces in. Other variables and nested maps are not looked at.
std::set<std::string> service_keys_in_tfvars(std::string_view tfvars);

// The `path` argument of main.tf's `backend "consul" { ... }` block; nullopt when there is no
// consul backend (or no path in it).
std::optional<std::string> consul_backend_path(std::string_view main_tf);

// The 1-based line of `variable "<name>" {` in a variables file, 0 when absent.
int variable_declaration_line(std::string_view variables_tf, std::string_view name);

}  // namespace baton::fakes::terraform
