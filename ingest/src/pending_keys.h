// Internal: the external keys created by the pending write batch, found by
// (kind, value) without a second copy of the key strings: an open-addressing
// table of 8-byte slots (upper 32 bits of the key's hash, index of the
// batch's KeyOp); the slot is picked by the hash's lower bits, and values
// whose tags match are compared against the batch's own key strings.
// Hashes are TextHash(value, kind) (the table recomputes them from the
// batch when it grows), and every key of the batch is inserted.
//
// Thread-safety: none; the loader's serial stage owns it.
#ifndef CITYGRAPH_INGEST_SRC_PENDING_KEYS_H_
#define CITYGRAPH_INGEST_SRC_PENDING_KEYS_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "citygraph/graph.h"
#include "citygraph/ingest/resolver.h"
#include "huge_pages.h"

namespace citygraph::ingest::internal {

class PendingKeys {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // Index in `batch.keys()` of the key (kind, value) whose hash is `hash`,
  // or kNone.
  uint32_t Find(const WriteBatch& batch, KeyKindId kind, std::string_view value,
                uint64_t hash) const {
    if (slots_.empty()) return kNone;
    const uint32_t tag = Tag(hash);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.op == kNone) return kNone;
      if (s.tag == tag) {
        const WriteBatch::KeyOp& k = batch.keys()[s.op];
        if (k.kind == kind && k.value == value) return s.op;
      }
    }
  }

  // Records that the key to be added to `batch` as `batch.keys()[op]`, with
  // op == batch.keys().size(), has hash `hash`. Every key `batch` holds
  // must have been inserted (since the last Clear).
  void Insert(const WriteBatch& batch, uint64_t hash, uint32_t op) {
    if ((size_ + 1) * 2 > slots_.size()) Grow(batch, size_ + 1);
    Place(hash, Tag(hash), op);
    ++size_;
  }

  // Hints ahead of a Find of `hash`, in three steps some rows apart, each
  // reading only what the one before brought into the cache (the table, the
  // batch's key ops and their strings are far larger than the caches):
  // the home slot; the key op of the first slot whose tag matches; that
  // op's string.
  void Prefetch(uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & mask_]);
  }
  void PrefetchOp(const WriteBatch& batch, uint64_t hash) const {
    const uint32_t op = Candidate(hash);
    if (op != kNone) __builtin_prefetch(&batch.keys()[op]);
  }
  void PrefetchValue(const WriteBatch& batch, uint64_t hash) const {
    const uint32_t op = Candidate(hash);
    if (op != kNone) __builtin_prefetch(batch.keys()[op].value.data());
  }

  // Room for `n` keys without growing (a bulk batch's expected keys).
  void Reserve(const WriteBatch& batch, size_t n) {
    if (n * 2 > slots_.size()) Grow(batch, n);
  }

  void Clear() {
    slots_.clear();
    mask_ = 0;
    size_ = 0;
  }

 private:
  // Half the size of a (hash, op) slot: twice the slots per cache line and
  // half the memory to fault in. A tag match is only a hint (the value is
  // compared), so 32 bits of hash lose nothing but rare extra compares.
  struct Slot {
    uint32_t tag = 0;
    uint32_t op = kNone;
  };
  static uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash >> 32); }
  // The op of the first slot from the home slot on whose tag matches, among
  // the few a prefetched line holds; kNone if none does.
  uint32_t Candidate(uint64_t hash) const {
    if (slots_.empty()) return kNone;
    const uint32_t tag = Tag(hash);
    for (size_t n = 0, i = hash & mask_; n < 4; ++n, i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.op == kNone) return kNone;
      if (s.tag == tag) return s.op;
    }
    return kNone;
  }
  // Places a slot whose lower hash bits are `low` (the index into a table
  // of up to 2^32 slots).
  void Place(uint64_t low, uint32_t tag, uint32_t op) {
    size_t i = low & mask_;
    while (slots_[i].op != kNone) i = (i + 1) & mask_;
    slots_[i] = Slot{tag, op};
  }
  // Rebuilds the table with room for `n` keys from the batch's keys, in
  // batch order (reads the key strings sequentially).
  void Grow(const WriteBatch& batch, size_t n) {
    size_t size = slots_.empty() ? 1024 : slots_.size();
    while (n * 2 > size) size *= 2;
    slots_ = {};  // freed before the new table is faulted in
    slots_ = HugeVector(size, Slot{});
    mask_ = size - 1;
    const auto& keys = batch.keys();
    for (size_t op = 0; op < keys.size(); ++op) {
      const uint64_t hash = TextHash(keys[op].value, keys[op].kind);
      Place(hash, Tag(hash), static_cast<uint32_t>(op));
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace citygraph::ingest::internal

#endif  // CITYGRAPH_INGEST_SRC_PENDING_KEYS_H_
