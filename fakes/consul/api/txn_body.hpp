#pragma once
// The body of PUT /v1/txn (agent/txn_endpoint.go decodeTxnOps): KV operations, or the 400, 409
// or 413 Consul answers a body with.
//
// Two readers, one result. The general one parses the body as a JSON document, as Go's
// encoding/json does (keys matched case-insensitively, nulls as absent, wrong types refused).
// Nearly every body is plainer than that: an array of {"KV":{...}} objects whose fields are
// api.KVTxnOp's own names, once each, holding unsigned numbers and strings of printable ASCII
// without escapes (base64 values, keys, session ids). The plain reader takes those in one pass
// without building a document; anything else it hands to the general one. A transaction's
// value is kilobytes of base64, and the document's lexer, a character at a time, was 4% of a
// simulated seed. A property in tests/fakes/consul_txn_test.cpp checks the two agree.
#include <string>
#include <variant>
#include <vector>

#include "fakes/consul/server/consul_server.hpp"
#include "fakes/consul/store/txn.hpp"

namespace baton::fakes::consul {

// The operations, or Consul's refusal (status 400, 409 or 413; a 409 is reported per operation).
std::variant<std::vector<TxnOp>, RpcError> decode_txn_body(const std::string& body, const ConsulServerOptions& limits);

// The general reader alone (what decode_txn_body falls back to), for the test that compares.
std::variant<std::vector<TxnOp>, RpcError> decode_txn_body_as_document(const std::string& body,
                                                                       const ConsulServerOptions& limits);

}  // namespace baton::fakes::consul
