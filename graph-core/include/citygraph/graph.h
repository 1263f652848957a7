// The CityGraph property graph: a RocksDB-backed database with an in-memory
// CSR (out- and in-edges) and immutable snapshots for readers.
//
//   auto db = Database::Open("/data/city", {});             // loads CSR
//   WriteBatch b(db->schema());
//   auto p = b.AddVertex(person);                           // batch-local ref
//   b.AddKey(p, id_number, "420102199001011234");
//   b.SetProperty(p, name_prop, std::string("张三"), src);
//   b.AddEdge(owns, p, VertexRef::Existing(house_id), from, to, src, {});
//   CG_ASSIGN_OR_RETURN(CommitResult r, db->Write(b));       // all or nothing
//   std::shared_ptr<const Snapshot> s = db->GetSnapshot();
//   for (const AdjEntry& e : s->out_edges(r.vertex_ids[0])) ...
//
// Concurrency: one writer process per database directory (a second process
// that opens it for writing gets FailedPrecondition naming the directory).
// Inside the process, Write/BulkWrite/Rebuild calls are serialised by the
// Database; any number of threads may read snapshots concurrently. A snapshot
// is immutable: readers never block the writer and never see half a batch.
#ifndef CITYGRAPH_GRAPH_H_
#define CITYGRAPH_GRAPH_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "citygraph/schema.h"
#include "citygraph/status.h"
#include "citygraph/types.h"

namespace citygraph {

// ---------------------------------------------------------------- writes --

// Refers to a vertex inside a WriteBatch: either one already committed, or
// the n-th vertex added by this batch.
struct VertexRef {
  static VertexRef Existing(VertexId id) { return VertexRef{id, false}; }
  static VertexRef New(uint32_t index) { return VertexRef{index, true}; }
  uint32_t value = 0;
  bool is_new = false;
};

struct EdgeSpec {
  EdgeTypeId type = 0;
  VertexRef src, dst;
  Date valid_from = Date::Min();
  Date valid_to = Date::Max();
  SourceRef source;  // batch is filled at commit
  Properties props;
};

// A set of changes applied atomically by Database::Write or BulkWrite.
// Building a batch does no I/O and no validation; validation happens at
// commit, against the schema and the current graph, and any violation fails
// the whole batch. Not thread-safe; build one batch per thread.
//
// Upsert semantics at commit, so re-applying the same data changes nothing:
//  - AddKey of a key already on that vertex is a no-op; a key that belongs to
//    another vertex is an error (AlreadyExists naming kind and value).
//  - SetProperty replaces the value previously set by the same source on that
//    vertex and property; different sources keep separate observations.
//  - AddEdge whose identity (type, src, dst, valid_from, source.source)
//    matches an existing edge updates that edge's valid_to, record and
//    properties instead of adding a parallel edge.
class WriteBatch {
 public:
  explicit WriteBatch(std::shared_ptr<const Schema> schema) : schema_(std::move(schema)) {}

  VertexRef AddVertex(LabelId label);
  void AddKey(VertexRef v, KeyKindId kind, std::string value);
  void SetProperty(VertexRef v, PropId prop, const Value& value, SourceRef source);
  void AddEdge(EdgeSpec edge);
  // Ends an existing edge: sets its valid_to.
  void SetEdgeValidTo(EdgeId edge, Date valid_to);
  // Stores an opaque auxiliary record (e.g. an entity-resolution explanation)
  // in namespace `ns` under `key`, atomically with the rest of the batch.
  void PutAux(std::string ns, std::string key, std::string value);

  // Makes room for about this many more new vertices, keys, property
  // observations and edges (a hint: the batch still grows past it), so a
  // large batch is not copied and faulted in again each time it grows.
  // Memory reserved but never filled is address space, not resident memory;
  // when the room cannot be had, nothing is reserved (no error).
  void Reserve(size_t vertices, size_t keys, size_t props, size_t edges);
  // Faults in at once, on all threads, the reserved room for the next this
  // many new vertices, keys, observations and edges (as far as the room
  // goes): for a large batch that one thread, the critical path of its run,
  // is about to fill (see PopulateParallel). The rest of the room is faulted
  // in as it is filled.
  void Populate(size_t vertices, size_t keys, size_t props, size_t edges);

  size_t num_new_vertices() const { return new_labels_.size(); }
  size_t num_ops() const;
  bool empty() const { return num_ops() == 0; }
  void Clear();
  // Remove every property op (and their values), or every edge op, and
  // free their memory (Database::BulkWriteConsuming, once it has read them).
  void ReleaseProperties();
  void ReleaseEdges();

  const std::shared_ptr<const Schema>& schema() const { return schema_; }

