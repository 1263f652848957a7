// Store: the RocksDB side of a database. Owns the DB handle and its column
// families, turns a Resolved batch into key/values (one WriteBatch, or sorted
// SST files for the bulk path) and loads everything back into a BaseGraph.
//
// Column families and keys (integers big-endian, signed ones sign-flipped,
// see key_encoding.h):
//   meta    "schema" -> YAML text; "next_vertex"/"next_edge"/"next_batch" -> u64;
//           "source"|u32 id -> u32 len|department|file; "batch"|u32 id -> i64 micros
//   vertex  u32 vid -> u16 label
//   vprop   u32 vid|u16 prop|u32 source -> u32 record|u32 batch|value
//   key     'k'|u16 kind|value -> u32 vid;  'r'|u32 vid|u16 kind|value -> ""
//   edge    u32 eid -> fixed record (codec.h) | properties
//   out     u32 src|u16 type|u32 dst|i32 valid_from|u32 source -> u32 eid
//   in      u32 dst|u16 type|u32 src|u32 eid -> ""
//   aux     u16 len|namespace|key -> value
//
// Thread-safety: Write*/Put* from the single writer; Get/Scan/Load from any thread.
#ifndef CITYGRAPH_SRC_STORE_H_
#define CITYGRAPH_SRC_STORE_H_

#include <memory>
#include <string>
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
  Status BulkWrite(const Resolved& r);
  // Reads the whole database: from the graph image when `use_image` and it
  // is current and verifies, else from the column families (in parallel).
  StatusOr<LoadedState> Load(uint64_t version, bool use_image);
  // The image stamp of the current RocksDB state, for a graph of n vertices
  // and m edges whose newest batch is `last_batch`, committed at `micros`.
  StatusOr<ImageStamp> Stamp(size_t n, size_t m, BatchId last_batch, int64_t micros) const;
  // Syncs the WAL (so the stamp's sequence number is durable), then writes
  // the graph image of `base` stamped with `stamp`.
  Status WriteImage(const BaseGraph& base, const ImageStamp& stamp);

  StatusOr<std::string> GetAux(std::string_view ns, std::string_view key) const;
  StatusOr<std::vector<std::pair<std::string, std::string>>> ScanAux(std::string_view ns,
                                                                     std::string_view prefix) const;
  StatusOr<std::vector<std::string>> AuxKeyPrefixes(std::string_view ns, char delimiter) const;

 private:
  Store() = default;
  Status LoadEdges(size_t m, uint64_t version, BaseGraph* base);
  Status LoadVertices(size_t n, BaseGraph* base);
  Status LoadKeys(size_t n, BaseGraph* base);

  std::string dir_;
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs_;
};

}  // namespace citygraph::internal

#endif  // CITYGRAPH_SRC_STORE_H_
