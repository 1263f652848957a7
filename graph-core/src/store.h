// Store: the RocksDB side of a database. Owns the DB handle and its column
// families, turns a Resolved batch into key/values (one WriteBatch, or sorted
// SST files for the bulk path) and loads everything back into a BaseGraph.
//
// Column families and keys (integers big-endian, signed ones sign-flipped,
// see key_encoding.h):
//   meta    "schema" -> YAML text; "next_vertex"/"next_edge"/"next_batch" -> u64;
//           "source"|u32 id -> u32 len|department|file; "batch"|u32 id -> i64 micros;
//           "graph_generation" -> u64 generation|i64 micros (absent: 0|0)
//   vertex  u32 vid -> u16 label
//   vprop   u32 vid -> the vertex's observation list (codec.h), whole; a
//           write rewrites the lists of the vertices it touches (databases
//           written before 2026-11-29 hold u32 vid|u16 prop|u32 source ->
//           u32 record|u32 batch|value entries, read until a whole list of
//           their vertex replaces them)
//   key     'k'|u16 kind|value -> u32 vid (a vertex's keys are gathered from
//           these on load; databases written before 2026-11-29 also hold
//           'r'|u32 vid|u16 kind|value -> "", no longer written or read)
//   edge    u32 eid -> fixed record (codec.h) | properties
//   out     u32 vid -> the vertex's out-edges, in edge id order, each as
//           u32 dst|u32 eid; in: likewise its in-edges, u32 src|u32 eid. A
//           write rewrites the lists of the vertices it adds edges to
//           (databases written before 2026-11-29 hold an entry per edge
//           instead: out u32 src|u16 type|u32 dst|i32 valid_from|u32 source
//           -> u32 eid, in u32 dst|u16 type|u32 src|u32 eid -> ""; keys
//           longer than 4 bytes, no longer written; neither format is read
//           when the graph loads, which takes the edge family)
//   aux     u16 len|namespace|key -> value
//
// The graph generation is what the graph image is stamped with (graph_image.h).
// Every write that changes a vertex, key, property, edge or source advances
// it, atomically with the change (a bulk ingest: in a synced write just before
// the files go in, so a crash between the two only makes the image stale).
// Writes that touch nothing but aux records and batch bookkeeping (an audit
// entry, an entity-resolution explanation) leave it, so the image stays
// current. The time stored with the counter tells apart two states that reach
// one counter value (a crash lost the unsynced write that advanced it). A
// write that fails after advancing it leaves the generation unknown for the
// rest of the session: Stamp then fails, and no image is saved.
//
// Thread-safety: Write*/Put*/Stamp from the single writer; Get/Scan from any
// thread; Load once, before anything else.
#ifndef CITYGRAPH_SRC_STORE_H_
#define CITYGRAPH_SRC_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base_graph.h"
#include "citygraph/graph.h"
#include "graph_image.h"
#include "resolve.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace citygraph::internal {

enum Cf : int { kMeta, kVertex, kVprop, kKey, kEdge, kOut, kIn, kAux, kNumCf };

// Everything Load reads back besides the graph itself.
struct LoadedState {
  std::shared_ptr<const Schema> schema;
  std::shared_ptr<BaseGraph> base;
  std::vector<SourceInfo> sources;
  std::vector<std::pair<BatchId, int64_t>> batch_times;
  BatchId last_batch = 0;
  // Whether the graph came from the graph image (graph_image.h); `stamp` is
  // what an image must carry to be trusted for this state.
  bool from_image = false;
  ImageStamp stamp;
};

class Store {
 public:
  ~Store();
  // Opens (create: creates) the RocksDB database at `dir`. FailedPrecondition
  // when another process holds the writer lock.
  static StatusOr<std::unique_ptr<Store>> Open(const std::string& dir, bool create, bool read_only,
                                               size_t block_cache_bytes);

  Status PutSchema(const std::string& text);
  Status PutSource(SourceId id, const SourceInfo& info, bool sync);
  // One atomic WriteBatch.
  Status Write(const Resolved& r, bool sync);
  // Sorted SST files ingested atomically across column families.
  // `build_next` (may be empty) runs beside the writing of the files and
  // returns the snapshot that shows `r` applied, or null; the observation
  // and adjacency files then copy the touched vertices' lists from it
  // instead of merging them again. That snapshot must stay alive until
  // BulkWrite returns.
  Status BulkWrite(const Resolved& r, const std::function<const SnapshotImpl*()>& build_next);
  // Reads the whole database: from the graph image when `use_image` and it
  // is current and verifies, else from the column families (in parallel).
  // Also reads the graph generation.
  StatusOr<LoadedState> Load(uint64_t version, bool use_image);
  // The image stamp of the current graph generation, for a graph of n
  // vertices and m edges. FailedPrecondition when the generation is unknown
  // (a graph write failed this session).
  StatusOr<ImageStamp> Stamp(size_t n, size_t m) const;
  // Syncs the WAL (so the stamp's generation is durable), then writes the
  // graph image of `base` stamped with `stamp`.
  Status WriteImage(const BaseGraph& base, const ImageStamp& stamp);

  StatusOr<std::string> GetAux(std::string_view ns, std::string_view key) const;
  StatusOr<std::vector<std::pair<std::string, std::string>>> ScanAux(std::string_view ns,
                                                                     std::string_view prefix) const;
  StatusOr<std::vector<std::string>> AuxKeyPrefixes(std::string_view ns, char delimiter) const;

 private:
  Store() = default;
  Status LoadEdges(size_t m, uint64_t version, BaseGraph* base);
  Status LoadVertices(size_t n, const Schema& schema, BaseGraph* base);
  Status LoadKeys(size_t n, BaseGraph* base);
  // Advances the graph generation in memory (before the write that stores
  // it, whatever that write's outcome) and returns its meta value.
  std::string NextGeneration();
  // Passes `s` through; a failure makes the generation unknown.
  Status GenerationWritten(Status s);

  std::string dir_;
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs_;
  uint64_t generation_ = 0;
  int64_t generation_micros_ = 0;
  bool generation_known_ = true;
};

inline constexpr std::string_view kMetaGraphGeneration = "graph_generation";

}  // namespace citygraph::internal

#endif  // CITYGRAPH_SRC_STORE_H_
