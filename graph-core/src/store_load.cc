// Store::Load: reads every column family back into a BaseGraph, with the
// edge table split into ranges read in parallel.
#include <rocksdb/db.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "codec.h"
#include "store.h"
#include "store_emit.h"

namespace citygraph::internal {

using namespace keyenc;

namespace {

rocksdb::ReadOptions BulkRead() {
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;
  ro.readahead_size = 4 << 20;
  return ro;
}

std::string_view View(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

}  // namespace

Status Store::LoadVertices(size_t n, const Schema& schema, BaseGraph* base) {
  base->labels.assign(n, 0);
  size_t count = 0;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(BulkRead(), cfs_[kVertex]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->key().size() != 4 || it->value().size() != 2) return Corruption("vertex entry size");
    const VertexId v = GetU32(it->key().data());
    if (v >= n) return Corruption("vertex id " + std::to_string(v) + " beyond next_vertex");
    base->labels[v] = GetU16(it->value().data());
    ++count;
  }
  CG_RETURN_IF_ERROR(FromRocks(it->status(), "reading vertices"));
  if (count != n) {
    return Corruption("expected " + std::to_string(n) + " vertices, found " +
                      std::to_string(count));
  }
  // Observations: a vertex's whole list (ordered by prop, batch, source)
  // under its id. Databases written before 2026-11-29 hold one entry per
  // observation instead, (vid, prop, source) -> record|batch|value, sorted
  // here into the list; a vertex's whole list, once written, sorts before
  // and replaces them.
  base->vprop_off.assign(n + 1, 0);
  base->vprop_blob.clear();
  std::vector<PropertyObservation> obs;
  VertexId cur = 0, whole = kNoVertex;
  auto flush = [&](VertexId upto) {
    std::sort(obs.begin(), obs.end(), [](const auto& a, const auto& b) {
      return std::tie(a.prop, a.source.batch, a.source.source) <
             std::tie(b.prop, b.source.batch, b.source.source);
    });
    for (const auto& o : obs) EncodeObservation(o, &base->vprop_blob);
    obs.clear();
    for (; cur < upto; ++cur) base->vprop_off[cur + 1] = base->vprop_blob.size();
  };
  it.reset(db_->NewIterator(BulkRead(), cfs_[kVprop]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const size_t key_size = it->key().size();
    if (key_size != 4 && key_size != 10) return Corruption("vprop key size");
    const VertexId v = GetU32(it->key().data());
    if (v >= n) return Corruption("property of unknown vertex " + std::to_string(v));
    if (v != cur) flush(v);
    if (key_size == 4) {
      const LabelId label = base->labels[v];
      const size_t props =
          label < schema.labels().size() ? schema.labels()[label].properties.size() : 0;
      if (!ObservationsOk(View(it->value()), props)) {
        return Corruption("properties of vertex " + std::to_string(v) + " do not decode");
      }
      base->vprop_blob.append(View(it->value()));
      whole = v;
      continue;
    }
    if (v == whole) continue;
    PropertyObservation o;
    o.prop = GetU16(it->key().data() + 4);
    o.source.source = GetU32(it->key().data() + 6);
    Reader r(View(it->value()));
    o.source.record = r.U32();
    o.source.batch = r.U32();
    if (!DecodeValue(&r, &o.value))
      return Corruption("property value of vertex " + std::to_string(v));
    obs.push_back(std::move(o));
  }
  CG_RETURN_IF_ERROR(FromRocks(it->status(), "reading vertex properties"));
  flush(static_cast<VertexId>(n));
  return Status::OK();
}

Status Store::LoadKeys(size_t n, BaseGraph* base) {
  // The key -> vertex entries come in (kind, value) order; each vertex's
  // list is kept in that order, so it is a stable counting sort of them by
  // vertex. (Databases written before 2026-11-29 also hold vertex -> key
  // entries, 'r'|vid|kind|value; they say nothing new and are not read.)
  struct Entry {
    VertexId v;
    uint32_t size;  // of the encoded key
  };
  std::vector<Entry> entries;
  std::string encoded;  // the keys, encoded (codec.h), in scan order
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(BulkRead(), cfs_[kKey]));
  for (it->Seek("k"); it->Valid() && it->key().starts_with("k"); it->Next()) {
    if (it->key().size() < 3 || it->value().size() != 4) return Corruption("key entry size");
    const VertexId v = GetU32(it->value().data());
    if (v >= n) return Corruption("key of unknown vertex " + std::to_string(v));
    const size_t before = encoded.size();
    EncodeKey(GetU16(it->key().data() + 1), View(it->key()).substr(3), &encoded);
    entries.push_back(Entry{v, static_cast<uint32_t>(encoded.size() - before)});
  }
  CG_RETURN_IF_ERROR(FromRocks(it->status(), "reading keys"));
  base->key_off.assign(n + 1, 0);
  for (const Entry& e : entries) base->key_off[e.v + 1] += e.size;
  for (size_t v = 0; v < n; ++v) base->key_off[v + 1] += base->key_off[v];
  base->key_blob.resize(encoded.size());
  std::vector<uint64_t> next(base->key_off.begin(), base->key_off.end() - 1);
  size_t at = 0;
  for (const Entry& e : entries) {
    std::memcpy(base->key_blob.data() + next[e.v], encoded.data() + at, e.size);
    next[e.v] += e.size;
    at += e.size;
  }
  base->num_keys = entries.size();
  return Status::OK();
}

Status Store::LoadEdges(size_t m, uint64_t version, BaseGraph* base) {
  base->edges.Resize(m);
  base->edges.AllocateDense(version);
  // Ranges aligned to pages, so each page is written by one task.
  constexpr size_t kRanges = 8;
  const size_t per = (m / kRanges / EdgeTable::kPageSize + 1) * EdgeTable::kPageSize;
  struct Part {
    std::vector<EdgeId> ids;
    std::vector<uint64_t> off{0};
    std::string blob;
    size_t count = 0;
    Status status;
  };
  std::vector<Part> parts(kRanges);
  tbb::parallel_for(size_t{0}, kRanges, [&](size_t p) {
    Part& part = parts[p];
    const size_t begin = std::min(m, p * per), end = std::min(m, (p + 1) * per);
    if (begin == end) return;
    std::string start;
    PutU32(&start, static_cast<uint32_t>(begin));
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(BulkRead(), cfs_[kEdge]));
    for (it->Seek(start); it->Valid(); it->Next()) {
      if (it->key().size() != 4) {
        part.status = Corruption("edge key size");
        return;
      }
      const EdgeId e = GetU32(it->key().data());
      if (e >= end) break;
      EdgeRecord& rec = const_cast<EdgeRecord&>(base->edges.Get(e));
      std::string_view props;
      if (!DecodeEdge(View(it->value()), &rec, &props) || rec.src >= base->n ||
          rec.dst >= base->n) {
        part.status = Corruption("edge " + std::to_string(e) + " does not decode");
        return;
      }
      if (!props.empty()) {
        part.ids.push_back(e);
        part.blob.append(props);
        part.off.push_back(part.blob.size());
      }
      ++part.count;
    }
    part.status = FromRocks(it->status(), "reading edges");
  });
  size_t count = 0;
  base->eprop_ids.clear();
  base->eprop_off.assign(1, 0);
  base->eprop_blob.clear();
  for (Part& part : parts) {
    CG_RETURN_IF_ERROR(part.status);
    count += part.count;
    const uint64_t shift = base->eprop_blob.size();
    base->eprop_ids.insert(base->eprop_ids.end(), part.ids.begin(), part.ids.end());
    for (size_t i = 1; i < part.off.size(); ++i) base->eprop_off.push_back(part.off[i] + shift);
    base->eprop_blob += part.blob;
  }
  if (count != m) {
    return Corruption("expected " + std::to_string(m) + " edges, found " + std::to_string(count));
  }
  return Status::OK();
}

