// Database: ties the RocksDB store to the published in-memory snapshot.

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <optional>

#include "citygraph/graph.h"
#include "delta.h"
#include "resolve.h"
#include "snapshot_impl.h"
#include "store.h"

namespace citygraph {
namespace {

namespace fs = std::filesystem;
using internal::SnapshotImpl;

class DatabaseImpl final : public Database {
 public:
  DatabaseImpl(std::string dir, const DatabaseOptions& options,
               std::unique_ptr<internal::Store> store)
      : dir_(std::move(dir)), options_(options), store_(std::move(store)) {}

  // A writer saves the graph image on close unless the one it opened from
  // is still current. Errors only cost the next Open its speed.
  ~DatabaseImpl() override {
    if (options_.read_only || !options_.graph_image || !schema_) return;
    SaveImage().IgnoreError();
  }

  // Loads the graph and publishes the first snapshot.
  Status Load() {
    CG_ASSIGN_OR_RETURN(internal::LoadedState state,
                        store_->Load(NextVersion(), options_.graph_image));
    schema_ = state.schema;
    from_image_ = state.from_image;
    if (state.from_image) image_stamp_ = state.stamp;
    base_current_ = true;
    auto s = internal::SnapshotOverBase(schema_, std::move(state.base));
    s->sources_ = std::make_shared<const std::vector<SourceInfo>>(std::move(state.sources));
    s->last_batch_ = state.last_batch;
    s->batch_times_.Resize(state.last_batch + 1);
    for (const auto& [id, micros] : state.batch_times) {
      if (id <= state.last_batch) s->batch_times_.Mutable(id, version_) = micros;
    }
    Publish(std::move(s));
    return Status::OK();
  }

  std::shared_ptr<const Schema> schema() const override { return schema_; }
  const std::string& dir() const override { return dir_; }

  std::shared_ptr<const Snapshot> GetSnapshot() const override { return Current(); }

  StatusOr<SourceId> RegisterSource(std::string_view department, std::string_view file) override {
    CG_RETURN_IF_ERROR(CheckWritable());
    std::lock_guard<std::mutex> lock(write_mu_);
    auto cur = Current();
    const auto& sources = *cur->sources_;
    for (size_t i = 0; i < sources.size(); ++i) {
      if (sources[i].department == department && sources[i].file == file) {
        return static_cast<SourceId>(i);
      }
    }
    const SourceId id = static_cast<SourceId>(sources.size());
    SourceInfo info{std::string(department), std::string(file)};
    CG_RETURN_IF_ERROR(store_->PutSource(id, info, /*sync=*/true));
    auto next = std::make_shared<SnapshotImpl>(*cur);
    auto list = std::make_shared<std::vector<SourceInfo>>(sources);
    list->push_back(std::move(info));
    next->sources_ = std::move(list);
    Publish(std::move(next));
    return id;
  }

  StatusOr<CommitResult> Write(const WriteBatch& batch) override {
    CG_RETURN_IF_ERROR(CheckBatch(batch));
    std::lock_guard<std::mutex> lock(write_mu_);
    auto cur = Current();
    CG_ASSIGN_OR_RETURN(internal::Resolved r, internal::Resolve(batch, *cur));
    CG_RETURN_IF_ERROR(store_->Write(r, options_.sync));
    auto next = internal::ApplyToSnapshot(*cur, r, NextVersion(), /*with_index=*/true);
    base_current_ = false;
    const bool rebuild = next->delta_edges() > options_.delta_rebuild_edges;
    Publish(std::move(next));
    if (rebuild) RebuildLocked();
    return std::move(r.result);
  }

  StatusOr<CommitResult> BulkWrite(const WriteBatch& batch) override {
    return Bulk(batch, nullptr);
  }

  StatusOr<CommitResult> BulkWriteConsuming(WriteBatch* batch) override {
    return Bulk(*batch, batch);
  }

  Status Rebuild() override {
    std::lock_guard<std::mutex> lock(write_mu_);
    RebuildLocked();
    return Status::OK();
  }

