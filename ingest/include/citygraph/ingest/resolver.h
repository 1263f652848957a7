// Probabilistic entity resolution of person records that carry no valid
// identity number, in the Fellegi-Sunter manner: candidates come from
// blocks (same name + birth date, same address, same phone); each compared
// field adds log2(m/u) when it agrees and log2((1-m)/(1-u)) when it
// disagrees (0 when missing on either side); the sum is the match score.
// A score at or above `upper` merges the record into the best candidate
// unless a second candidate scores within `ambiguity_margin` of it (then it
// is only a possible match); a score in [lower, upper) is a possible match
// recorded for review; below `lower` the record is a new person.
// Records with a valid identity number never go through here, so two
// different valid identity numbers are never merged.
//
// Thread-safety: PersonIndex is not thread-safe; the ingest pipeline uses it
// from its serial resolve stage only.
#ifndef CITYGRAPH_INGEST_RESOLVER_H_
#define CITYGRAPH_INGEST_RESOLVER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "citygraph/graph.h"
#include "citygraph/ingest/mapping.h"

namespace citygraph::ingest {

// The comparable fields of one person record, already normalised. Empty
// strings / no_date mean "missing".
struct MatchRecord {
  static constexpr int32_t kNoDate = INT32_MIN;
  std::string name;
  int32_t birth_date = kNoDate;  // Date::days
  std::string sex;
  std::string address;
  std::string phone;
};

struct FieldComparison {
  std::string field;
  bool agree = false;
  double weight = 0;
};

// The blocking keys of a record (hashes of name + birth date, address,
// phone; each meaningful only when those fields are present). Computing them
// is pure and thread-safe, so the ingest pipeline does it in its parallel
// stage and hands them to PersonIndex::Add.
struct BlockKeys {
  uint64_t name_birth = 0;
  uint64_t address = 0;
  uint64_t phone = 0;
};
BlockKeys BlockKeysOf(const MatchRecord& r);

enum class MatchDecision { kMerged, kNew, kPossible };

struct MatchOutcome {
  MatchDecision decision = MatchDecision::kNew;
  VertexId candidate = kNoVertex;       // best candidate (kNoVertex if none)
  double score = 0;                     // best candidate's score (0 if none)
  std::vector<FieldComparison> fields;  // comparisons with the best candidate
};

class PersonIndex {
 public:
  PersonIndex();
  ~PersonIndex();
  PersonIndex(PersonIndex&&) noexcept;
  PersonIndex& operator=(PersonIndex&&) noexcept;

  // Adds what `r` says about person `v` (new values are appended to what is
  // known of `v`; blocks are updated).
  void Add(VertexId v, const MatchRecord& r) { Add(v, r, BlockKeysOf(r)); }
  // The same, with `keys` == BlockKeysOf(r) computed by the caller.
  void Add(VertexId v, const MatchRecord& r, const BlockKeys& keys);

  // Bulk loading, where millions of records are added and only a few
  // records, all known before the first Resolve, are resolved against them.
  // Log(v, r, keys) stands for Add(v, r, keys) but only appends the record
  // to a flat log. IndexLogged(probes) then indexes the logged records that
  // the blocks of `probes` reach (with every other logged record of their
  // persons); the rest stay logged, and Add of such a person indexes its
  // logged records first. After IndexLogged(probes), Resolve(r) of a record
  // whose blocks are among those of `probes`, and Add, give exactly what
  // they would had every Log been an Add (same candidates in the same block
  // order, same scores).
  // While a log exists and IndexLogged has not run, Add logs too (records
  // keep their order); after IndexLogged, Log is Add.
  // Preconditions: IndexLogged is called at most once; Resolve is not called
  // while records are logged and IndexLogged has not run, nor afterwards
  // with a record whose blocks `probes` did not have.
  void Log(VertexId v, const MatchRecord& r, const BlockKeys& keys);
  void IndexLogged(const std::vector<const MatchRecord*>& probes);
  // A hint before Add(v, r, keys) of a record with these keys: loads their
  // block table slots into the cache. Changes nothing.
  void Prefetch(const BlockKeys& keys) const;

