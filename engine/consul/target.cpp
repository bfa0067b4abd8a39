#include "engine/consul/target.hpp"

#include "engine/http/message.hpp"

namespace baton::consul {

Target::Target(std::string_view prefix, std::string_view rest)
    : path_(std::string(prefix) + http::percent_encode(rest, /*keep_slashes=*/true)) {}

Target& Target::param(std::string_view name, std::string_view value) {
  flag(name);
  query_ += '=';
  query_ += http::percent_encode(value);
  return *this;
}

Target& Target::flag(std::string_view name) {
  query_ += query_.empty() ? '?' : '&';
  query_ += http::percent_encode(name);
  return *this;
}

Target& Target::param_if(std::string_view name, std::string_view value) {
  if (!value.empty()) param(name, value);
  return *this;
}

}  // namespace baton::consul