StatusOr<ImageStamp> Store::Stamp(size_t n, size_t m) const {
  if (!generation_known_) {
    return FailedPrecondition("the graph generation is unknown after a failed graph write");
  }
  ImageStamp stamp;
  CG_RETURN_IF_ERROR(FromRocks(db_->GetDbIdentity(stamp.identity), "reading the DB identity"));
  stamp.generation = generation_;
  stamp.generation_micros = generation_micros_;
  stamp.n = n;
  stamp.m = m;
  return stamp;
}

Status Store::WriteImage(const BaseGraph& base, const ImageStamp& stamp) {
  CG_RETURN_IF_ERROR(FromRocks(db_->FlushWAL(/*sync=*/true), "syncing the WAL"));
  return internal::WriteImage(ImagePath(dir_), stamp, base);
}

StatusOr<LoadedState> Store::Load(uint64_t version, bool use_image) {
  LoadedState state;
  uint64_t next[3] = {0, 0, 0};  // vertex, edge, batch
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cfs_[kMeta]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view k = View(it->key()), v = View(it->value());
    if (k == kMetaSchema) {
      auto schema = Schema::Parse(v);
      if (!schema.ok()) return Corruption("stored schema: " + schema.status().message());
      state.schema = *schema;
    } else if (k == kMetaNextVertex || k == kMetaNextEdge || k == kMetaNextBatch) {
      if (v.size() != 8) return Corruption("meta counter size");
      next[k == kMetaNextVertex ? 0 : k == kMetaNextEdge ? 1 : 2] = GetU64(v.data());
    } else if (k.starts_with(kMetaSource) && k.size() == kMetaSource.size() + 4) {
      const SourceId id = GetU32(k.data() + kMetaSource.size());
      Reader r(v);
      const uint32_t len = r.U32();
      SourceInfo info;
      info.department = std::string(r.Bytes(len));
      if (!r.ok()) return Corruption("source entry");
      info.file = std::string(v.substr(4 + len));
      if (state.sources.size() <= id) state.sources.resize(id + 1);
      state.sources[id] = std::move(info);
    } else if (k == kMetaGraphGeneration) {
      if (v.size() != 16) return Corruption("graph generation size");
      generation_ = GetU64(v.data());
      generation_micros_ = GetI64(v.data() + 8);
    } else if (k.starts_with(kMetaBatch) && k.size() == kMetaBatch.size() + 4 && v.size() == 8) {
      state.batch_times.emplace_back(GetU32(k.data() + kMetaBatch.size()), GetI64(v.data()));
    }
  }
  CG_RETURN_IF_ERROR(FromRocks(it->status(), "reading meta"));
  if (!state.schema) return Corruption("database has no schema");
  if (next[0] >= kNoVertex || next[1] >= kNoEdge) return Corruption("id counters out of range");
  state.last_batch = next[2] == 0 ? 0 : static_cast<BatchId>(next[2] - 1);
  CG_ASSIGN_OR_RETURN(state.stamp, Stamp(next[0], next[1]));
  if (use_image) {
    auto base = std::make_shared<BaseGraph>();
    // Any failure (no image, stale, corrupt) falls back to the scan below;
    // all but a missing image are worth a line in the log.
    const Status read = ReadImage(ImagePath(dir_), state.stamp, *state.schema, version, base.get());
    if (read.ok()) {
      base->IndexLabels();
      state.base = std::move(base);
      state.from_image = true;
      return state;
    }
    if (read.code() != StatusCode::kNotFound) {
      std::fprintf(stderr, "citygraph: not using the %s; rebuilding the graph from RocksDB\n",
                   read.message().c_str());
    }
  }
  auto base = std::make_shared<BaseGraph>();
  base->n = next[0];
  base->m = next[1];
  Status sv, sk, se;
  tbb::parallel_invoke([&] { sv = LoadVertices(base->n, *state.schema, base.get()); },
                       [&] { sk = LoadKeys(base->n, base.get()); },
                       [&] { se = LoadEdges(base->m, version, base.get()); });
  CG_RETURN_IF_ERROR(sv);
  CG_RETURN_IF_ERROR(sk);
  CG_RETURN_IF_ERROR(se);
  base->Finish();
  state.base = std::move(base);
  return state;
}

}  // namespace citygraph::internal
