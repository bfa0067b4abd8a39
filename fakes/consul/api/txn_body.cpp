#include "fakes/consul/api/txn_body.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "fakes/consul/api/base64.hpp"
#include "fakes/consul/api/json_fields.hpp"

namespace baton::fakes::consul {
namespace {

// One api.KVTxnOp's fields as the body gave them, before Consul's checks.
struct KvOpFields {
  std::string verb;
  std::string key;
  std::string value;  // base64, as sent
  std::string session;
  std::uint64_t flags = 0;
  std::uint64_t index = 0;
};

// Consul's checks of one operation, in its order: the value's base64 and size, the verb, the key.
std::variant<TxnOp, RpcError> checked_op(KvOpFields fields, const ConsulServerOptions& limits) {
  TxnOp op{.verb = TxnVerb::get};
  op.entry.key = std::move(fields.key);
  op.entry.flags = fields.flags;
  op.entry.session = std::move(fields.session);
  op.index = fields.index;
  std::optional<std::string> value = base64_decode(fields.value);
  if (!value) return RpcError{"Failed to parse body: illegal base64 data in Value", 400};
  op.entry.value = std::move(*value);
  if (op.entry.value.size() > limits.kv_max_value_size_bytes) {
    return RpcError{fmt::format("Value for key \"{}\" is too large ({} > {} bytes)", op.entry.key, op.entry.value.size(),
                                limits.kv_max_value_size_bytes),
                    413};
  }
  const std::optional<TxnVerb> verb = parse_txn_verb(fields.verb);
  if (!verb) return RpcError{fmt::format("unknown KV verb \"{}\"", fields.verb), 409};
  op.verb = *verb;
  if (op.entry.key.empty() && op.verb != TxnVerb::delete_tree) return RpcError{"Must provide key", 409};
  return op;
}

RpcError too_many(std::size_t count, const ConsulServerOptions& limits) {
  return RpcError{fmt::format("Transaction contains too many operations ({} > {})", count, limits.txn_max_ops), 413};
}

std::variant<std::vector<TxnOp>, RpcError> checked_ops(std::vector<KvOpFields> all, const ConsulServerOptions& limits) {
  if (all.size() > limits.txn_max_ops) return too_many(all.size(), limits);
  std::vector<TxnOp> ops;
  ops.reserve(all.size());
  for (KvOpFields& fields : all) {
    std::variant<TxnOp, RpcError> op = checked_op(std::move(fields), limits);
    if (auto* error = std::get_if<RpcError>(&op)) return std::move(*error);
    ops.push_back(std::get<TxnOp>(std::move(op)));
  }
  return ops;
}

// Reads the plain shape (txn_body.hpp) or gives up, saying nothing about why: the general
// reader decides what anything else means.
class PlainReader {
 public:
  explicit PlainReader(std::string_view text) : text_(text) {}

  std::optional<std::vector<KvOpFields>> operations() {
    std::vector<KvOpFields> all;
    if (!eat('[')) return std::nullopt;
    if (!eat(']')) {
      do {
        std::optional<KvOpFields> fields = operation();
        if (!fields) return std::nullopt;
        all.push_back(std::move(*fields));
      } while (eat(','));
      if (!eat(']')) return std::nullopt;
    }
    skip_space();
    if (at_ != text_.size()) return std::nullopt;
    return all;
  }

 private:
  // {"KV":{...}} with each of the six fields at most once.
  std::optional<KvOpFields> operation() {
    if (!eat('{') || plain_string() != "KV" || !eat(':') || !eat('{')) return std::nullopt;
    KvOpFields fields;
    unsigned seen = 0;
    if (!eat('}')) {
      do {
        const std::optional<std::string_view> name = plain_string();
        if (!name || !eat(':') || !field(*name, fields, seen)) return std::nullopt;
      } while (eat(','));
      if (!eat('}')) return std::nullopt;
    }
    if (!eat('}')) return std::nullopt;
    return fields;
  }

