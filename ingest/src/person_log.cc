// PersonIndex's log of records for bulk loading (Log, IndexLogged): a bulk
// load adds millions of person records but resolves only its keyless ones,
// all known when the load ends, so only the blocks those probe are built.
//
// Why the result is exact: Resolve(r) reads the block lists of r's probed
// keys P (their persons in order of first addition, max_block at most) and
// the fields of the persons in them. IndexLogged replays, in log order,
// every logged record of each person that has a logged record in a block of
// P or was already in such a block (LoadFrom); every logged record with a
// key of P is among them, so each block of P lists the same persons in the
// same order as if every record had been added, and its persons know all
// their records. A person left out has no logged record in a block of P;
// when Add later gives it a record, its logged records are indexed first,
// so its fields are complete too, and blocks of P stay as they were.
#include <algorithm>
#include <cstring>
#include <vector>

#include "citygraph/ingest/resolver.h"

namespace citygraph::ingest {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

// A set of 64-bit keys (open addressing, linear probing; 0 is kept apart).
class KeySet {
 public:
  explicit KeySet(size_t n) {
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    slots_.assign(cap, 0);
  }
  void Insert(uint64_t x) {
    if (x == 0) {
      has_zero_ = true;
      return;
    }
    const size_t mask = slots_.size() - 1;
    for (size_t i = Mix(x) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == x) return;
      if (slots_[i] == 0) {
        slots_[i] = x;
        return;
      }
    }
  }
  bool Contains(uint64_t x) const {
    if (x == 0) return has_zero_;
    const size_t mask = slots_.size() - 1;
    for (size_t i = Mix(x) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == x) return true;
      if (slots_[i] == 0) return false;
    }
  }

 private:
  static uint64_t Mix(uint64_t x) { return (x ^ (x >> 31)) * 0x9E3779B97F4A7C15ull; }
  std::vector<uint64_t> slots_;
  bool has_zero_ = false;
};

}  // namespace

struct PersonIndex::LogState {
  // One logged record: what Add stores of it. Its name and sex are stored
  // one after the other in its chunk's text at `text_at`.
  struct Record {
    BlockKeys keys;
    VertexId v;
    int32_t birth_date;
    uint64_t text_at;
    uint32_t name_size, sex_size;
    bool has_address, has_phone;
  };
  // Records, and their texts, in fixed chunks: appending never moves them
  // (a single text would be copied each time it doubled).
  static constexpr size_t kChunkBits = 15;
  static constexpr size_t kChunk = size_t{1} << kChunkBits;
  static constexpr size_t kTextPerRecord = 12;  // reserved: a name (6-9 bytes) and a sex (3)

  const Record& at(size_t i) const { return chunks[i >> kChunkBits][i & (kChunk - 1)]; }
  Fields FieldsOf(size_t i) const {
    const Record& r = at(i);
    const std::string_view t(texts[i >> kChunkBits].data() + r.text_at, r.name_size + r.sex_size);
    return Fields{t.substr(0, r.name_size), t.substr(r.name_size), r.birth_date, r.has_address,
                  r.has_phone};
  }

  std::vector<std::unique_ptr<Record[]>> chunks;
  std::vector<std::string> texts;  // by chunk
  size_t size = 0;
  VertexId max_vertex = 0;
  bool indexed = false;  // IndexLogged has run
  // After IndexLogged, by vertex: whether it has logged records not yet
  // indexed (kLogged), and their chain in log order (built on first use).
  enum : uint8_t { kNo = 0, kLogged = 1, kNeeded = 2 };
  std::vector<uint8_t> state;
  std::vector<uint32_t> head, next;
};

PersonIndex::PersonIndex() = default;
PersonIndex::~PersonIndex() = default;
PersonIndex::PersonIndex(PersonIndex&&) noexcept = default;
PersonIndex& PersonIndex::operator=(PersonIndex&&) noexcept = default;

void PersonIndex::Log(VertexId v, const MatchRecord& r, const BlockKeys& keys) {
  if (log_ == nullptr) log_ = std::make_unique<LogState>();
  if (log_->indexed) {
    Add(v, r, keys);
    return;
  }
  Append(v, r, keys);
}

