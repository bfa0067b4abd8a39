// baton: the production daemon. The daemon's commands arrive with the engine (issue 6) and
// the API and CLI (issue 8); until then this binary proves the production bindings link.
#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"baton: Consul-Terraform-Sync compatible automation with high availability"};
  app.set_version_flag("--version", std::string("baton ") + BATON_VERSION);
  CLI11_PARSE(app, argc, argv);
  std::cout << app.help();
  return 0;
}
