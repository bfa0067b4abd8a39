#pragma once
// The simulator's structured trace: one record per notable event, in the order they happen,
// and a digest over all of them. Two runs of one scenario with one seed must produce the same
// digest; the determinism tests compare nothing else.
//
// Wake-ups (every coroutine resumption) are always hashed but, being the bulk of a run, kept
// as records only when TraceOptions::keep_wakes is set.
#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace baton::sim {

enum class TraceKind : std::uint8_t {
  wake,     // a coroutine of a node resumed (timer fired, message or event arrived)
  fault,    // the simulator did something to a node or the network (crash, pause, skew...)
  state,    // a node or component changed state (started, leader acquired, fenced...)
  message,  // a message sent, delivered or dropped between nodes
  log,      // a log line a node wrote
  check,    // a checker's finding
};

const char* to_string(TraceKind kind);

struct TraceRecord {
  std::int64_t at_ns;  // true virtual time
  TraceKind kind;
  std::string node;    // empty for the world itself
  std::string name;    // what happened: "crash", "acquired", "info"...
  std::string detail;  // free text: key=value pairs or a log line
};

struct TraceOptions {
  // Keep every wake-up as a record (big: one per event); they are hashed either way.
  bool keep_wakes = false;
  // Keep records at all; off for swarms that need only the digest.
  bool keep_records = true;
  // Keep message records (sends, deliveries, drops: most of a run's records); they are hashed
  // either way. `sim run` keeps them only for --trace: its checkers read faults, states and logs.
  bool keep_messages = true;
};

class Trace {
 public:
  explicit Trace(TraceOptions options = {}) : options_(options) {}

  void add(std::int64_t at_ns, TraceKind kind, std::string_view node, std::string_view name,
           std::string_view detail = {});

  // A record whose detail is costly to format (a message's): the digest covers `fields`
  // (integers and strings) whether or not the record is kept, and `format_detail` runs only
  // when it is, so --trace never changes the digest.
  template <class FormatDetail, class... Fields>
  void add_fields(std::int64_t at_ns, TraceKind kind, std::string_view node, std::string_view name,
                  FormatDetail&& format_detail, const Fields&... fields) {
    ++count_;
    mix(std::uint64_t(at_ns));
    mix(std::uint64_t(kind));
    mix(node);
    mix(name);
    (mix_field(fields), ...);
    if (keeps(kind)) records_.push_back({at_ns, kind, std::string(node), std::string(name), format_detail()});
  }

  // The fast path for wake-ups: hashed from integers, no strings built unless kept.
  void add_wake(std::int64_t at_ns, std::uint32_t node_index, std::string_view node_name, std::uint64_t sequence) {
    ++count_;
    mix(std::uint64_t(at_ns));
    mix(node_index);
    mix(sequence);
    if (options_.keep_wakes && options_.keep_records) keep_wake(at_ns, node_name, sequence);
  }

  // A 64-bit hash over every record's fields, in order, a word at a time: each word is xored
  // in, multiplied by the 64-bit golden-ratio constant and folded (digest ^= digest >> 32).
  // Byte-at-a-time FNV-1a spent a tenth of a run hashing message labels.
  std::uint64_t digest() const { return digest_; }
  std::string digest_hex() const;
  std::uint64_t count() const { return count_; }
  const std::vector<TraceRecord>& records() const { return records_; }

  // One JSON object per line: {"at_ns":..,"kind":..,"node":..,"name":..,"detail":..}.
  void write_jsonl(std::ostream& out) const;

 private:
  bool keeps(TraceKind kind) const {
    return options_.keep_records && (kind != TraceKind::message || options_.keep_messages);
  }
  void mix_field(std::string_view text) { mix(text); }
  void mix_field(std::uint64_t value) { mix(value); }
  void mix_field(std::int64_t value) { mix(std::uint64_t(value)); }
  void mix_field(bool value) { mix(std::uint64_t(value)); }
  void mix(std::uint64_t value) {
    digest_ = (digest_ ^ value) * 0x9e3779b97f4a7c15ULL;
    digest_ ^= digest_ >> 32;
  }
  void mix(std::string_view text) {
    mix(std::uint64_t(text.size()));
    std::size_t at = 0;
    for (; at + 8 <= text.size(); at += 8) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + at, 8);
      mix(word);
    }
    std::uint64_t tail = 0;  // the last 0..7 bytes; the length above tells how many
    for (std::size_t byte = 0; at + byte < text.size(); ++byte) tail |= std::uint64_t(std::uint8_t(text[at + byte])) << (8 * byte);
    mix(tail);
  }
  void keep_wake(std::int64_t at_ns, std::string_view node, std::uint64_t sequence);

  TraceOptions options_;
  std::uint64_t digest_ = 0xcbf29ce484222325ULL;
  std::uint64_t count_ = 0;
  std::vector<TraceRecord> records_;
};

}  // namespace baton::sim
