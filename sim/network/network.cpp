#include "sim/network/network.hpp"

#include <fmt/format.h>

#include <cassert>
#include <string>

namespace baton::sim {
namespace {

constexpr std::int64_t kNsPerUs = 1000;

void check(const LinkOptions& link) {
  assert(0 <= link.latency_us_min && link.latency_us_min <= link.latency_us_max && "latency range");
  assert(link.loss_percent <= 100 && "loss is a percentage");
  (void)link;
}

// Runs a message delivered to a paused receiver when it resumes. A free coroutine with its
// argument by value, so the callback lives in the frame for as long as the task does.
Task<void> handle_arrival(std::function<void()> on_arrival) {
  on_arrival();
  co_return;
}

}  // namespace

Network::Network(World& world, NetworkOptions options) : world_(world), options_(options) {
  check(options_.default_link);
}

void Network::set_link(const Node& from, const Node& to, LinkOptions link) {
  check(link);
  links_[{from.index(), to.index()}] = link;
  fault("link", fmt::format("from={} to={} latency_us={}..{} loss_percent={}", from.name(), to.name(),
                            link.latency_us_min, link.latency_us_max, link.loss_percent));
}

void Network::set_link_both(const Node& a, const Node& b, LinkOptions link) {
  set_link(a, b, link);
  set_link(b, a, link);
}

const LinkOptions& Network::link(const Node& from, const Node& to) const {
  const auto found = links_.find({from.index(), to.index()});
  return found == links_.end() ? options_.default_link : found->second;
}

void Network::isolate(const Node& node) {
  partitions_.isolate(node.index());
  fault("isolate", fmt::format("node={}", node.name()));
}

void Network::rejoin(const Node& node) {
  partitions_.rejoin(node.index());
  fault("rejoin", fmt::format("node={}", node.name()));
}

void Network::cut(const Node& a, const Node& b) {
  partitions_.cut_one_way(a.index(), b.index());
  partitions_.cut_one_way(b.index(), a.index());
  fault("cut", fmt::format("between={},{}", a.name(), b.name()));
}

void Network::cut_one_way(const Node& from, const Node& to) {
  partitions_.cut_one_way(from.index(), to.index());
  fault("cut_one_way", fmt::format("from={} to={}", from.name(), to.name()));
}

void Network::heal_link(const Node& a, const Node& b) {
  partitions_.heal_one_way(a.index(), b.index());
  partitions_.heal_one_way(b.index(), a.index());
  fault("heal_link", fmt::format("between={},{}", a.name(), b.name()));
}

void Network::split(const std::vector<std::vector<const Node*>>& groups) {
  std::vector<std::vector<std::uint32_t>> indexes;
  std::string detail;
  for (const auto& group : groups) {
    indexes.emplace_back();
    detail += detail.empty() ? "groups=" : "|";
    for (const Node* node : group) {
      indexes.back().push_back(node->index());
      if (detail.back() != '=' && detail.back() != '|') detail += ',';
      detail += node->name();
    }
  }
  partitions_.split(indexes);
  fault("split", detail);
}

void Network::heal() {
  partitions_.heal_all();
  fault("heal", "");
}

MessageId Network::send(Node& from, Node& to, std::string_view description, std::function<void()> on_arrival) {
  assert(on_arrival && "a message does something when it arrives");
  const MessageId id = next_id_++;
  ++stats_.sent;
  const LinkOptions& wire = link(from, to);
  const std::int64_t latency_ns = world_.rng().between(wire.latency_us_min, wire.latency_us_max) * kNsPerUs;
  const bool lost = world_.rng().chance_percent(wire.loss_percent);
  const std::int64_t arrive_ns = world_.now_ns() + latency_ns;
  world_.trace().add_fields(
      world_.now_ns(), TraceKind::message, from.name(), "send",
      [&] { return fmt::format("id={} to={} msg={} arrive_ns={}", id, to.name(), description, arrive_ns); }, id,
      to.name(), description, arrive_ns);
  if (!partitions_.passes(from.index(), to.index())) {
    ++stats_.cut;
    note_drop(to, id, description, "cut_at_send");
    return id;
  }
  if (lost) {
    ++stats_.lost;
    note_drop(to, id, description, "loss");
    return id;
  }
  std::uint32_t slot = 0;
  if (free_in_flight_.empty()) {
    slot = std::uint32_t(in_flight_.size());
    in_flight_.emplace_back();
  } else {
    slot = free_in_flight_.back();
    free_in_flight_.pop_back();
  }
  InFlight& message = in_flight_[slot];
  message.from = &from;
  message.to = &to;
  message.id = id;
  message.description.assign(description);
  message.on_arrival = std::move(on_arrival);
  world_.schedule_at(arrive_ns, [this, slot] { arrive(slot); });
  return id;
}

void Network::arrive(std::uint32_t in_flight) {
  // Taken out of the pool first: what runs below may send, and so grow in_flight_.
  std::function<void()> on_arrival = std::move(in_flight_[in_flight].on_arrival);
  in_flight_[in_flight].on_arrival = nullptr;
  const InFlight& message = in_flight_[in_flight];
  Node& from = *message.from;
  Node& to = *message.to;
  const MessageId id = message.id;
  const std::string_view description = message.description;
  const auto release = [&] { free_in_flight_.push_back(in_flight); };
  if (!partitions_.passes(from.index(), to.index())) {
    ++stats_.cut;
    note_drop(to, id, description, "cut_at_arrival");
    return release();
  }
  if (to.state() != NodeState::running && to.state() != NodeState::paused) {
    ++stats_.refused;
    note_drop(to, id, description, fmt::format("receiver_{}", to_string(to.state())));
    return release();
  }
  ++stats_.delivered;
  const bool held = to.state() == NodeState::paused;
  world_.trace().add_fields(
      world_.now_ns(), TraceKind::message, to.name(), "deliver",
      [&] { return fmt::format("id={} from={} msg={}{}", id, from.name(), description, held ? " held=paused" : ""); },
      id, from.name(), description, held);
  release();
  if (held) {
    // Handled when the node resumes, in order with its other late wake-ups.
    to.scope().spawn(handle_arrival(std::move(on_arrival)));
    return;
  }
  world_.run_as(to, on_arrival);
}

void Network::note_drop(const Node& at, MessageId id, std::string_view description, std::string_view reason) {
  world_.trace().add_fields(
      world_.now_ns(), TraceKind::message, at.name(), "drop",
      [&] { return fmt::format("id={} msg={} reason={}", id, description, reason); }, id, description, reason);
}

void Network::fault(std::string_view name, std::string_view detail) {
  world_.trace().add(world_.now_ns(), TraceKind::fault, "", std::string("net.") + std::string(name), detail);
}

}  // namespace baton::sim