  // Loads every Person of `snap`: name, birth date, sex properties, phones
  // through USES edges, addresses of houses it RESIDES_AT or whose household
  // it is a MEMBER_OF.
  void LoadFrom(const Snapshot& snap);

  // Scores `r` against the candidates of its blocks and decides.
  MatchOutcome Resolve(const MatchRecord& r, const ResolutionConfig& config) const;

  // Persons indexed so far (persons known only from logged records are not
  // counted).
  size_t size() const { return people_.size(); }

  // Makes room for `people` persons and `blocks` blocking keys (a hint).
  void Reserve(size_t people, size_t blocks);

 private:
  struct Person {
    std::vector<std::string> names;
    std::vector<int32_t> birth_dates;
    std::vector<std::string> sexes;
    std::vector<uint64_t> addresses;  // hashes
    std::vector<uint64_t> phones;     // hashes
  };
  // What one record says about a person, as Add stores it.
  struct Fields {
    std::string_view name, sex;
    int32_t birth_date = MatchRecord::kNoDate;
    bool has_address = false, has_phone = false;
  };
  struct LogState;  // the logged records (person_log.cc)
  void AddFields(VertexId v, const Fields& f, const BlockKeys& keys);
  // The blocking keys Resolve(r) probes: those of `keys` (== BlockKeysOf(r))
  // whose fields `r` has (name + birth date, address, phone, in that order).
  // Returns how many it wrote to `out`.
  static size_t ProbedKeys(const MatchRecord& r, const BlockKeys& keys, uint64_t out[3]);
  // Appends a record to the log (log_ exists, IndexLogged has not run).
  void Append(VertexId v, const MatchRecord& r, const BlockKeys& keys);
  // Add's side of the log (log_ exists): before IndexLogged the record is
  // logged instead, so records stay in order (returns true: done); after
  // it, the logged records of `v` not yet indexed are indexed first
  // (returns false: add the record).
  bool LogOrCatchUp(VertexId v, const MatchRecord& r, const BlockKeys& keys);
  double Score(const MatchRecord& r, const Person& p, const ResolutionConfig& c,
               std::vector<FieldComparison>* fields) const;
  void AddBlock(uint64_t key, VertexId v);
  const Person* Find(VertexId v) const {
    return v < slot_.size() && slot_[v] != kNoSlot ? &people_[slot_[v]] : nullptr;
  }

  static constexpr uint32_t kNoSlot = UINT32_MAX;
  std::vector<uint32_t> slot_;  // by vertex id: index into people_, or kNoSlot
  std::vector<Person> people_;
  // Blocks: an open-addressing table from blocking key to a list of the
  // block's persons in insertion order (linked through block_nodes_), so a
  // block costs no allocation of its own.
  struct BlockSlot {
    uint64_t key = 0;
    uint32_t head = kNoSlot, tail = kNoSlot;  // kNoSlot head: empty slot
  };
  struct BlockNode {
    VertexId v;
    uint32_t next;
  };
  const BlockSlot* FindBlock(uint64_t key) const;
  void GrowBlocks();
  std::vector<BlockSlot> block_slots_;
  size_t num_blocks_ = 0;
  std::vector<BlockNode> block_nodes_;
  std::unique_ptr<LogState> log_;  // null until the first Log or IndexLogged
};

// A stable 64-bit hash of normalised text (the same value on every run and
// platform; eight bytes per step), used for blocking keys, key lookups and
// duplicate detection. Not persisted.
uint64_t TextHash(std::string_view s, uint64_t seed = 0);

}  // namespace citygraph::ingest

#endif  // CITYGRAPH_INGEST_RESOLVER_H_
