// The upsert identity order of a batch of edges: (src, type, dst,
// valid_from, source), with the edge's index in the batch. Resolve finds
// duplicate identities with it, and its sources are the vertices whose out
// lists the batch changes. Large batches are grouped by vertex with a
// parallel counting sort that scatters the keys themselves, and only each
// vertex's few keys are compared; small ones are sorted directly, so a
// one-edge Write does not pay for an array over all vertices.
//
// Thread-safety: pure functions (they use the TBB arena internally).
#ifndef CITYGRAPH_SRC_ADJ_ORDER_H_
#define CITYGRAPH_SRC_ADJ_ORDER_H_

#include <cstdint>
#include <span>
#include <tuple>
#include <vector>

#include "citygraph/graph.h"

namespace citygraph::internal {

struct AdjKey {
  uint64_t k1;     // src << 16 | type
  uint64_t k2;     // dst << 32 | sign-flipped valid_from
  uint32_t k3;     // source id
  uint32_t index;  // index of the edge in the batch

  VertexId vertex() const { return static_cast<VertexId>(k1 >> 16); }  // src
  EdgeTypeId type() const { return static_cast<EdgeTypeId>(k1); }
  VertexId out_dst() const { return static_cast<VertexId>(k2 >> 32); }
  Date out_valid_from() const {
    return Date{static_cast<int32_t>(static_cast<uint32_t>(k2) ^ 0x80000000u)};
  }
  SourceId out_source() const { return k3; }
  // Same upsert identity.
  bool SameIdentity(const AdjKey& o) const { return k1 == o.k1 && k2 == o.k2 && k3 == o.k3; }
  bool operator<(const AdjKey& o) const {
    return std::tie(k1, k2, k3, index) < std::tie(o.k1, o.k2, o.k3, o.index);
  }
};

// Keys of `edges`, ascending, ties by index. Every src must be < num_vertices.
std::vector<AdjKey> SortedOutKeys(std::span<const EdgeRecord> edges, size_t num_vertices);

}  // namespace citygraph::internal

#endif  // CITYGRAPH_SRC_ADJ_ORDER_H_
