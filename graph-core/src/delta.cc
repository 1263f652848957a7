#include "delta.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cstring>
#include <numeric>

#include "codec.h"

namespace citygraph::internal {
namespace {

void Append(CowArray<DeltaAdj, 9>* arr, VertexId v, AdjEntry entry, uint64_t version,
            DeltaGen* gen) {
  DeltaAdj& d = arr->Mutable(v, version);
  if (d.len == d.cap) {
    const uint32_t cap = std::max<uint32_t>(4, d.cap * 2);
    AdjEntry* p = gen->Alloc(cap);
    if (d.len > 0) std::memcpy(p, d.ptr, d.len * sizeof(AdjEntry));
    d.ptr = p;
    d.cap = cap;
  }
  // Past the length any older snapshot knows: safe to write in place.
  d.ptr[d.len++] = entry;
}

void ApplyKeys(SnapshotImpl* s, const Resolved& r, uint64_t version, bool with_index) {
  std::vector<uint32_t> order(r.keys.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return r.keys[a].v < r.keys[b].v; });
  for (size_t i = 0; i < order.size();) {
    const VertexId v = r.keys[order[i]].v;
    KeyList list;
    DecodeKeys(s->keys_blob(v), &list);
    for (; i < order.size() && r.keys[order[i]].v == v; ++i) {
      const ResolvedKey& k = r.keys[order[i]];
      list.emplace_back(k.kind, *k.value);
      if (with_index) {
        std::string enc;
        EncodeKey(k.kind, *k.value, &enc);
        s->gen_->keys.emplace(std::move(enc), std::make_pair(v, r.batch));
      }
    }
    std::sort(list.begin(), list.end());
    auto blob = std::make_shared<std::string>();
    for (const auto& [kind, value] : list) EncodeKey(kind, value, blob.get());
    s->vkeys_.Mutable(v, version) = std::move(blob);
  }
  s->num_keys_ += r.keys.size();
}

// Applies r.props[begin, end), whole vertices, to `s`.
void ApplyPropsRange(SnapshotImpl* s, const Resolved& r, uint64_t version, size_t begin,
                     size_t end) {
  std::vector<PropertyObservation> list;
  for (size_t i = begin; i < end;) {
    const VertexId v = r.props[i].v;
    if (s->vprops_blob(v).empty()) {
      // Nothing stored yet: the group is already in blob order (prop, then
      // source; one batch) with one op per (prop, source), so it is encoded
      // as it stands, without copying the values.
      auto blob = std::make_shared<std::string>();
      for (; i < end && r.props[i].v == v; ++i) {
        const ResolvedProp& p = r.props[i];
        keyenc::PutU16(blob.get(), p.prop);
        keyenc::PutU32(blob.get(), p.source.source);
        keyenc::PutU32(blob.get(), p.source.record);
        keyenc::PutU32(blob.get(), p.source.batch);
        EncodeValue(*p.value, blob.get());
      }
      s->vprops_.Mutable(v, version) = std::move(blob);
      continue;
    }
    list.clear();
    DecodeObservations(s->vprops_blob(v), &list);
    for (; i < end && r.props[i].v == v; ++i) {
      const ResolvedProp& p = r.props[i];
      auto same = [&](const PropertyObservation& o) {
        return o.prop == p.prop && o.source.source == p.source.source;
      };
      list.erase(std::remove_if(list.begin(), list.end(), same), list.end());
      list.push_back(PropertyObservation{p.prop, *p.value, p.source});
    }
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      return std::tie(a.prop, a.source.batch, a.source.source) <
             std::tie(b.prop, b.source.batch, b.source.source);
    });
    auto blob = std::make_shared<std::string>();
    for (const auto& o : list) EncodeObservation(o, blob.get());
    s->vprops_.Mutable(v, version) = std::move(blob);
  }
}

