// Turning a Resolved batch into RocksDB key/values, one column family at a
// time and in ascending key order (as SstFileWriter requires). The layout is
// documented in store.h.
#ifndef CITYGRAPH_SRC_STORE_EMIT_H_
#define CITYGRAPH_SRC_STORE_EMIT_H_

#include <rocksdb/status.h>

#include <string>
#include <string_view>
#include <vector>

#include "resolve.h"
#include "store.h"

namespace citygraph::internal {

class KvSink {
 public:
  virtual ~KvSink() = default;
  virtual Status Put(Cf cf, std::string_view key, std::string_view value) = 0;
};

// A key of r.keys as the key column family sorts it: the kind (big-endian)
// and the value's first kInline bytes, zero-padded; `len` is the value's
// length, capped at kInline + 1 (longer values are read from r.keys[index]).
struct KeyItem {
  static constexpr size_t kInline = 46;
  unsigned char bytes[2 + kInline];
  uint32_t index;
  VertexId v;
  uint16_t len;
};

// r.keys in the key column family's order, by (kind, value).
std::vector<KeyItem> KeysByValue(const Resolved& r);

// Which part of a column family to emit: the observation, key, edge, out and
// in column families can be cut into `count` contiguous key ranges (written
// to separate SST files in parallel); the others only have one part.
struct EmitPart {
  size_t index = 0, count = 1;
  // The key order (KeysByValue) and, for the out or in family, the vertices
  // whose lists the batch changes (AdjacencyVertices), computed once by a
  // caller that emits those column families in several parts; computed per
  // call when null.
  const std::vector<KeyItem>* keys_by_value = nullptr;
  const std::vector<VertexId>* adjacency_vertices = nullptr;
  // The snapshot that shows the batch applied: the observation and
  // adjacency families' values (the touched vertices' whole lists) are
  // copied from it. When null they are merged from the stored lists and the
  // batch.
  const SnapshotImpl* next = nullptr;
};

// How many items the parts of `cf` share (0 for the column families that
// are not cut; for out and in, the new edges, whose vertices the parts
// share).
size_t EmitLength(Cf cf, const Resolved& r);

// Emits every key/value of `r` that belongs to `cf` and `part`, keys ascending.
Status EmitCf(Cf cf, const Resolved& r, KvSink* sink, const EmitPart& part = {});

// The vertices whose out (or in) list `r` changes: the sources (targets) of
// its new edges, ascending, each once.
std::vector<VertexId> AdjacencyVertices(const Resolved& r, bool out);

// Meta keys.
inline constexpr std::string_view kMetaSchema = "schema";
inline constexpr std::string_view kMetaNextVertex = "next_vertex";
inline constexpr std::string_view kMetaNextEdge = "next_edge";
inline constexpr std::string_view kMetaNextBatch = "next_batch";
inline constexpr std::string_view kMetaSource = "source";
inline constexpr std::string_view kMetaBatch = "batch";

// Converts a RocksDB status, prefixing `context`.
Status FromRocks(const rocksdb::Status& s, std::string_view context);

}  // namespace citygraph::internal

#endif  // CITYGRAPH_SRC_STORE_EMIT_H_
