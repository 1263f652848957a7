#include "store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "codec.h"
#include "snapshot_impl.h"
#include "store_emit.h"

namespace citygraph::internal {

namespace fs = std::filesystem;
using namespace keyenc;

namespace {

constexpr const char* kCfNames[kNumCf] = {"default", "vertex", "vprop", "key",
                                          "edge",    "out",    "in",    "aux"};

rocksdb::Options BaseOptions(size_t block_cache_bytes) {
  rocksdb::Options o;
  o.create_if_missing = false;
  o.create_missing_column_families = true;
  o.IncreaseParallelism(2);
  o.max_open_files = 512;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = rocksdb::NewLRUCache(block_cache_bytes);
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  return o;
}

// Options of column family `cf` derived from `base`. The aux family is read by
// point lookups that mostly miss (an entity-resolution explanation exists only
// for records matched without an identity number, but evidence asks for every
// record): a Bloom filter answers a miss without reading a data block. The
// other families are scanned or hold few keys and go without filters.
rocksdb::Options CfOptions(const rocksdb::Options& base, Cf cf) {
  rocksdb::Options o = base;
  if (cf != kAux) return o;
  const auto* table = base.table_factory->GetOptions<rocksdb::BlockBasedTableOptions>();
  rocksdb::BlockBasedTableOptions t = table ? *table : rocksdb::BlockBasedTableOptions();
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  return o;
}

// Whether a put of `key` into `cf` changes what the graph image holds (or
// the sources). Only aux records and the batch bookkeeping do not: the batch
// times and next_batch, and the next_vertex / next_edge counters, which are
// written with every batch and change only with vertex / edge puts (the image
// stamp holds them too). Any other key counts, so a new kind of graph record
// makes the image stale rather than be missed.
bool ChangesGraph(Cf cf, std::string_view key) {
  if (cf == kAux) return false;
  if (cf != kMeta) return true;
  if (key == kMetaNextBatch || key == kMetaNextVertex || key == kMetaNextEdge) return false;
  return !(key.starts_with(kMetaBatch) && key.size() == kMetaBatch.size() + 4);
}

class BatchSink : public KvSink {
 public:
  BatchSink(rocksdb::WriteBatch* b, const std::vector<rocksdb::ColumnFamilyHandle*>& cfs)
      : b_(b), cfs_(cfs) {}
  Status Put(Cf cf, std::string_view k, std::string_view v) override {
    graph_ = graph_ || ChangesGraph(cf, k);
    return FromRocks(
        b_->Put(cfs_[cf], rocksdb::Slice(k.data(), k.size()), rocksdb::Slice(v.data(), v.size())),
        "WriteBatch::Put");
  }
  bool changes_graph() const { return graph_; }

 private:
  rocksdb::WriteBatch* b_;
  const std::vector<rocksdb::ColumnFamilyHandle*>& cfs_;
  bool graph_ = false;
};

// The bulk files' writer options: the kernel is asked to start writing
// each file out every MiB (sync_file_range), so the sync that ends the file
// (SstFileWriter::Finish) finds little left to wait for instead of a whole
// file of dirty pages: the disk works while the cores build the rest.
rocksdb::EnvOptions SstEnvOptions() {
  rocksdb::EnvOptions e;
  e.bytes_per_sync = 1 << 20;
  return e;
}

class SstSink : public KvSink {
 public:
  // Keeps the written pages cached: the files are read back on the next open.
  SstSink(const rocksdb::Options& options, std::string path)
      : writer_(SstEnvOptions(), options, /*column_family=*/nullptr,
                /*invalidate_page_cache=*/false),
        path_(std::move(path)) {}
  Status Put(Cf cf, std::string_view k, std::string_view v) override {
    graph_ = graph_ || ChangesGraph(cf, k);
    if (!open_) {
      CG_RETURN_IF_ERROR(FromRocks(writer_.Open(path_), "SstFileWriter::Open " + path_));
      open_ = true;
    }
    return FromRocks(
        writer_.Put(rocksdb::Slice(k.data(), k.size()), rocksdb::Slice(v.data(), v.size())),
        "SstFileWriter::Put");
  }
  // Finishes the file; false when nothing was written.
  StatusOr<bool> Finish() {
    if (!open_) return false;
    CG_RETURN_IF_ERROR(FromRocks(writer_.Finish(), "SstFileWriter::Finish " + path_));
    return true;
  }
  const std::string& path() const { return path_; }
  bool changes_graph() const { return graph_; }

