#pragma once
// What a command sees of its process: its standard streams and its environment. main() passes
// std::cin, std::cout, std::cerr and ::getenv; tests pass string streams and a map.
#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>

namespace baton::cli {

struct CliContext {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  // os.LookupEnv: nullopt when the variable is not set (set to "" is set).
  std::function<std::optional<std::string>(const std::string&)> getenv;
  // The program's name in help and hints ("For additional help try 'baton task enable
  // --help'"). CTS writes "consul-terraform-sync" there; the binary here is baton.
  std::string program = "baton";
};

}  // namespace baton::cli