  bool field(std::string_view name, KvOpFields& fields, unsigned& seen) {
    static constexpr std::string_view kStrings[] = {"Verb", "Key", "Value", "Session"};
    static constexpr std::string_view kNumbers[] = {"Flags", "Index"};
    std::string* const strings[] = {&fields.verb, &fields.key, &fields.value, &fields.session};
    std::uint64_t* const numbers[] = {&fields.flags, &fields.index};
    for (std::size_t i = 0; i < 4; ++i) {
      if (name != kStrings[i]) continue;
      const std::optional<std::string_view> text = plain_string();
      if (!text || !first_time(seen, i)) return false;
      strings[i]->assign(*text);
      return true;
    }
    for (std::size_t i = 0; i < 2; ++i) {
      if (name != kNumbers[i]) continue;
      const std::optional<std::uint64_t> number = plain_number();
      if (!number || !first_time(seen, 4 + i)) return false;
      *numbers[i] = *number;
      return true;
    }
    return false;  // another name, or another spelling of one (encoding/json ignores case)
  }

  static bool first_time(unsigned& seen, std::size_t bit) {
    if (seen & (1u << bit)) return false;  // a repeated field: the document keeps the last
    seen |= 1u << bit;
    return true;
  }

  // A string of printable ASCII without escapes.
  std::optional<std::string_view> plain_string() {
    if (!eat('"')) return std::nullopt;
    const std::size_t start = at_;
    while (at_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[at_]);
      if (c == '"') return text_.substr(start, at_++ - start);
      if (c < 0x20 || c >= 0x80 || c == '\\') return std::nullopt;
      ++at_;
    }
    return std::nullopt;
  }

  // An unsigned integer of at most 19 digits (so it fits), without a leading zero, fraction or
  // exponent.
  std::optional<std::uint64_t> plain_number() {
    skip_space();
    const std::size_t start = at_;
    std::uint64_t value = 0;
    while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') value = value * 10 + std::uint64_t(text_[at_++] - '0');
    const std::size_t digits = at_ - start;
    if (digits == 0 || digits > 19 || (digits > 1 && text_[start] == '0')) return std::nullopt;
    if (at_ < text_.size() && (text_[at_] == '.' || text_[at_] == 'e' || text_[at_] == 'E')) return std::nullopt;
    return value;
  }

  bool eat(char c) {
    skip_space();
    if (at_ == text_.size() || text_[at_] != c) return false;
    ++at_;
    return true;
  }

  void skip_space() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) ++at_;
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

std::variant<std::vector<TxnOp>, RpcError> decode_txn_body(const std::string& body, const ConsulServerOptions& limits) {
  std::optional<std::vector<KvOpFields>> plain = PlainReader(body).operations();
  if (!plain) return decode_txn_body_as_document(body, limits);
  return checked_ops(std::move(*plain), limits);
}

std::variant<std::vector<TxnOp>, RpcError> decode_txn_body_as_document(const std::string& body,
                                                                       const ConsulServerOptions& limits) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& error) {
    return RpcError{fmt::format("Failed to parse body: {}", error.what()), 400};
  }
  if (!json.is_array()) return RpcError{"Failed to parse body: json: cannot unmarshal object into Go value of type api.TxnOps", 400};
  if (json.size() > limits.txn_max_ops) return too_many(json.size(), limits);
  std::vector<TxnOp> ops;
  for (const nlohmann::json& item : json) {
    const nlohmann::json* kv = field(item, "KV");
    if (kv == nullptr) {
      // A deliberate difference: Node, Service, Check and Session operations are not modelled.
      return RpcError{"Failed to parse body: fake-consul supports only KV operations in /v1/txn", 400};
    }
    KvOpFields fields;
    try {
      fields.verb = field_or<std::string>(*kv, "Verb", "");
      fields.key = field_or<std::string>(*kv, "Key", "");
      fields.flags = field_or<std::uint64_t>(*kv, "Flags", 0);
      fields.session = field_or<std::string>(*kv, "Session", "");
      fields.index = field_or<std::uint64_t>(*kv, "Index", 0);
      fields.value = field_or<std::string>(*kv, "Value", "");
    } catch (const nlohmann::json::exception& error) {
      return RpcError{fmt::format("Failed to parse body: {}", error.what()), 400};
    }
    std::variant<TxnOp, RpcError> op = checked_op(std::move(fields), limits);
    if (auto* error = std::get_if<RpcError>(&op)) return std::move(*error);
    ops.push_back(std::get<TxnOp>(std::move(op)));
  }
  return ops;
}

}  // namespace baton::fakes::consul
