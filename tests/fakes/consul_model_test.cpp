// Model-based test of the fake Consul: random sequences of KV writes, acquires, releases,
// session creates, renews and destroys, and clock advances, run against the fake (through its
// HTTP API, in virtual time) and against a reference model written from consul-semantics.md
// alone. After every command the key it touched must agree; RapidCheck shrinks a failing
// sequence to a minimal one.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <map>

#include "fakes/consul/api/base64.hpp"
#include "tests/fakes/consul_api_fixture.hpp"

namespace baton::fakes::consul::test {
namespace {

constexpr std::int64_t kTtlSeconds = 10;  // the smallest TTL Consul allows by default
const std::vector<std::string> kKeys = {"a", "b", "c"};
constexpr int kSessionSlots = 3;

// ---- The model ----------------------------------------------------------------------------
struct ModelKey {
  std::string value;
  int holder = -1;  // session slot, -1 when unlocked
  std::uint64_t lock_index = 0;
};

struct ModelSession {
  bool alive = false;
  bool has_ttl = false;
  bool delete_behavior = false;
  std::int64_t lock_delay_s = 0;
  std::int64_t expires_at_ns = 0;
};

struct Model {
  std::int64_t now_ns = 0;
  std::map<std::string, ModelKey> keys;
  std::map<std::string, std::int64_t> lock_delay_until_ns;
  std::array<ModelSession, kSessionSlots> sessions{};

  void invalidate(int slot, std::int64_t at_ns) {
    ModelSession& session = sessions[std::size_t(slot)];
    session.alive = false;
    for (auto it = keys.begin(); it != keys.end();) {
      if (it->second.holder != slot) {
        ++it;
        continue;
      }
      if (session.lock_delay_s > 0) lock_delay_until_ns[it->first] = at_ns + seconds(session.lock_delay_s);
      if (session.delete_behavior) {
        it = keys.erase(it);
      } else {
        it->second.holder = -1;
        ++it;
      }
    }
  }

  // Sessions whose 2 x TTL deadline has come expire, earliest first.
  void advance(std::int64_t to_ns) {
    for (;;) {
      int next = -1;
      for (int slot = 0; slot < kSessionSlots; ++slot) {
        const ModelSession& s = sessions[std::size_t(slot)];
        if (s.alive && s.has_ttl && s.expires_at_ns <= to_ns && (next < 0 || s.expires_at_ns < sessions[std::size_t(next)].expires_at_ns)) next = slot;
      }
      if (next < 0) break;
      invalidate(next, sessions[std::size_t(next)].expires_at_ns);
    }
    now_ns = to_ns;
  }
};

// ---- The system under test ------------------------------------------------------------------
struct Sut : ConsulHarness {
  std::array<std::string, kSessionSlots> ids;

