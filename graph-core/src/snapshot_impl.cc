#include "snapshot_impl.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cassert>

#include "codec.h"

namespace citygraph::internal {

AdjEntry* DeltaGen::Alloc(size_t n) {
  constexpr size_t kBlock = 1 << 18;
  if (block_used + n > block_size) {
    block_size = std::max(kBlock, n);
    blocks.push_back(std::make_unique<AdjEntry[]>(block_size));
    arena_bytes += block_size * sizeof(AdjEntry);
    block_used = 0;
  }
  AdjEntry* p = blocks.back().get() + block_used;
  block_used += n;
  return p;
}

LabelId SnapshotImpl::label(VertexId v) const {
  assert(v < n_);
  return v < base_->n ? base_->labels[v] : new_labels_.Get(v - base_->n);
}

AdjRange SnapshotImpl::Adj(VertexId v, bool out) const {
  assert(v < n_);
  std::span<const AdjEntry> base;
  if (v < base_->n) base = out ? base_->out(v) : base_->in(v);
  const DeltaAdj* d = (out ? out_delta_ : in_delta_).Find(v);
  if (d == nullptr || d->len == 0) return AdjRange(base, {});
  return AdjRange(base, std::span<const AdjEntry>(d->ptr, d->len));
}

std::string_view SnapshotImpl::eprops_blob(EdgeId e) const {
  const Blob* o = eprops_.Find(e);
  if (o != nullptr && *o) return **o;
  return e < base_->m ? base_->eprops(e) : std::string_view();
}

std::string_view SnapshotImpl::vprops_blob(VertexId v) const {
  const Blob* o = vprops_.Find(v);
  if (o != nullptr && *o) return **o;
  return v < base_->n ? base_->vprops(v) : std::string_view();
}

std::string_view SnapshotImpl::keys_blob(VertexId v) const {
  const Blob* o = vkeys_.Find(v);
  if (o != nullptr && *o) return **o;
  return v < base_->n ? base_->keys(v) : std::string_view();
}

Properties SnapshotImpl::edge_properties(EdgeId e) const {
  Properties out;
  if (!DecodeProps(eprops_blob(e), &out)) out.clear();
  return out;
}

std::vector<PropertyObservation> SnapshotImpl::properties(VertexId v) const {
  std::vector<PropertyObservation> out;
  if (!DecodeObservations(vprops_blob(v), &out)) out.clear();
  return out;
}

Value SnapshotImpl::property(VertexId v, PropId prop) const {
  return LatestValue(vprops_blob(v), prop);
}

VertexId SnapshotImpl::FindKeyInternal(KeyKindId kind, std::string_view value) const {
  VertexId v = base_->key_index.Find(kind, value, [this](VertexId u) { return base_->keys(u); });
  if (v != kNoVertex) return v;
  if (gen_->keys.empty()) return kNoVertex;
  std::string k;
  EncodeKey(kind, value, &k);
  auto it = gen_->keys.find(k);
  if (it == gen_->keys.end() || it->second.second > last_batch_) return kNoVertex;
  return it->second.first;
}

StatusOr<VertexId> SnapshotImpl::FindByKey(KeyKindId kind, std::string_view value) const {
  VertexId v = FindKeyInternal(kind, value);
  if (v == kNoVertex) {
    std::string kind_name =
        kind < schema_->key_kinds().size() ? schema_->key_kinds()[kind] : std::to_string(kind);
    return NotFound("no vertex has key " + kind_name + " '" + std::string(value) + "'");
  }
  return v;
}

std::vector<std::pair<KeyKindId, std::string>> SnapshotImpl::keys(VertexId v) const {
  KeyList out;
  if (!DecodeKeys(keys_blob(v), &out)) out.clear();
  return out;
}

std::vector<VertexId> SnapshotImpl::vertices_with_label(LabelId l) const {
  std::span<const VertexId> base = base_->with_label(l);
  std::vector<VertexId> out(base.begin(), base.end());
  for (VertexId v = static_cast<VertexId>(base_->n); v < n_; ++v) {
    if (new_labels_.Get(v - base_->n) == l) out.push_back(v);
  }
  return out;
}

SourceInfo SnapshotImpl::source(SourceId id) const {
  return id < sources_->size() ? (*sources_)[id] : SourceInfo{};
}

Timestamp SnapshotImpl::batch_time(BatchId id) const {
  if (id >= batch_times_.size()) return Timestamp{};
  const int64_t* t = batch_times_.Find(id);
  return Timestamp{t ? *t : 0};
}

size_t SnapshotImpl::memory_bytes() const {
  return base_->bytes() + edges_.page_bytes() + new_labels_.page_bytes() + eprops_.page_bytes() +
         out_delta_.page_bytes() + in_delta_.page_bytes() + vprops_.page_bytes() +
         vkeys_.page_bytes() + gen_->arena_bytes.load() + gen_->keys.size() * 64;
}

std::shared_ptr<SnapshotImpl> SnapshotOverBase(std::shared_ptr<const Schema> schema,
                                               std::shared_ptr<const BaseGraph> base) {
  auto s = std::make_shared<SnapshotImpl>();
  s->schema_ = std::move(schema);
  s->n_ = base->n;
  s->m_ = base->m;
  s->num_keys_ = base->num_keys;
  s->edges_ = base->edges;
  s->eprops_.Resize(s->m_);
  s->out_delta_.Resize(s->n_);
  s->in_delta_.Resize(s->n_);
  s->vprops_.Resize(s->n_);
  s->vkeys_.Resize(s->n_);
  s->gen_ = std::make_shared<DeltaGen>();
  s->base_ = std::move(base);
  s->sources_ = std::make_shared<const std::vector<SourceInfo>>();
  return s;
}

std::shared_ptr<SnapshotImpl> SnapshotOverBase(const SnapshotImpl& prev,
                                               std::shared_ptr<const BaseGraph> base) {
  auto s = SnapshotOverBase(prev.schema_, std::move(base));
  s->sources_ = prev.sources_;
  s->batch_times_ = prev.batch_times_;
  s->last_batch_ = prev.last_batch_;
  return s;
}

std::shared_ptr<BaseGraph> FoldIntoBase(const SnapshotImpl& s, BlobList* vprops,
                                        const BlobRangeBuilder* keys,
                                        const BuiltEdgeProps* eprops) {
  auto b = std::make_shared<BaseGraph>();
  b->n = s.n_;
  b->m = s.m_;
  b->num_keys = s.num_keys_;
  b->edges = s.edges_;
  b->labels.resize(b->n);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, b->n, 1 << 14), [&](const auto& r) {
    for (size_t v = r.begin(); v != r.end(); ++v) b->labels[v] = s.label(static_cast<VertexId>(v));
  });
  // A vertex blob list: built by `built` when given, else gathered from `s`.
  auto vertex_blobs = [&](const BlobRangeBuilder* built,
                          std::string_view (SnapshotImpl::*stored)(VertexId) const,
                          std::vector<uint64_t>* offsets, std::string* blob) {
    if (built != nullptr) return ConcatenateBuilt(b->n, *built, offsets, blob);
    Concatenate(
        b->n, [&](size_t v) { return (s.*stored)(static_cast<VertexId>(v)); }, offsets, blob);
  };
  if (vprops != nullptr) {
    assert(vprops->offsets.size() == b->n + 1);
    b->vprop_off = std::move(vprops->offsets);
    b->vprop_blob = std::move(vprops->blob);
  } else {
    vertex_blobs(nullptr, &SnapshotImpl::vprops_blob, &b->vprop_off, &b->vprop_blob);
  }
  vertex_blobs(keys, &SnapshotImpl::keys_blob, &b->key_off, &b->key_blob);
  // Edge properties are sparse: gather ids of edges that have any.
  // Walk the old base's sorted ids alongside, so this stays linear.
  const BaseGraph& old = *s.base_;
  const size_t built = eprops != nullptr ? eprops->first : b->m;
  size_t next_old = 0;
  for (size_t e = 0; e < built; ++e) {
    while (next_old < old.eprop_ids.size() && old.eprop_ids[next_old] < e) ++next_old;
    const Blob* o = s.eprops_.Find(e);
    const bool has = o != nullptr && *o
                         ? !(*o)->empty()
                         : next_old < old.eprop_ids.size() && old.eprop_ids[next_old] == e &&
                               old.eprop_off[next_old + 1] > old.eprop_off[next_old];
    if (has) b->eprop_ids.push_back(static_cast<EdgeId>(e));
  }
  const size_t stored = b->eprop_ids.size();
  for (size_t e = built; e < b->m; ++e) {
    if (!eprops->props(static_cast<EdgeId>(e)).empty()) {
      b->eprop_ids.push_back(static_cast<EdgeId>(e));
    }
  }
  Concatenate(
      b->eprop_ids.size(),
      [&](size_t i) {
        const EdgeId e = b->eprop_ids[i];
        return i < stored ? s.eprops_blob(e) : eprops->props(e);
      },
      &b->eprop_off, &b->eprop_blob);
  b->Finish();
  return b;
}

}  // namespace citygraph::internal