void PersonIndex::Append(VertexId v, const MatchRecord& r, const BlockKeys& keys) {
  LogState& log = *log_;
  if ((log.size & (LogState::kChunk - 1)) == 0) {
    log.chunks.push_back(std::make_unique_for_overwrite<LogState::Record[]>(LogState::kChunk));
    log.texts.emplace_back().reserve(LogState::kChunk * LogState::kTextPerRecord);
  }
  std::string& text = log.texts.back();
  LogState::Record& rec = log.chunks.back()[log.size & (LogState::kChunk - 1)];
  rec = LogState::Record{keys,
                         v,
                         r.birth_date,
                         text.size(),
                         static_cast<uint32_t>(r.name.size()),
                         static_cast<uint32_t>(r.sex.size()),
                         !r.address.empty(),
                         !r.phone.empty()};
  text.append(r.name).append(r.sex);
  ++log.size;
  log.max_vertex = std::max(log.max_vertex, v);
}

void PersonIndex::IndexLogged(const std::vector<const MatchRecord*>& probes) {
  if (log_ == nullptr) log_ = std::make_unique<LogState>();
  LogState& log = *log_;
  if (log.indexed) return;
  log.indexed = true;
  if (log.size == 0) return;
  // The blocks the probes will read, hashed once.
  std::vector<uint64_t> probed_keys;
  probed_keys.reserve(3 * probes.size());
  for (const MatchRecord* r : probes) {
    uint64_t keys[3];
    const size_t n = ProbedKeys(*r, BlockKeysOf(*r), keys);
    probed_keys.insert(probed_keys.end(), keys, keys + n);
  }
  KeySet probed(probed_keys.size());
  for (uint64_t k : probed_keys) probed.Insert(k);
  auto reaches = [&](const LogState::Record& rec) {
    return (rec.has_address && probed.Contains(rec.keys.address)) ||
           (rec.has_phone && probed.Contains(rec.keys.phone)) ||
           (rec.name_size > 0 && rec.birth_date != MatchRecord::kNoDate &&
            probed.Contains(rec.keys.name_birth));
  };
  std::vector<uint8_t>& state = log.state;
  state.assign(static_cast<size_t>(log.max_vertex) + 1, LogState::kNo);
  for (size_t i = 0; i < log.size; ++i) {
    const LogState::Record& rec = log.at(i);
    if (reaches(rec)) {
      state[rec.v] = LogState::kNeeded;
    } else if (state[rec.v] == LogState::kNo) {
      state[rec.v] = LogState::kLogged;
    }
  }
  // Persons already indexed (LoadFrom) in a probed block: their logged
  // records complete what Resolve will compare.
  for (uint64_t key : probed_keys) {
    const BlockSlot* s = FindBlock(key);
    if (s == nullptr) continue;
    for (uint32_t node = s->head; node != kNoSlot; node = block_nodes_[node].next) {
      const VertexId v = block_nodes_[node].v;
      if (v < state.size() && state[v] == LogState::kLogged) state[v] = LogState::kNeeded;
    }
  }
  for (size_t i = 0; i < log.size; ++i) {
    const LogState::Record& rec = log.at(i);
    if (state[rec.v] == LogState::kNeeded) AddFields(rec.v, log.FieldsOf(i), rec.keys);
  }
  for (uint8_t& s : state) {
    if (s == LogState::kNeeded) s = LogState::kNo;
  }
}

bool PersonIndex::LogOrCatchUp(VertexId v, const MatchRecord& r, const BlockKeys& keys) {
  LogState& log = *log_;
  if (!log.indexed) {
    Append(v, r, keys);
    return true;
  }
  if (v >= log.state.size() || log.state[v] != LogState::kLogged) return false;
  if (log.head.empty()) {
    // Chains of the records still logged, in log order.
    log.head.assign(log.state.size(), kNone);
    log.next.assign(log.size, kNone);
    for (size_t i = log.size; i-- > 0;) {
      const LogState::Record& rec = log.at(i);
      if (log.state[rec.v] != LogState::kLogged) continue;
      log.next[i] = log.head[rec.v];
      log.head[rec.v] = static_cast<uint32_t>(i);
    }
  }
  for (uint32_t i = log.head[v]; i != kNone; i = log.next[i]) {
    const LogState::Record& rec = log.at(i);
    AddFields(v, log.FieldsOf(i), rec.keys);
  }
  log.state[v] = LogState::kNo;
  return false;
}

}  // namespace citygraph::ingest
