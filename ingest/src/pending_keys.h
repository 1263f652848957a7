// Internal: the external keys created by the pending write batch, found by
// (kind, value) without a second copy of the key strings: an open-addressing
// table of (hash, index of the batch's KeyOp); values are compared against
// the batch's own key strings.
//
// Thread-safety: none; the loader's serial stage owns it.
#ifndef CITYGRAPH_INGEST_SRC_PENDING_KEYS_H_
#define CITYGRAPH_INGEST_SRC_PENDING_KEYS_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "citygraph/graph.h"

namespace citygraph::ingest::internal {

class PendingKeys {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // Index in `batch.keys()` of the key (kind, value) whose hash is `hash`,
  // or kNone.
  uint32_t Find(const WriteBatch& batch, KeyKindId kind, std::string_view value,
                uint64_t hash) const {
    if (slots_.empty()) return kNone;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.op == kNone) return kNone;
      if (s.hash == hash) {
        const WriteBatch::KeyOp& k = batch.keys()[s.op];
        if (k.kind == kind && k.value == value) return s.op;
      }
    }
  }

  // Records that `batch.keys()[op]` (not yet present) has hash `hash`.
  void Insert(uint64_t hash, uint32_t op) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    Place(hash, op);
    ++size_;
  }

  void Clear() {
    slots_.clear();
    mask_ = 0;
    size_ = 0;
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t op = kNone;
  };
  void Place(uint64_t hash, uint32_t op) {
    size_t i = hash & mask_;
    while (slots_[i].op != kNone) i = (i + 1) & mask_;
    slots_[i] = Slot{hash, op};
  }
  void Grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.op != kNone) Place(s.hash, s.op);
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace citygraph::ingest::internal

#endif  // CITYGRAPH_INGEST_SRC_PENDING_KEYS_H_