 private:
  rocksdb::SstFileWriter writer_;
  std::string path_;
  bool open_ = false;
  bool graph_ = false;
};

}  // namespace

Store::~Store() {
  if (db_ == nullptr) return;
  for (auto* h : cfs_) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  db_->Close().PermitUncheckedError();
  delete db_;
}

StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& dir, bool create, bool read_only,
                                             size_t block_cache_bytes) {
  std::unique_ptr<Store> store(new Store());
  store->dir_ = dir;
  rocksdb::Options options = BaseOptions(block_cache_bytes);
  options.create_if_missing = create;
  std::vector<rocksdb::ColumnFamilyDescriptor> descs;
  for (int cf = 0; cf < kNumCf; ++cf) {
    descs.emplace_back(kCfNames[cf], rocksdb::ColumnFamilyOptions(CfOptions(options, Cf(cf))));
  }
  rocksdb::Status s =
      read_only ? rocksdb::DB::OpenForReadOnly(options, dir, descs, &store->cfs_, &store->db_)
                : rocksdb::DB::Open(options, dir, descs, &store->cfs_, &store->db_);
  if (!s.ok()) {
    const std::string msg = s.ToString();
    if (s.IsIOError() &&
        (msg.find("lock") != std::string::npos || msg.find("LOCK") != std::string::npos)) {
      return FailedPrecondition("database " + dir + " is locked by another writer process (" + msg +
                                ")");
    }
    return FromRocks(s, "opening database " + dir);
  }
  return store;
}

Status Store::PutSchema(const std::string& text) {
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(db_->Put(wo, cfs_[kMeta], std::string(kMetaSchema), text), "writing schema");
}

std::string Store::NextGeneration() {
  ++generation_;
  generation_micros_ = Timestamp::Now().micros;
  std::string v;
  PutU64(&v, generation_);
  PutI64(&v, generation_micros_);
  return v;
}

Status Store::GenerationWritten(Status s) {
  if (!s.ok()) generation_known_ = false;
  return s;
}

Status Store::PutSource(SourceId id, const SourceInfo& info, bool sync) {
  std::string k(kMetaSource), v;
  PutU32(&k, id);
  PutU32(&v, static_cast<uint32_t>(info.department.size()));
  v += info.department;
  v += info.file;
  rocksdb::WriteBatch wb;
  CG_RETURN_IF_ERROR(FromRocks(wb.Put(cfs_[kMeta], k, v), "WriteBatch::Put"));
  Status st =
      FromRocks(wb.Put(cfs_[kMeta], kMetaGraphGeneration, NextGeneration()), "WriteBatch::Put");
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  if (st.ok()) st = FromRocks(db_->Write(wo, &wb), "registering source");
  return GenerationWritten(std::move(st));
}

Status Store::Write(const Resolved& r, bool sync) {
  rocksdb::WriteBatch wb;
  BatchSink sink(&wb, cfs_);
  for (int cf = 0; cf < kNumCf; ++cf) CG_RETURN_IF_ERROR(EmitCf(static_cast<Cf>(cf), r, &sink));
  const bool graph = sink.changes_graph();
  Status st = Status::OK();
  if (graph) {
    st = FromRocks(wb.Put(cfs_[kMeta], kMetaGraphGeneration, NextGeneration()), "WriteBatch::Put");
  }
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  if (st.ok()) st = FromRocks(db_->Write(wo, &wb), "writing batch " + std::to_string(r.batch));
  return graph ? GenerationWritten(std::move(st)) : st;
}

