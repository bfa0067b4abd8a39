// The fake's answers written straight to text (json_text_views.hpp) against the DOM builders
// they replace (json_views.hpp): for random records, the text must be byte for byte what
// nlohmann's dump() gives, and where dump() throws (a string that is not UTF-8) the text
// writer must say so, for its caller to take the DOM path and throw the same way.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <limits>

#include "fakes/consul/api/json_text_views.hpp"
#include "fakes/consul/api/json_views.hpp"

namespace baton::fakes::consul {
namespace {

// Pieces strings are made of: plain ASCII, what JSON escapes, multi-byte UTF-8 up to four
// bytes; and, in a string of its own, bytes that are not UTF-8 at all.
rc::Gen<std::string> piece() {
  return rc::gen::weightedOneOf<std::string>({
      {6, rc::gen::container<std::string>(rc::gen::inRange<char>(0x20, 0x7F))},
      {2, rc::gen::element<std::string>("\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", std::string(1, '\0'), "\x01", "\x1f",
                                        "\x7f")},
      {2, rc::gen::element<std::string>("\xc3\xa9", "\xe2\x82\xac", "\xf0\x9d\x84\x9e", "\xef\xbf\xbf", "\xf4\x8f\xbf\xbf",
                                        "\xc2\x80", "\xe0\xa0\x80", "\xed\x9f\xbf", "\xee\x80\x80", "\xf0\x90\x80\x80")},
  });
}

// Not UTF-8: stray continuation bytes, overlong forms, surrogates, past U+10FFFF, truncated.
rc::Gen<std::string> not_utf8() {
  return rc::gen::element<std::string>("\x80", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                       "\xf5\x80\x80\x80", "\xff", "\xe2\x82", "\xc3", "\xf0\x9f\x98");
}

// Sizes are kept small (a dozen pieces a string, a few elements a list) so that a hundred
// cases of nested records run in well under a second.
// A record holds some forty strings: one in a hundred not UTF-8 leaves a third of the records
// to the DOM fallback and two thirds written.
rc::Gen<std::string> text() {
  const auto joined = [](const std::vector<std::string>& pieces) {
    std::string all;
    for (const std::string& p : pieces) all += p;
    return all;
  };
  const auto valid = rc::gen::map(rc::gen::resize(12, rc::gen::container<std::vector<std::string>>(piece())), joined);
  const auto invalid = rc::gen::map(rc::gen::tuple(valid, not_utf8(), valid), [](const auto& parts) {
    return std::get<0>(parts) + std::get<1>(parts) + std::get<2>(parts);
  });
  return rc::gen::weightedOneOf<std::string>({{99, valid}, {1, invalid}});
}

rc::Gen<std::uint64_t> index() {
  return rc::gen::weightedOneOf<std::uint64_t>({
      {3, rc::gen::arbitrary<std::uint64_t>()},
      {1, rc::gen::element<std::uint64_t>(0, 1, 9, 10, std::numeric_limits<std::uint64_t>::max())},
  });
}

std::map<std::string, std::string> string_map() {
  return *rc::gen::resize(4, rc::gen::container<std::map<std::string, std::string>>(text(), text()));
}
std::vector<std::string> strings() { return *rc::gen::resize(4, rc::gen::container<std::vector<std::string>>(text())); }

template <class T>
rc::Gen<std::vector<T>> few(T (*make)()) {
  return rc::gen::resize(5, rc::gen::container<std::vector<T>>(rc::gen::exec(make)));
}

CatalogNode node() {
  return CatalogNode{*text(), *text(), *text(), *text(), string_map(), string_map(), *index(), *index()};
}

ServiceInstance service() {
  const int port = *rc::gen::weightedOneOf<int>({{3, rc::gen::arbitrary<int>()},
                                                 {1, rc::gen::element(0, -1, std::numeric_limits<int>::min(), std::numeric_limits<int>::max())}});
  return ServiceInstance{*text(), *text(), *text(), strings(), *text(), port, string_map(), *index(), *index()};
}

HealthCheck check() {
  const CheckStatus status = *rc::gen::element(CheckStatus::passing, CheckStatus::warning, CheckStatus::critical, CheckStatus::maintenance);
  return HealthCheck{*text(), *text(), *text(), status, *text(), *text(), *text(), *text(), strings(), *text(), *index(), *index()};
}

HealthEntry health_entry() {
  HealthEntry entry{node(), service(), {}};
  const int checks = *rc::gen::inRange(0, 4);
  for (int i = 0; i < checks; ++i) entry.checks.push_back(check());
  return entry;
}

Session session() {
  Session s;
  s.id = *text();
  s.name = *text();
  s.node = *text();
  s.node_checks = strings();
  s.service_checks = strings();
  s.lock_delay = Duration(*rc::gen::weightedOneOf<std::int64_t>(
      {{3, rc::gen::arbitrary<std::int64_t>()}, {1, rc::gen::element<std::int64_t>(0, -1, std::numeric_limits<std::int64_t>::min())}}));
  s.behavior = *rc::gen::element(SessionBehavior::release, SessionBehavior::delete_keys);
  s.ttl_text = *text();
  s.create_index = *index();
  s.modify_index = *index();
  return s;
}

KvEntry kv_entry() {
  KvEntry entry;
  entry.key = *text();
  entry.value = *rc::gen::resize(20, rc::gen::container<std::string>(rc::gen::arbitrary<char>()));  // raw bytes: base64 on the wire
  entry.flags = *index();
  entry.lock_index = *index();
  entry.session = *rc::gen::weightedOneOf<std::string>({{1, rc::gen::just(std::string())}, {2, text()}});
  entry.create_index = *index();
  entry.modify_index = *index();
  return entry;
}

// The DOM's text, or nullopt where dump() throws.
std::optional<std::string> dumped(const nlohmann::json& json) {
  try {
    return json.dump();
  } catch (const nlohmann::json::type_error&) {
    return std::nullopt;
  }
}

template <class Item, class Write>
void check_same(const std::vector<Item>& items, Write write, const nlohmann::json& dom) {
  const std::optional<std::string> text = array_text(items, write);
  const std::optional<std::string> expected = dumped(dom);
  RC_CLASSIFY(!expected, "not UTF-8: dump() throws");
  RC_ASSERT(text.has_value() == expected.has_value());
  if (text) RC_ASSERT(*text == *expected);
}

RC_GTEST_PROP(ConsulJsonText, HealthEntriesAreWhatDumpGives, ()) {
  const auto entries = *few(&health_entry);
  nlohmann::json dom = nlohmann::json::array();
  for (const HealthEntry& entry : entries) dom.push_back(health_entry_json(entry));
  check_same(entries, &write_health_entry, dom);
}

RC_GTEST_PROP(ConsulJsonText, SessionsAreWhatDumpGives, ()) {
  const auto sessions = *few(&session);
  nlohmann::json dom = nlohmann::json::array();
  for (const Session& s : sessions) dom.push_back(session_json(s));
  check_same(sessions, &write_session, dom);
}

RC_GTEST_PROP(ConsulJsonText, KvEntriesAreWhatDumpGives, (bool with_value)) {
  const auto entries = *few(&kv_entry);
  nlohmann::json dom = nlohmann::json::array();
  for (const KvEntry& entry : entries) dom.push_back(kv_json(entry, with_value));
  check_same(entries, [&](JsonText& out, const KvEntry& entry) { write_kv(out, entry, with_value); }, dom);
}

RC_GTEST_PROP(ConsulJsonText, TxnResultsAreWhatDumpGives, ()) {
  std::vector<TxnResult> results;
  const int count = *rc::gen::inRange(0, 5);
  for (int i = 0; i < count; ++i) results.push_back(TxnResult{kv_entry(), *rc::gen::arbitrary<bool>()});
  std::vector<const TxnResult*> pointers;
  nlohmann::json list = nlohmann::json::array();
  for (const TxnResult& result : results) {
    pointers.push_back(&result);
    list.push_back({{"KV", kv_json(result.entry, result.with_value)}});
  }
  const nlohmann::json dom = {{"Results", list}, {"Errors", nullptr}};
  RC_ASSERT(txn_results_text(pointers) == dumped(dom));
}

// The writer's own pieces, one value at a time, against nlohmann's strings and numbers.
RC_GTEST_PROP(ConsulJsonText, StringsAreEscapedAsDumpDoes, ()) {
  const std::string value = *rc::gen::weightedOneOf<std::string>({{3, text()}, {1, rc::gen::apply([](std::string a, std::string b) { return a + b; }, text(), not_utf8())}});
  JsonText out;
  out.string(value);
  const std::optional<std::string> expected = dumped(nlohmann::json(value));
  RC_ASSERT(out.valid() == expected.has_value());
  if (expected) RC_ASSERT(out.take() == *expected);
}

RC_GTEST_PROP(ConsulJsonText, ArbitraryBytesAreEscapedAsDumpDoes, ()) {
  const std::string value = *rc::gen::container<std::string>(rc::gen::arbitrary<char>());
  JsonText out;
  out.string(value);
  const std::optional<std::string> expected = dumped(nlohmann::json(value));
  RC_ASSERT(out.valid() == expected.has_value());
  if (expected) RC_ASSERT(out.take() == *expected);
}

TEST(ConsulJsonText, EveryByteAloneIsEscapedAsDumpDoes) {
  for (int byte = 0; byte < 256; ++byte) {
    const std::string value(1, char(byte));
    JsonText out;
    out.string(value);
    const std::optional<std::string> expected = dumped(nlohmann::json(value));
    ASSERT_EQ(out.valid(), expected.has_value()) << byte;
    if (expected) {
      EXPECT_EQ(out.take(), *expected) << byte;
    }
  }
}

TEST(ConsulJsonText, EmptyRecordsAreWhatDumpGives) {
  const std::vector<HealthEntry> entries{HealthEntry{}};
  EXPECT_EQ(array_text(entries, &write_health_entry), nlohmann::json::array({health_entry_json(entries[0])}).dump());
  const std::vector<Session> sessions{Session{}};
  EXPECT_EQ(array_text(sessions, &write_session), nlohmann::json::array({session_json(sessions[0])}).dump());
  EXPECT_EQ(array_text(std::vector<Session>{}, &write_session), "[]");
}

}  // namespace
}  // namespace baton::fakes::consul