  StatusOr<std::string> GetAux(std::string_view ns, std::string_view key) const override {
    return store_->GetAux(ns, key);
  }
  StatusOr<std::vector<std::pair<std::string, std::string>>> ScanAux(
      std::string_view ns, std::string_view prefix) const override {
    return store_->ScanAux(ns, prefix);
  }
  StatusOr<std::vector<std::string>> AuxKeyPrefixes(std::string_view ns,
                                                    char delimiter) const override {
    return store_->AuxKeyPrefixes(ns, delimiter);
  }

  DatabaseStats Stats() const override {
    auto s = Current();
    DatabaseStats st;
    const Schema& schema = *schema_;
    std::vector<size_t> per_label(schema.labels().size()), per_type(schema.edge_types().size());
    for (VertexId v = 0; v < s->num_vertices(); ++v) {
      const LabelId l = s->label(v);
      if (l < per_label.size()) ++per_label[l];
    }
    for (EdgeId e = 0; e < s->num_edges(); ++e) {
      const EdgeTypeId t = s->edge(e).type;
      if (t < per_type.size()) ++per_type[t];
    }
    for (size_t i = 0; i < per_label.size(); ++i) {
      st.vertices_per_label.emplace_back(schema.labels()[i].name, per_label[i]);
    }
    for (size_t i = 0; i < per_type.size(); ++i) {
      st.edges_per_type.emplace_back(schema.edge_types()[i].name, per_type[i]);
    }
    st.num_vertices = s->num_vertices();
    st.num_edges = s->num_edges();
    st.num_keys = s->num_keys_;
    st.memory_bytes = s->memory_bytes();
    st.opened_from_image = from_image_;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir_, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      std::error_code size_ec;
      if (it->is_regular_file(size_ec)) {
        const auto size = it->file_size(size_ec);
        if (!size_ec) st.disk_bytes += size;
      }
    }
    return st;
  }

 private:
  // BulkWrite; frees `release`'s (== &batch) property ops as soon as the
  // observation lists are built, when given.
  StatusOr<CommitResult> Bulk(const WriteBatch& batch, WriteBatch* release) {
    CG_RETURN_IF_ERROR(CheckBatch(batch));
    std::lock_guard<std::mutex> lock(write_mu_);
    auto cur = Current();
    CG_ASSIGN_OR_RETURN(internal::Resolved r, internal::Resolve(batch, *cur));
    // Nothing reads the batch's edge ops after Resolve (it copied their
    // records and encoded their properties): `release` frees them before the
    // observation lists allocate. Those are built first (on all cores):
    // after them nothing reads the batch's property ops, which go next,
    // before the rest allocates.
    if (release != nullptr) release->ReleaseEdges();
    internal::BlobList observations = internal::FoldedObservations(*cur, r);
    if (release != nullptr) release->ReleaseProperties();
    // The files are written while the next snapshot is built from the same
    // resolved batch (the build's serial parts overlap the parallel writing);
    // it is published only once the files are in the database.
    std::shared_ptr<SnapshotImpl> next;
    const uint64_t version = NextVersion();
    CG_RETURN_IF_ERROR(store_->BulkWrite(r, [&] {
      next = internal::ApplyFolded(*cur, r, version, std::move(observations));
      return next.get();
    }));
    cur.reset();
    Publish(std::move(next));
    base_current_ = true;
    return std::move(r.result);
  }

  Status CheckWritable() const {
    if (options_.read_only) {
      return FailedPrecondition("database " + dir_ + " was opened read-only");
    }
    return Status::OK();
  }

  Status CheckBatch(const WriteBatch& batch) const {
    CG_RETURN_IF_ERROR(CheckWritable());
    if (batch.schema() && batch.schema() != schema_ && batch.schema()->text() != schema_->text()) {
      return InvalidArgument("the batch was built for a different schema than database " + dir_ +
                             " uses");
    }
    return Status::OK();
  }

