// BaseGraph: the immutable, compact part of a snapshot, built when the
// database opens and by each rebuild.
//
// Layout (n vertices, m edges):
//  - labels: one uint16 per vertex, and the vertex ids of each label
//    (label_off/by_label, a counting sort of labels);
//  - edges: the 32-byte EdgeRecord table in a CowArray (shared with the
//    snapshots, which copy-on-write the pages they change);
//  - out/in CSR: uint32 offsets per vertex + 8-byte AdjEntry per edge, each
//    adjacency sorted by edge id;
//  - vertex observations and key lists: one byte blob each with per-vertex
//    offsets (codec.h encodings);
//  - edge properties: sparse, sorted edge ids + offsets into a blob;
//  - key index (key_index.h).
//
// Thread-safety: immutable after Finish(); share freely.
#ifndef CITYGRAPH_SRC_BASE_GRAPH_H_
#define CITYGRAPH_SRC_BASE_GRAPH_H_

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "citygraph/graph.h"
#include "cow_array.h"
#include "key_index.h"

namespace citygraph::internal {

using EdgeTable = CowArray<EdgeRecord, 10>;

struct BaseGraph {
  size_t n = 0, m = 0, num_keys = 0;
  std::vector<LabelId> labels;
  EdgeTable edges;
  std::vector<uint32_t> out_off, in_off;
  std::vector<AdjEntry> out_adj, in_adj;
  std::vector<uint64_t> vprop_off;  // n + 1
  std::string vprop_blob;
  std::vector<uint64_t> key_off;  // n + 1
  std::string key_blob;
  std::vector<EdgeId> eprop_ids;    // sorted
  std::vector<uint64_t> eprop_off;  // eprop_ids.size() + 1
  std::string eprop_blob;
  KeyIndex key_index;
  // The vertices of label l are by_label[label_off[l] .. label_off[l + 1]),
  // ascending; labels past the end of label_off have none.
  std::vector<uint32_t> label_off;
  std::vector<VertexId> by_label;

  // Builds both CSRs (in parallel), the key index and the label index from
  // the fields above.
  // Preconditions: n, m, labels, edges, key_off/key_blob, num_keys are set.
  void Finish();
  // Builds label_off / by_label from labels (for a base read from an image).
  void IndexLabels();
  std::span<const VertexId> with_label(LabelId l) const {
    if (size_t{l} + 1 >= label_off.size()) return {};
    return {by_label.data() + label_off[l], by_label.data() + label_off[l + 1]};
  }

  std::string_view vprops(VertexId v) const {
    return std::string_view(vprop_blob).substr(vprop_off[v], vprop_off[v + 1] - vprop_off[v]);
  }
  std::string_view keys(VertexId v) const {
    return std::string_view(key_blob).substr(key_off[v], key_off[v + 1] - key_off[v]);
  }
  std::string_view eprops(EdgeId e) const;
  std::span<const AdjEntry> out(VertexId v) const {
    return {out_adj.data() + out_off[v], out_adj.data() + out_off[v + 1]};
  }
  std::span<const AdjEntry> in(VertexId v) const {
    return {in_adj.data() + in_off[v], in_adj.data() + in_off[v + 1]};
  }
  // Bytes held, excluding the shared edge table.
  size_t bytes() const;
};

// Per-item byte strings laid end to end: item i is
// blob[offsets[i], offsets[i + 1]).
struct BlobList {
  std::vector<uint64_t> offsets;
  std::string blob;
};

// Concatenates per-item byte strings into offsets + blob, in parallel.
void Concatenate(size_t count, const std::function<std::string_view(size_t)>& item,
                 std::vector<uint64_t>* offsets, std::string* blob);

// Builds the byte strings of items [begin, end): appends each to *out, in
// order, and its length to sizes[i - begin]. With out == nullptr it only
// gives the lengths, which must be those a build gives.
using BlobRangeBuilder =
    std::function<void(size_t begin, size_t end, uint64_t* sizes, std::string* out)>;

// Concatenate for items built rather than stored: the lengths come first, so
// the blob is sized once; then ranges of items are built in parallel, each
// into a buffer its thread reuses, and copied into place. (Built into
// strings of their own, the ranges would hold a second copy of the blob.)
void ConcatenateBuilt(size_t count, const BlobRangeBuilder& build, std::vector<uint64_t>* offsets,
                      std::string* blob);

}  // namespace citygraph::internal

#endif  // CITYGRAPH_SRC_BASE_GRAPH_H_