  // Read by the database at commit.
  struct KeyOp {
    VertexRef v;
    KeyKindId kind;
    std::string value;
  };
  // A property op; its value is kept encoded in values() (graph-core's
  // stored encoding), so an op is 32 bytes and holds no heap string.
  struct PropOp {
    static constexpr uint16_t kLongValue = UINT16_MAX;
    VertexRef v;
    SourceRef source;
    PropId prop;
    uint16_t value_size;  // bytes of the encoded value; kLongValue: that many or more
    uint64_t value_at;    // where the encoded value starts in values()
  };
  struct EndOp {
    EdgeId edge;
    Date valid_to;
  };
  struct AuxOp {
    std::string ns, key, value;
  };
  const std::vector<LabelId>& new_labels() const { return new_labels_; }
  const std::vector<KeyOp>& keys() const { return keys_; }
  const std::vector<PropOp>& props() const { return props_; }
  const std::string& values() const { return values_; }
  // The value of `op`, decoded (monostate for an op not of this batch).
  Value value(const PropOp& op) const;
  // The encoded value of an op of this batch (its bytes in values()).
  std::string_view encoded_value(const PropOp& op) const;
  const std::vector<EdgeSpec>& edges() const { return edges_; }
  const std::vector<EndOp>& ends() const { return ends_; }
  const std::vector<AuxOp>& aux() const { return aux_; }

 private:
  std::shared_ptr<const Schema> schema_;
  std::vector<LabelId> new_labels_;
  std::vector<KeyOp> keys_;
  std::vector<PropOp> props_;
  std::string values_;  // the property ops' values, encoded, in op order
  std::vector<EdgeSpec> edges_;
  std::vector<EndOp> ends_;
  std::vector<AuxOp> aux_;
};

struct CommitResult {
  BatchId batch = 0;
  std::vector<VertexId> vertex_ids;  // id of each VertexRef::New(i), by i
  size_t edges_added = 0;            // new edges (upserts of existing ones not counted)
  size_t edges_updated = 0;
};

// ----------------------------------------------------------------- reads --

// One adjacency entry: the neighbour and the edge that links to it.
struct AdjEntry {
  VertexId nbr;
  EdgeId edge;
};

// The fixed-size part of an edge.
struct EdgeRecord {
  VertexId src = kNoVertex;
  VertexId dst = kNoVertex;
  EdgeTypeId type = 0;
  Date valid_from = Date::Min();
  Date valid_to = Date::Max();
  SourceRef source;
};

// Adjacency of one vertex in one direction: the committed CSR range followed
// by the delta written since the last rebuild. Iterate with range-for.
class AdjRange {
 public:
  AdjRange() = default;
  AdjRange(std::span<const AdjEntry> base, std::span<const AdjEntry> delta)
      : base_(base), delta_(delta) {}
  class iterator {
   public:
    using value_type = AdjEntry;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    iterator(const AdjRange* r, size_t i) : r_(r), i_(i) {}
    const AdjEntry& operator*() const {
      return i_ < r_->base_.size() ? r_->base_[i_] : r_->delta_[i_ - r_->base_.size()];
    }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    iterator operator++(int) {
      iterator t = *this;
      ++i_;
      return t;
    }
    bool operator==(const iterator& o) const { return i_ == o.i_; }

   private:
    const AdjRange* r_ = nullptr;
    size_t i_ = 0;
  };
  iterator begin() const { return iterator(this, 0); }
  iterator end() const { return iterator(this, size()); }
  size_t size() const { return base_.size() + delta_.size(); }
  bool empty() const { return size() == 0; }
  std::span<const AdjEntry> base() const { return base_; }
  std::span<const AdjEntry> delta() const { return delta_; }

 private:
  std::span<const AdjEntry> base_, delta_;
};

// One observation of a vertex property, with where it came from.
struct PropertyObservation {
  PropId prop;
  Value value;
  SourceRef source;
};

struct SourceInfo {
  std::string department;
  std::string file;
};

// An immutable view of the whole graph at one commit. Cheap to hold; all
// methods are const and thread-safe. Ids passed in must be < num_vertices()
// / num_edges() (checked by assert only: they come from this snapshot).
class Snapshot {
 public:
  virtual ~Snapshot() = default;

  virtual const Schema& schema() const = 0;
  virtual BatchId last_batch() const = 0;  // the newest commit this snapshot shows

  virtual size_t num_vertices() const = 0;
  virtual size_t num_edges() const = 0;

  virtual LabelId label(VertexId v) const = 0;
  virtual AdjRange out_edges(VertexId v) const = 0;
  virtual AdjRange in_edges(VertexId v) const = 0;
  virtual const EdgeRecord& edge(EdgeId e) const = 0;
  virtual Properties edge_properties(EdgeId e) const = 0;

  // Every observation of every property of `v`, ordered by prop then batch.
  virtual std::vector<PropertyObservation> properties(VertexId v) const = 0;
  // The most recently committed value of `prop` on `v` (any source), or
  // monostate if it was never set.
  virtual Value property(VertexId v, PropId prop) const = 0;

  // Looks up the vertex whose external key of `kind` is `value` (already
  // normalised). NotFound if no vertex has that key.
  virtual StatusOr<VertexId> FindByKey(KeyKindId kind, std::string_view value) const = 0;
  // All keys of `v` as (kind, value).
  virtual std::vector<std::pair<KeyKindId, std::string>> keys(VertexId v) const = 0;

