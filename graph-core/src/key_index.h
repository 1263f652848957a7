// KeyIndex: a compact open-addressing hash from (key kind, value) to the
// vertex holding it, for the immutable base graph. A slot is 8 bytes: a
// 32-bit hash tag and vertex id + 1. The key bytes themselves live once, in
// the per-vertex key lists; a tag match is confirmed against them.
//
// Thread-safety: Build once, then Find from any number of threads.
#ifndef CITYGRAPH_SRC_KEY_INDEX_H_
#define CITYGRAPH_SRC_KEY_INDEX_H_

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "citygraph/types.h"

namespace citygraph::internal {

uint64_t HashKey(KeyKindId kind, std::string_view value);

class KeyIndex {
 public:
  // Returns the encoded key list (codec.h) of vertex v.
  using KeysOf = std::function<std::string_view(VertexId)>;

  // Indexes every key of vertices 0..n-1 (in parallel). `num_keys` sizes the table.
  void Build(size_t n, size_t num_keys, const KeysOf& keys_of);
  // The vertex with key (kind, value), or kNoVertex.
  VertexId Find(KeyKindId kind, std::string_view value, const KeysOf& keys_of) const;
  size_t bytes() const { return slots_.capacity() * sizeof(uint64_t); }

  // Whether this (adopted) table is exactly an index of the keys of
  // vertices 0..n-1 as Build makes one: num_keys slots in use, at most half
  // the table, each naming a vertex < n, and every key reached by its probe
  // before an empty slot (so Find answers it with its vertex, keys being
  // unique). False, never a crash or an endless probe, for any table
  // contents; in parallel, one hash and probe per key.
  bool Indexes(size_t n, size_t num_keys, const KeysOf& keys_of) const;

  // The slot table, for saving it (graph_image.h).
  const std::vector<uint64_t>& slots() const { return slots_; }
  std::vector<uint64_t>* mutable_slots() { return &slots_; }
  // Adopts a table filled through mutable_slots(); false (and empty) unless
  // its size is a power of two of at least 16.
  bool AdoptSlots() {
    if (slots_.size() < 16 || (slots_.size() & (slots_.size() - 1)) != 0) {
      slots_.clear();
      return false;
    }
    mask_ = slots_.size() - 1;
    return true;
  }

 private:
  std::vector<uint64_t> slots_;
  uint64_t mask_ = 0;
};

}  // namespace citygraph::internal

#endif  // CITYGRAPH_SRC_KEY_INDEX_H_