void ApplyProps(SnapshotImpl* s, const Resolved& r, uint64_t version) {
  // r.props is sorted by (vertex, prop, source). The ops are cut where the
  // page of the property overrides changes, so each page is written by one
  // task only (as the edge records in ApplyToSnapshot).
  if (r.props.size() < (1 << 14)) return ApplyPropsRange(s, r, version, 0, r.props.size());
  constexpr size_t kPage = decltype(s->vprops_)::kPageSize;
  std::vector<size_t> cuts{0};
  for (size_t i = 1; i < r.props.size(); ++i) {
    if (r.props[i].v / kPage != r.props[i - 1].v / kPage) cuts.push_back(i);
  }
  cuts.push_back(r.props.size());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, cuts.size() - 1, 16), [&](const auto& pages) {
    ApplyPropsRange(s, r, version, cuts[pages.begin()], cuts[pages.end()]);
  });
}

}  // namespace

std::shared_ptr<SnapshotImpl> ApplyToSnapshot(const SnapshotImpl& cur, const Resolved& r,
                                              uint64_t version, bool with_index) {
  auto s = std::make_shared<SnapshotImpl>(cur);
  s->last_batch_ = r.batch;
  s->batch_times_.Resize(std::max<size_t>(s->batch_times_.size(), r.batch + 1));
  s->batch_times_.Mutable(r.batch, version) = r.time.micros;

  const size_t base_n = s->base_->n;
  s->n_ += r.new_labels->size();
  s->new_labels_.Resize(s->n_ - base_n);
  for (size_t i = 0; i < r.new_labels->size(); ++i) {
    s->new_labels_.Mutable(r.first_vertex + i - base_n, version) = (*r.new_labels)[i];
  }
  for (auto* arr : {&s->out_delta_, &s->in_delta_}) arr->Resize(s->n_);
  s->vprops_.Resize(s->n_);
  s->vkeys_.Resize(s->n_);

  ApplyKeys(s.get(), r, version, with_index);
  ApplyProps(s.get(), r, version);

  s->m_ += r.new_edges.size();
  s->edges_.Resize(s->m_);
  s->eprops_.Resize(s->m_);
  // Records and properties of new edges, in parallel over pages: the edge
  // table and the property overrides have the same page size, so each page
  // of either is written by one task only.
  static_assert(EdgeTable::kPageSize == CowArray<Blob, 10>::kPageSize);
  const size_t first = r.first_edge, count = r.new_edges.size();
  const size_t first_page = first / EdgeTable::kPageSize;
  const size_t end_page = (first + count + EdgeTable::kPageSize - 1) / EdgeTable::kPageSize;
  tbb::parallel_for(tbb::blocked_range<size_t>(first_page, end_page, 16), [&](const auto& pages) {
    const size_t begin = std::max(first, pages.begin() * EdgeTable::kPageSize);
    const size_t end = std::min(first + count, pages.end() * EdgeTable::kPageSize);
    for (size_t e = begin; e < end; ++e) {
      const size_t i = e - first;
      s->edges_.Mutable(e, version) = r.new_edges[i];
      if (!r.new_edge_props[i]->empty()) {
        auto blob = std::make_shared<std::string>();
        EncodeProps(*r.new_edge_props[i], blob.get());
        s->eprops_.Mutable(e, version) = std::move(blob);
      }
    }
  });
  if (with_index) {
    for (size_t i = 0; i < count; ++i) {
      const EdgeId e = static_cast<EdgeId>(first + i);
      const EdgeRecord& rec = r.new_edges[i];
      Append(&s->out_delta_, rec.src, AdjEntry{rec.dst, e}, version, s->gen_.get());
      Append(&s->in_delta_, rec.dst, AdjEntry{rec.src, e}, version, s->gen_.get());
    }
  }
  for (const auto& u : r.updates) {
    s->edges_.Mutable(u.edge, version) = u.record;
    if (u.props_changed) {
      s->eprops_.Mutable(u.edge, version) = std::make_shared<const std::string>(u.props_enc);
    }
  }
  return s;
}

}  // namespace citygraph::internal
