// Internal: a set of 64-bit hashes (open addressing, linear probing), for
// the loader's per-source duplicate detection: one flat array instead of a
// node allocation per row.
//
// Thread-safety: none; the loader's serial stage owns it.
#ifndef CITYGRAPH_INGEST_SRC_HASH_SET64_H_
#define CITYGRAPH_INGEST_SRC_HASH_SET64_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace citygraph::ingest::internal {

class HashSet64 {
 public:
  // Adds `x`; true if it was not in the set.
  bool Insert(uint64_t x) {
    if (x == 0) {
      const bool added = !has_zero_;
      has_zero_ = true;
      return added;
    }
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = Mix(x) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == x) return false;
      if (slots_[i] == 0) {
        slots_[i] = x;
        ++size_;
        return true;
      }
    }
  }

  // Empties the set and sizes it for `expected` insertions (it still grows
  // past them), so a source of known length is not rehashed as it fills.
  void Reset(size_t expected) {
    size_t cap = 1024;
    while (cap < 2 * expected) cap *= 2;
    slots_.assign(cap, 0);  // same size: the memory is reused
    size_ = 0;
    has_zero_ = false;
  }

  // A hint a few insertions ahead of Insert(x): loads the slot it will probe
  // first into the cache. Changes nothing.
  void Prefetch(uint64_t x) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[Mix(x) & (slots_.size() - 1)]);
  }

  // Empties the set and releases its memory.
  void Clear() {
    slots_ = {};
    size_ = 0;
    has_zero_ = false;
  }

 private:
  // Mixed again: the set does not rely on its callers' hashes having good low bits.
  static uint64_t Mix(uint64_t x) { return (x ^ (x >> 31)) * 0x9E3779B97F4A7C15ull; }
  void Grow() {
    std::vector<uint64_t> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
    const size_t mask = slots_.size() - 1;
    for (uint64_t x : old) {
      if (x == 0) continue;
      size_t i = Mix(x) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = x;
    }
  }

  std::vector<uint64_t> slots_;  // 0: empty
  size_t size_ = 0;
  bool has_zero_ = false;
};

}  // namespace citygraph::ingest::internal

#endif  // CITYGRAPH_INGEST_SRC_HASH_SET64_H_
