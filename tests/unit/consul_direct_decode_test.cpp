// direct_decode.hpp against the DOM decoders it stands in front of. For random answers (valid
// ones in any key order and spacing, and ones with a field dropped, nulled, mistyped, repeated,
// unknown fields, escapes, surrogates, floats, negative numbers, bytes overwritten, text cut
// short), two things must hold:
//   - whatever the direct path accepts, the DOM decodes without error to the same value;
//   - decode.hpp's answer (direct first, the DOM otherwise) is the DOM's: the same value, or the
//     same error text.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <limits>

#include "engine/consul/base64.hpp"
#include "engine/consul/decode.hpp"
#include "engine/consul/direct_decode.hpp"

namespace baton::consul {
namespace {

using Json = nlohmann::ordered_json;
using Members = std::vector<std::pair<std::string, Json>>;

// Half the cases build a document the way Consul would (only key order and spacing vary); the
// other half put odd things in it. Set per case by OddOrNot; the generators below read it.
bool g_odd = false;

struct OddOrNot {
  OddOrNot() { g_odd = *rc::gen::arbitrary<bool>(); }
  ~OddOrNot() { g_odd = false; }
};

// Now and then, in an odd document.
bool now_and_then(int one_in) { return g_odd && *rc::gen::inRange(0, one_in) == 0; }

rc::Gen<std::string> text() {
  const auto piece = rc::gen::weightedOneOf<std::string>({
      {8, rc::gen::container<std::string>(rc::gen::inRange<char>(0x20, 0x7F))},
      {1, rc::gen::element<std::string>("\"", "\\", "/", "\n", "\t", std::string(1, '\x01'), "\x7f", "\xc3\xa9",
                                        "\xe2\x82\xac", "\xf0\x9d\x84\x9e")},
  });
  return rc::gen::map(rc::gen::resize(6, rc::gen::container<std::vector<std::string>>(piece)), [](const std::vector<std::string>& pieces) {
    std::string all;
    for (const std::string& p : pieces) all += p;
    return all;
  });
}

Json string_list() {
  if (*rc::gen::inRange(0, 5) == 0) return nullptr;
  return *rc::gen::resize(3, rc::gen::container<std::vector<std::string>>(text()));
}

Json string_map() {
  if (*rc::gen::inRange(0, 5) == 0) return nullptr;
  Json map = Json::object();
  for (const std::string& key : *rc::gen::resize(3, rc::gen::container<std::vector<std::string>>(text()))) map[key] = *text();
  return map;
}

Json index() {
  return *rc::gen::weightedOneOf<std::uint64_t>(
      {{4, rc::gen::inRange<std::uint64_t>(0, 100000)}, {1, rc::gen::arbitrary<std::uint64_t>()},
       {1, rc::gen::just(std::numeric_limits<std::uint64_t>::max())}});
}

// Something of another type, or out of the subset the direct path reads.
Json odd_value() {
  return *rc::gen::element<Json>(Json(nullptr), Json(1.5), Json(-3), Json("x"), Json(true), Json::array(), Json::object(),
                                 Json(-0.0), Json(std::numeric_limits<std::int64_t>::min()), Json::array({1, "a"}),
                                 Json::object({{"ID", "nested"}}));
}

// An object from its members, shuffled; now and then one member dropped, made odd, or joined by
// an unknown one.
Json object(Members members) {
  for (std::size_t i = members.size(); i > 1; --i) std::swap(members[i - 1], members[*rc::gen::inRange<std::size_t>(0, i)]);
  Json json = Json::object();
  for (auto& [key, value] : members) {
    switch (g_odd ? *rc::gen::inRange(0, 30) : -1) {
      case 0: continue;  // dropped
      case 1: value = odd_value(); break;
      case 2: json["Unknown" + key] = odd_value(); break;
      default: break;
    }
    json[key] = std::move(value);
  }
  return json;
}

Json node() {
  return object({{"ID", *text()}, {"Node", *text()}, {"Address", *text()}, {"Datacenter", *text()},
                 {"TaggedAddresses", string_map()}, {"Meta", string_map()}, {"CreateIndex", index()}, {"ModifyIndex", index()}});
}

Json service() {
  Members members{{"ID", *text()}, {"Service", *text()}, {"Tags", string_list()}, {"Address", *text()},
                  {"Port", *rc::gen::inRange(0, 65536)}, {"Meta", string_map()}, {"Weights", {{"Passing", 1}, {"Warning", 1}}},
                  {"EnableTagOverride", false}, {"CreateIndex", index()}, {"ModifyIndex", index()}};
  if (*rc::gen::arbitrary<bool>()) members.emplace_back("Kind", *text());
  if (*rc::gen::arbitrary<bool>()) members.emplace_back("Namespace", *text());
  return object(std::move(members));
}

Json check() {
  Members members{{"Node", *text()}, {"CheckID", *text()}, {"Name", *text()}, {"Status", *rc::gen::element<std::string>("passing", "critical")},
                  {"CreateIndex", index()}, {"ModifyIndex", index()}};
  for (const char* optional : {"Notes", "Output", "ServiceID", "ServiceName", "Type"}) {
    if (*rc::gen::inRange(0, 4) != 0) members.emplace_back(optional, *text());
  }
  if (*rc::gen::inRange(0, 4) != 0) members.emplace_back("ServiceTags", string_list());
  return object(std::move(members));
}

template <class Make>
Json list_of(Make make, int most) {
  Json list = Json::array();
  const int count = *rc::gen::inRange(0, most + 1);
  for (int i = 0; i < count; ++i) list.push_back(make());
  return list;
}

Json service_entry() {
  const Json checks = *rc::gen::inRange(0, 8) == 0 ? Json(nullptr) : list_of(&check, 3);
  return object({{"Node", node()}, {"Service", service()}, {"Checks", checks}});
}

Json session() {
  Members members{{"ID", *text()},
                  {"Name", *text()},
                  {"Node", *text()},
                  {"LockDelay", *rc::gen::weightedOneOf<std::int64_t>({{4, rc::gen::inRange<std::int64_t>(0, 60'000'000'000)},
                                                                         {1, rc::gen::arbitrary<std::int64_t>()}})},
                  {"Behavior", now_and_then(10) ? *text() : *rc::gen::element<std::string>("release", "delete")},
                  {"TTL", now_and_then(10) ? *rc::gen::element<std::string>("bogus", "-5s", "5") : *rc::gen::element<std::string>("", "15s", "1m30s")},
                  {"CreateIndex", index()},
                  {"ModifyIndex", index()}};
  if (*rc::gen::inRange(0, 4) != 0) members.emplace_back("NodeChecks", string_list());
  if (*rc::gen::inRange(0, 3) == 0) members.emplace_back("Checks", string_list());
  if (*rc::gen::inRange(0, 4) != 0) {
    const auto service_check = [] { return object({{"ID", *text()}, {"Namespace", ""}}); };
    members.emplace_back("ServiceChecks", *rc::gen::arbitrary<bool>() ? Json(nullptr) : list_of(service_check, 2));
  }
  return object(std::move(members));
}

Json kv_pair() {
  const std::string bytes = *rc::gen::resize(12, rc::gen::container<std::string>(rc::gen::arbitrary<char>()));
  Json value = *rc::gen::inRange(0, 6) == 0 ? Json(nullptr) : Json(base64_encode(bytes));
  if (now_and_then(10)) value = "!!not base64";
  Members members{{"LockIndex", index()}, {"Key", *text()}, {"Flags", index()}, {"Value", value}, {"CreateIndex", index()}, {"ModifyIndex", index()}};
  if (*rc::gen::arbitrary<bool>()) members.emplace_back("Session", *text());
  return object(std::move(members));
}

Json txn_committed() {
  const auto result = [] { return object({{"KV", kv_pair()}}); };
  return object({{"Results", *rc::gen::inRange(0, 6) == 0 ? Json(nullptr) : list_of(result, 3)}, {"Errors", nullptr}});
}

// Snippets that, put in at a random place, make a document odd: a repeated or extra member,
// escapes the direct path leaves to the DOM, a float, a negative number, stray punctuation.
const std::vector<std::string> kSnippets = {
    "\"ID\":\"dup\",", "\"Port\":-1,", "\"Node\":null,", "\"Key\":\"k\",", "\"CreateIndex\":1.0,", "\"X\":\"\\u00e9\\ud83d\\ude00\",",
    "\"Meta\":{\"a\":\"b\",\"a\":\"c\"},", " ", "\t\r\n", ",", "null", "]", "}", "\"", "\\u0041", "1e5", "\xef\xbb\xbf"};

// The document as text: compact or indented, with non-ASCII escaped or not; then now and then
// a snippet put in, a byte overwritten, or the text cut short.
std::string render(const Json& json) {
  const int indent = *rc::gen::element(-1, -1, -1, 1);
  std::string body = json.dump(indent, ' ', *rc::gen::inRange(0, 4) == 0);
  if (body.empty() || !g_odd) return body;
  switch (*rc::gen::inRange(0, 4)) {
    case 0: {
      const std::size_t brace = body.find('{', *rc::gen::inRange<std::size_t>(0, body.size()));
      const std::size_t at = brace == std::string::npos ? *rc::gen::inRange<std::size_t>(0, body.size() + 1) : brace + 1;
      body.insert(at, *rc::gen::elementOf(kSnippets));
      break;
    }
    case 1: body[*rc::gen::inRange<std::size_t>(0, body.size())] = *rc::gen::arbitrary<char>(); break;
    case 2: body.resize(*rc::gen::inRange<std::size_t>(0, body.size())); break;
    default: break;
  }
  return body;
}

http::Response answer(std::string body) {
  return http::Response{.status = 200, .headers = {{"X-Consul-Index", "7"}}, .body = std::move(body)};
}

// The two properties, for one decoder: `direct` (direct_decode.hpp), `dom` (the DOM alone) and
// `full` (decode.hpp's, direct first).
template <class T>
void check_agree(const std::string& body, const std::optional<T>& direct, const ConsulResult<T>& dom, const ConsulResult<T>& full) {
  RC_CLASSIFY(direct.has_value(), "decoded directly");
  RC_CLASSIFY(!direct && dom.ok(), "left to the DOM, which decodes it");
  RC_CLASSIFY(!dom.ok(), "refused (DOM error)");
  if (direct) {
    RC_ASSERT(dom.ok());
    RC_ASSERT(*direct == dom.value());
  }
  RC_ASSERT(full.ok() == dom.ok());
  if (full.ok()) {
    RC_ASSERT(full.value() == dom.value());
  } else {
    RC_ASSERT(full.error().kind == dom.error().kind);
    RC_ASSERT(full.error().message == dom.error().message);
  }
  (void)body;
}

constexpr std::string_view kPath = "/v1/test";

RC_GTEST_PROP(ConsulDirectDecode, ServiceEntriesAgreeWithTheDom, ()) {
  const OddOrNot odd;
  const std::string body = render(list_of(&service_entry, 4));
  check_agree(body, direct_service_entries(body), dom::decode_service_entries(answer(body), kPath),
              decode_service_entries(answer(body), kPath));
}

RC_GTEST_PROP(ConsulDirectDecode, SessionsAgreeWithTheDom, ()) {
  const OddOrNot odd;
  const std::string body = render(list_of(&session, 3));
  check_agree(body, direct_sessions(body), dom::decode_sessions(answer(body), kPath), decode_sessions(answer(body), kPath));
}

RC_GTEST_PROP(ConsulDirectDecode, KvPairsAgreeWithTheDom, ()) {
  const OddOrNot odd;
  const std::string body = render(list_of(&kv_pair, 3));
  check_agree(body, direct_kv_pairs(body), dom::decode_kv_pairs(answer(body), kPath), decode_kv_pairs(answer(body), kPath));
}

RC_GTEST_PROP(ConsulDirectDecode, TxnResultsAgreeWithTheDom, ()) {
  const OddOrNot odd;
  const std::string body = render(txn_committed());
  const auto equal = [](const TxnCommitted& a, const TxnCommitted& b) { return a.results == b.results; };
  const std::optional<TxnCommitted> direct = direct_txn_committed(body);
  const ConsulResult<TxnCommitted> dom_result = dom::decode_txn_committed(answer(body), kPath);
  const ConsulResult<TxnCommitted> full = decode_txn_committed(answer(body), kPath);
  RC_CLASSIFY(direct.has_value(), "decoded directly");
  if (direct) RC_ASSERT(dom_result.ok() && equal(*direct, dom_result.value()));
  RC_ASSERT(full.ok() == dom_result.ok());
  if (full.ok()) {
    RC_ASSERT(equal(full.value(), dom_result.value()));
  } else {
    RC_ASSERT(full.error().message == dom_result.error().message);
  }
}

// Bodies that are not even close: every decoder refuses them as the DOM does.
RC_GTEST_PROP(ConsulDirectDecode, ArbitraryBytesAgreeWithTheDom, ()) {
  const std::string body = *rc::gen::container<std::string>(rc::gen::element<char>('[', ']', '{', '}', '"', ':', ',', '0', '1', '-',
                                                                                   'n', 'u', 'l', ' ', 'A', '\\', '\x80'));
  check_agree(body, direct_sessions(body), dom::decode_sessions(answer(body), kPath), decode_sessions(answer(body), kPath));
  check_agree(body, direct_kv_pairs(body), dom::decode_kv_pairs(answer(body), kPath), decode_kv_pairs(answer(body), kPath));
}

TEST(ConsulDirectDecode, TheFakesHealthAnswerIsDecodedDirectly) {
  const std::string body =
      R"([{"Checks":[{"CheckID":"serfHealth","CreateIndex":5,"ModifyIndex":5,"Name":"Serf Health Status","Node":"n1",)"
      R"("Notes":"","Output":"Agent alive and reachable","ServiceID":"","ServiceName":"","ServiceTags":[],"Status":"passing",)"
      R"("Type":""}],"Node":{"Address":"10.0.0.1","CreateIndex":5,"Datacenter":"dc1","ID":"id-1","Meta":{},"ModifyIndex":5,)"
      R"("Node":"n1","TaggedAddresses":{}},"Service":{"Address":"10.9.0.1","CreateIndex":9,"EnableTagOverride":false,"ID":"web-1",)"
      R"("Meta":null,"ModifyIndex":9,"Port":8080,"Service":"web","Tags":["a"],"Weights":{"Passing":1,"Warning":1}}}])";
  const std::optional<std::vector<ServiceEntry>> entries = direct_service_entries(body);
  ASSERT_TRUE(entries.has_value());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].service.port, 8080);
  EXPECT_EQ((*entries)[0].checks.at(0).output, "Agent alive and reachable");
  EXPECT_EQ(*entries, dom::decode_service_entries(answer(body), kPath).value());
}

}  // namespace
}  // namespace baton::consul