  // Every vertex with `label`, ascending. Costs the size of the answer plus
  // the vertices added since the last rebuild (a label index, not a scan).
  virtual std::vector<VertexId> vertices_with_label(LabelId label) const = 0;

  virtual SourceInfo source(SourceId id) const = 0;
  virtual Timestamp batch_time(BatchId id) const = 0;  // the batch's recorded_at
};

// ---------------------------------------------------------------- database --

struct DatabaseOptions {
  bool create_if_missing = false;        // Open fails with NotFound when absent otherwise
  bool read_only = false;                // no writer lock; Write/BulkWrite fail
  bool sync = true;                      // fsync the WAL on every Write (durable when acknowledged)
  size_t delta_rebuild_edges = 1 << 20;  // fold the delta into the CSR past this many edges
  size_t block_cache_bytes = 256u << 20;
  // When a writer closes the database, save a binary image of the in-memory
  // graph next to the RocksDB files (graph.image, about the size of the
  // graph in memory without its CSR) so that the next Open reads it instead
  // of scanning RocksDB. An image is used only if nothing was written since
  // it was saved and it verifies; otherwise Open scans RocksDB as usual.
  bool graph_image = true;
};

struct DatabaseStats {
  std::vector<std::pair<std::string, size_t>> vertices_per_label;
  std::vector<std::pair<std::string, size_t>> edges_per_type;
  size_t num_vertices = 0, num_edges = 0, num_keys = 0;
  size_t memory_bytes = 0;         // in-memory graph (CSR, edge table, keys, properties)
  size_t disk_bytes = 0;           // files under the directory (RocksDB and the graph image)
  bool opened_from_image = false;  // Open read the graph image instead of scanning RocksDB
};

class Database {
 public:
  // Creates a new database at `dir` with `schema`. AlreadyExists if `dir`
  // already holds a database; IOError naming the directory if it cannot be
  // created.
  static StatusOr<std::unique_ptr<Database>> Create(const std::string& dir,
                                                    std::shared_ptr<const Schema> schema,
                                                    const DatabaseOptions& options = {});
  // Opens an existing database and builds its in-memory graph (in parallel).
  // NotFound if there is none; FailedPrecondition if another process holds
  // the writer lock; Corruption if stored data does not decode.
  static StatusOr<std::unique_ptr<Database>> Open(const std::string& dir,
                                                  const DatabaseOptions& options = {});

  virtual ~Database() = default;

  virtual std::shared_ptr<const Schema> schema() const = 0;
  virtual const std::string& dir() const = 0;

  // The current snapshot; valid for as long as the caller holds it.
  virtual std::shared_ptr<const Snapshot> GetSnapshot() const = 0;

  // Registers (or finds) the source (department, file) and returns its id.
  // Durable before it returns.
  virtual StatusOr<SourceId> RegisterSource(std::string_view department, std::string_view file) = 0;

  // Validates and applies `batch` atomically: one RocksDB WriteBatch, synced
  // to the WAL when options.sync. On any violation (schema, unknown id, key
  // owned by another vertex) nothing is written and the error names the
  // label / type / property / key at fault. On success a new snapshot that
  // includes the whole batch is published before this returns.
  virtual StatusOr<CommitResult> Write(const WriteBatch& batch) = 0;

  // The bulk path for initial loads: same validation and result as Write,
  // but the data goes to RocksDB as sorted SST files (SstFileWriter +
  // IngestExternalFile) and the CSR is rebuilt in parallel afterwards.
  // Durable when it returns.
  virtual StatusOr<CommitResult> BulkWrite(const WriteBatch& batch) = 0;

  // BulkWrite of a batch its caller is done with: the batch's edge ops are
  // freed once they are validated and copied, and its property ops and
  // their values (most of a bulk load's batch) as soon as the vertices' new
  // observation lists are built from them, so the rest of the write reuses
  // their memory instead of growing the peak. Afterwards the batch is fit
  // only to be cleared or destroyed, whatever the outcome.
  virtual StatusOr<CommitResult> BulkWriteConsuming(WriteBatch* batch) = 0;

  // Folds the delta overlay into a fresh CSR and publishes it. Called
  // automatically past options.delta_rebuild_edges.
  virtual Status Rebuild() = 0;

  // Reads an auxiliary record written with WriteBatch::PutAux; NotFound if absent.
  virtual StatusOr<std::string> GetAux(std::string_view ns, std::string_view key) const = 0;
  // Every (key, value) in namespace `ns` whose key starts with `prefix`, in key order.
  virtual StatusOr<std::vector<std::pair<std::string, std::string>>> ScanAux(
      std::string_view ns, std::string_view prefix) const = 0;
  // The distinct beginnings of the keys of namespace `ns`, each up to and
  // including the first `delimiter` (keys without one are left out), in key
  // order. One seek per beginning found, however many keys share it: e.g.
  // which sources have any "<source>:<record>" record.
  virtual StatusOr<std::vector<std::string>> AuxKeyPrefixes(std::string_view ns,
                                                            char delimiter) const = 0;

  virtual DatabaseStats Stats() const = 0;
};

}  // namespace citygraph

#endif  // CITYGRAPH_GRAPH_H_