Status Store::BulkWrite(const Resolved& r, const std::function<const SnapshotImpl*()>& build_next) {
  const fs::path tmp = fs::path(dir_) / "bulk_tmp";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) return IOError("cannot create " + tmp.string() + ": " + ec.message());
  rocksdb::Options options = BaseOptions(1 << 20);
  // Bulk files are written once and read once per open: compressing them
  // costs more CPU than the bytes it saves (compactions may compress later).
  options.compression = rocksdb::kNoCompression;
  // The large column families are cut into key ranges written to separate
  // files in parallel (up to 4, of at least 32K items); the others are one
  // file each.
  std::vector<KeyItem> keys_by_value;
  std::vector<VertexId> out_vertices, in_vertices;
  struct Task {
    Cf cf;
    EmitPart part;
    std::string path;
    Status status;
    bool written = false;
    bool graph = false;
  };
  std::vector<Task> tasks;
  for (int cf = 0; cf < kNumCf; ++cf) {
    const size_t parts = std::clamp<size_t>(EmitLength(static_cast<Cf>(cf), r) >> 15, 1, 4);
    for (size_t p = 0; p < parts; ++p) {
      const std::vector<VertexId>* vertices = cf == kOut  ? &out_vertices
                                              : cf == kIn ? &in_vertices
                                                          : nullptr;
      Task t{static_cast<Cf>(cf), EmitPart{p, parts, &keys_by_value, vertices}, std::string(),
             Status::OK()};
      t.path = (tmp / (std::string(kCfNames[cf]) + "." + std::to_string(p) + ".sst")).string();
      tasks.push_back(std::move(t));
    }
  }
  auto write = [&](Task& t) {
    SstSink sink(CfOptions(options, t.cf), t.path);
    t.status = EmitCf(t.cf, r, &sink, t.part);
    t.graph = sink.changes_graph();
    if (!t.status.ok()) return;
    auto finished = sink.Finish();
    if (!finished.ok()) {
      t.status = finished.status();
    } else {
      t.written = *finished;
    }
  };
  // Every file but the observations' and the adjacency lists' is written
  // beside build_next; those then copy each touched vertex's lists from the
  // snapshot it built (the same bytes a merge here would make) instead of
  // merging them again.
  auto written_in = [&](bool from_next) {
    tbb::parallel_for(size_t{0}, tasks.size(), [&](size_t i) {
      const Cf cf = tasks[i].cf;
      if ((cf == kVprop || cf == kOut || cf == kIn) == from_next) write(tasks[i]);
    });
  };
  const SnapshotImpl* next = nullptr;
  tbb::parallel_invoke(
      [&] {
        tbb::parallel_invoke([&] { keys_by_value = KeysByValue(r); },
                             [&] { out_vertices = AdjacencyVertices(r, true); },
                             [&] { in_vertices = AdjacencyVertices(r, false); });
        written_in(false);
      },
      [&] { next = build_next ? build_next() : nullptr; });
  bool failed = false;
  for (Task& t : tasks) {
    t.part.next = next;
    failed = failed || !t.status.ok();
  }
  if (!failed) written_in(true);
  std::vector<rocksdb::IngestExternalFileArg> args;
  bool graph = false;
  for (const Task& t : tasks) {
    CG_RETURN_IF_ERROR(t.status);
    graph = graph || t.graph;
    if (!t.written) continue;
    if (args.empty() || args.back().column_family != cfs_[t.cf]) {
      rocksdb::IngestExternalFileArg arg;
      arg.column_family = cfs_[t.cf];
      arg.options.move_files = true;
      args.push_back(std::move(arg));
    }
    args.back().external_files.push_back(t.path);
  }
  // The ingestion cannot carry the generation in its own write: it goes
  // first, synced, so a crash in between leaves the image stale, not trusted.
  Status st = Status::OK();
  if (graph) {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    st = FromRocks(db_->Put(wo, cfs_[kMeta], kMetaGraphGeneration, NextGeneration()),
                   "advancing the graph generation");
  }
  if (st.ok()) st = FromRocks(db_->IngestExternalFiles(args), "ingesting bulk batch");
  if (graph) st = GenerationWritten(std::move(st));
  fs::remove_all(tmp, ec);
  return st;
}

namespace {

std::string AuxKey(std::string_view ns, std::string_view key) {
  std::string k;
  EncodeAuxKey(ns, key, &k);
  return k;
}

}  // namespace

StatusOr<std::string> Store::GetAux(std::string_view ns, std::string_view key) const {
  const std::string k = AuxKey(ns, key);
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cfs_[kAux], k, &value);
  if (s.IsNotFound()) {
    return NotFound("no aux record '" + std::string(key) + "' in namespace '" + std::string(ns) +
                    "'");
  }
  CG_RETURN_IF_ERROR(FromRocks(s, "reading aux record"));
  return value;
}

StatusOr<std::vector<std::string>> Store::AuxKeyPrefixes(std::string_view ns,
                                                         char delimiter) const {
  const std::string p = AuxKey(ns, "");
  std::vector<std::string> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cfs_[kAux]));
  it->Seek(p);
  while (it->Valid() && it->key().starts_with(p)) {
    std::string_view key(it->key().data() + p.size(), it->key().size() - p.size());
    const size_t end = key.find(delimiter);
    if (end == std::string_view::npos) {
      it->Next();
      continue;
    }
    out.emplace_back(key.substr(0, end + 1));
    // Every key with this beginning sorts before the beginning with its last
    // byte (the delimiter) incremented: seek there. Bytes compare unsigned,
    // so a 0xff delimiter has no successor: step key by key instead.
    const std::string begin = p + out.back();
    if (static_cast<unsigned char>(delimiter) == 0xff) {
      while (it->Valid() && it->key().starts_with(begin)) it->Next();
    } else {
      std::string next = begin;
      next.back() = static_cast<char>(static_cast<unsigned char>(delimiter) + 1);
      it->Seek(next);
    }
  }
  CG_RETURN_IF_ERROR(FromRocks(it->status(), "scanning aux key prefixes"));
  return out;
}

StatusOr<std::vector<std::pair<std::string, std::string>>> Store::ScanAux(
    std::string_view ns, std::string_view prefix) const {
  const std::string p = AuxKey(ns, prefix);
  const size_t ns_len = p.size() - prefix.size();
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cfs_[kAux]));
  for (it->Seek(p); it->Valid() && it->key().starts_with(p); it->Next()) {
    out.emplace_back(it->key().ToString().substr(ns_len), it->value().ToString());
  }
  CG_RETURN_IF_ERROR(FromRocks(it->status(), "scanning aux records"));
  return out;
}

}  // namespace citygraph::internal