  uint64_t NextVersion() { return ++version_; }

  std::shared_ptr<const SnapshotImpl> Current() const {
    std::lock_guard<std::mutex> lock(snap_mu_);
    return current_;
  }

  void Publish(std::shared_ptr<const SnapshotImpl> s) {
    std::lock_guard<std::mutex> lock(snap_mu_);
    current_ = std::move(s);
  }

  void RebuildLocked() {
    auto cur = Current();
    RebuildFrom(*cur);
  }

  void RebuildFrom(const SnapshotImpl& s) {
    Publish(Rebased(s));
    base_current_ = true;
  }

  // `s` folded into a new base (CSRs rebuilt), not yet published.
  std::shared_ptr<SnapshotImpl> Rebased(const SnapshotImpl& s) const {
    return internal::SnapshotOverBase(s, internal::FoldIntoBase(s));
  }

  // Writes the graph image of the current snapshot unless the image on disk
  // already shows this graph generation (writes of aux records alone, such
  // as audit entries, leave it: store.h).
  Status SaveImage() {
    std::lock_guard<std::mutex> lock(write_mu_);
    auto cur = Current();
    CG_ASSIGN_OR_RETURN(internal::ImageStamp stamp, store_->Stamp(cur->n_, cur->m_));
    if (image_stamp_ && stamp == *image_stamp_) return Status::OK();
    std::shared_ptr<const internal::BaseGraph> base =
        base_current_ ? cur->base_ : internal::FoldIntoBase(*cur);
    CG_RETURN_IF_ERROR(store_->WriteImage(*base, stamp));
    image_stamp_ = std::move(stamp);
    return Status::OK();
  }

  const std::string dir_;
  const DatabaseOptions options_;
  std::unique_ptr<internal::Store> store_;
  std::shared_ptr<const Schema> schema_;
  std::mutex write_mu_;  // serialises Write, BulkWrite, Rebuild, RegisterSource
  mutable std::mutex snap_mu_;
  std::shared_ptr<const SnapshotImpl> current_;
  uint64_t version_ = 0;
  bool base_current_ = true;                         // the current snapshot's base holds everything
  bool from_image_ = false;                          // Load read the graph image
  std::optional<internal::ImageStamp> image_stamp_;  // of the image on disk, if known
};

bool HasDatabase(const std::string& dir) {
  std::error_code ec;
  return fs::exists(fs::path(dir) / "CURRENT", ec);
}

}  // namespace

StatusOr<std::unique_ptr<Database>> Database::Create(const std::string& dir,
                                                     std::shared_ptr<const Schema> schema,
                                                     const DatabaseOptions& options) {
  if (!schema) return InvalidArgument("Database::Create needs a schema");
  if (options.read_only) return InvalidArgument("cannot create a database read-only");
  if (HasDatabase(dir)) return AlreadyExists("directory " + dir + " already holds a database");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return IOError("cannot create directory " + dir + ": " + ec.message());
  {
    CG_ASSIGN_OR_RETURN(
        auto store, internal::Store::Open(dir, /*create=*/true, false, options.block_cache_bytes));
    CG_RETURN_IF_ERROR(store->PutSchema(schema->text()));
  }
  DatabaseOptions open_options = options;
  open_options.create_if_missing = false;
  return Open(dir, open_options);
}

StatusOr<std::unique_ptr<Database>> Database::Open(const std::string& dir,
                                                   const DatabaseOptions& options) {
  if (!HasDatabase(dir)) {
    return NotFound(
        "no database at " + dir +
        (options.create_if_missing ? " (create one with a schema: citygraph init)" : ""));
  }
  CG_ASSIGN_OR_RETURN(
      auto store, internal::Store::Open(dir, false, options.read_only, options.block_cache_bytes));
  auto db = std::make_unique<DatabaseImpl>(dir, options, std::move(store));
  Status st = db->Load();
  if (!st.ok()) return st.WithContext("opening " + dir);
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace citygraph