  // The state of `key` as the fake shows it, in model terms.
  std::optional<ModelKey> read(const std::string& key) {
    http::Response response = call("GET", "/v1/kv/" + key);
    if (response.status == 404) return std::nullopt;
    const nlohmann::json entry = json(response)[0];
    ModelKey seen{*base64_decode(entry["Value"].get<std::string>()), -1, entry["LockIndex"].get<std::uint64_t>()};
    const std::string session = entry.value("Session", "");
    for (int slot = 0; slot < kSessionSlots; ++slot) {
      if (!session.empty() && ids[std::size_t(slot)] == session) seen.holder = slot;
    }
    if (!session.empty() && seen.holder < 0) seen.holder = 99;  // a session the model does not know
    return seen;
  }
};

void check_key(const Model& model, Sut& sut, const std::string& key) {
  const std::optional<ModelKey> seen = sut.read(key);
  auto expected = model.keys.find(key);
  RC_ASSERT(seen.has_value() == (expected != model.keys.end()));
  if (!seen) return;
  RC_ASSERT(seen->value == expected->second.value);
  RC_ASSERT(seen->holder == expected->second.holder);
  RC_ASSERT(seen->lock_index == expected->second.lock_index);
}

using Command = rc::state::Command<Model, Sut>;

// RapidCheck hands run() the model as it was before the command: compare with it after.
Model after(const Command& command, const Model& before) {
  Model next = before;
  command.apply(next);
  return next;
}

struct Put : Command {
  std::string key = *rc::gen::elementOf(kKeys);
  std::string value = *rc::gen::element<std::string>("x", "y", "z");
  void apply(Model& model) const override {
    ModelKey& entry = model.keys[key];
    entry.value = value;
    entry.lock_index = 0;  // kvsSetTxn writes the request's LockIndex, 0; the holder stays
  }
  void run(const Model& model, Sut& sut) const override {
    RC_ASSERT(sut.call("PUT", "/v1/kv/" + key, value).body == "true");
    check_key(after(*this, model), sut, key);
  }
  void show(std::ostream& os) const override { os << "PUT " << key << "=" << value; }
};

struct Acquire : Command {
  std::string key = *rc::gen::elementOf(kKeys);
  int slot = *rc::gen::inRange(0, kSessionSlots);
  void checkPreconditions(const Model& model) const override { RC_PRE(model.sessions[std::size_t(slot)].alive); }
  void apply(Model& model) const override {
    auto delay = model.lock_delay_until_ns.find(key);
    if (delay != model.lock_delay_until_ns.end() && delay->second > model.now_ns) return;
    auto it = model.keys.find(key);
    if (it == model.keys.end()) {
      model.keys[key] = ModelKey{"held", slot, 1};
    } else if (it->second.holder == slot) {
      it->second.value = "held";
    } else if (it->second.holder < 0) {
      it->second = ModelKey{"held", slot, it->second.lock_index + 1};
    }
  }
  void run(const Model& model, Sut& sut) const override {
    sut.call("PUT", "/v1/kv/" + key + "?acquire=" + sut.ids[std::size_t(slot)], "held");
    check_key(after(*this, model), sut, key);
  }
  void show(std::ostream& os) const override { os << "ACQUIRE " << key << " by s" << slot; }
};

struct Release : Command {
  std::string key = *rc::gen::elementOf(kKeys);
  int slot = *rc::gen::inRange(0, kSessionSlots);
  void checkPreconditions(const Model& model) const override { RC_PRE(model.sessions[std::size_t(slot)].alive); }
  void apply(Model& model) const override {
    auto it = model.keys.find(key);
    if (it != model.keys.end() && it->second.holder == slot) {
      it->second.holder = -1;
      it->second.value = "released";
    }
  }
  void run(const Model& model, Sut& sut) const override {
    sut.call("PUT", "/v1/kv/" + key + "?release=" + sut.ids[std::size_t(slot)], "released");
    check_key(after(*this, model), sut, key);
  }
  void show(std::ostream& os) const override { os << "RELEASE " << key << " by s" << slot; }
};

struct Delete : Command {
  std::string key = *rc::gen::elementOf(kKeys);
  void apply(Model& model) const override { model.keys.erase(key); }
  void run(const Model& model, Sut& sut) const override {
    RC_ASSERT(sut.call("DELETE", "/v1/kv/" + key).body == "true");
    check_key(after(*this, model), sut, key);
  }
  void show(std::ostream& os) const override { os << "DELETE " << key; }
};

struct CreateSession : Command {
  int slot = *rc::gen::inRange(0, kSessionSlots);
  bool has_ttl = *rc::gen::arbitrary<bool>();
  bool delete_behavior = *rc::gen::arbitrary<bool>();
  std::int64_t lock_delay_s = *rc::gen::element<std::int64_t>(0, 5, 15);
  void checkPreconditions(const Model& model) const override { RC_PRE(!model.sessions[std::size_t(slot)].alive); }
  void apply(Model& model) const override {
    model.sessions[std::size_t(slot)] = ModelSession{true, has_ttl, delete_behavior, lock_delay_s,
                                                     model.now_ns + seconds(2 * kTtlSeconds)};
  }
  void run(const Model&, Sut& sut) const override {
    nlohmann::json body = {{"LockDelay", std::to_string(lock_delay_s) + "s"}, {"Behavior", delete_behavior ? "delete" : "release"}};
    if (has_ttl) body["TTL"] = std::to_string(kTtlSeconds) + "s";
    sut.ids[std::size_t(slot)] = sut.create_session(body.dump());
    RC_ASSERT(!sut.ids[std::size_t(slot)].empty());
  }
  void show(std::ostream& os) const override {
    os << "CREATE s" << slot << (has_ttl ? " ttl=10s" : " no-ttl") << " lock_delay=" << lock_delay_s << "s"
       << (delete_behavior ? " delete" : " release");
  }
};

struct Renew : Command {
  int slot = *rc::gen::inRange(0, kSessionSlots);
  void checkPreconditions(const Model& model) const override { RC_PRE(model.sessions[std::size_t(slot)].alive); }
  void apply(Model& model) const override {
    ModelSession& session = model.sessions[std::size_t(slot)];
    if (session.has_ttl) session.expires_at_ns = model.now_ns + seconds(2 * kTtlSeconds);
  }
  void run(const Model&, Sut& sut) const override {
    RC_ASSERT(sut.call("PUT", "/v1/session/renew/" + sut.ids[std::size_t(slot)]).status == 200);
  }
  void show(std::ostream& os) const override { os << "RENEW s" << slot; }
};

struct Destroy : Command {
  int slot = *rc::gen::inRange(0, kSessionSlots);
  void checkPreconditions(const Model& model) const override { RC_PRE(model.sessions[std::size_t(slot)].alive); }
  void apply(Model& model) const override { model.invalidate(slot, model.now_ns); }
  void run(const Model& model, Sut& sut) const override {
    RC_ASSERT(sut.call("PUT", "/v1/session/destroy/" + sut.ids[std::size_t(slot)]).body == "true");
    const Model next = after(*this, model);
    for (const std::string& key : kKeys) check_key(next, sut, key);
  }
  void show(std::ostream& os) const override { os << "DESTROY s" << slot; }
};

struct Advance : Command {
  std::int64_t by_s = *rc::gen::inRange<std::int64_t>(1, 25);
  void apply(Model& model) const override { model.advance(model.now_ns + seconds(by_s)); }
  void run(const Model& model, Sut& sut) const override {
    const Model next = after(*this, model);
    sut.world_.run_until(next.now_ns);
    for (int slot = 0; slot < kSessionSlots; ++slot) {
      if (sut.ids[std::size_t(slot)].empty()) continue;
      const bool alive = !sut.json(sut.call("GET", "/v1/session/info/" + sut.ids[std::size_t(slot)])).empty();
      RC_ASSERT(alive == next.sessions[std::size_t(slot)].alive);
    }
    for (const std::string& key : kKeys) check_key(next, sut, key);
  }
  void show(std::ostream& os) const override { os << "ADVANCE " << by_s << "s"; }
};

RC_GTEST_PROP(ConsulModel, FakeAgreesWithTheReferenceModel, ()) {
  Sut sut;
  Model model;
  model.now_ns = sut.world_.now_ns();
  rc::state::check(model, sut,
                   rc::state::gen::execOneOfWithArgs<Put, Acquire, Release, Delete, CreateSession, Renew, Destroy, Advance>());
}

}  // namespace
}  // namespace baton::fakes::consul::test
