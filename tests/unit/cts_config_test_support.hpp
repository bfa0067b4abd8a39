#pragma once
// Shortcuts shared by the cts_config_* tests.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "engine/config/cts/config.hpp"
#include "engine/config/cts/decode.hpp"
#include "engine/config/cts/environment.hpp"
#include "engine/config/cts/printer.hpp"

namespace baton::config::cts::testing {

// The decoded file, or a gtest failure naming the error (and an empty Config).
inline Config decode_ok(std::string_view text, std::string_view name = "config.hcl") {
  auto decoded = decode_config_file(name, text);
  if (!decoded) {
    ADD_FAILURE() << "decode failed: " << hcl::to_string(decoded.error()) << "\n" << text;
    return Config{};
  }
  return decoded.value();
}

// "file:line:column: message", or "decoded" when the text decodes.
inline std::string decode_error(std::string_view text, std::string_view name = "config.hcl") {
  auto decoded = decode_config_file(name, text);
  return decoded ? std::string("decoded") : hcl::to_string(decoded.error());
}

}  // namespace baton::config::cts::testing

#include "engine/config/cts/load.hpp"

namespace baton::config::cts::testing {

// The environment the tests finalize with: no variables, a known host and directory.
inline Environment test_environment() {
  Environment environment;
  environment.hostname = "host-1";
  environment.working_directory = "/work";
  return environment;
}

// load_config of one file: the effective Config, or a gtest failure.
inline Config load_ok(std::string_view text, std::string_view name = "config.hcl",
                      const Environment& environment = test_environment()) {
  auto loaded = load_config({ConfigPath{std::string(name), false, {ConfigFile{std::string(name), std::string(text)}}}},
                            environment);
  if (!loaded) {
    ADD_FAILURE() << "load failed: " << hcl::to_string(loaded.error()) << "\n" << text;
    return Config{};
  }
  return loaded.value();
}

// load_config of one file: "file:line:column: message", or "valid".
inline std::string load_error(std::string_view text, std::string_view name = "config.hcl") {
  auto loaded = load_config({ConfigPath{std::string(name), false, {ConfigFile{std::string(name), std::string(text)}}}},
                            test_environment());
  return loaded ? std::string("valid") : hcl::to_string(loaded.error());
}

}  // namespace baton::config::cts::testing
