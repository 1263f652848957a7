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

// Ids of r.keys ordered by vertex (then by position in the batch).
std::vector<uint32_t> KeysByVertex(const Resolved& r) {
  std::vector<uint32_t> order(r.keys.size());
  std::iota(order.begin(), order.end(), 0);
  auto by_vertex = [&](uint32_t a, uint32_t b) {
    return std::tie(r.keys[a].v, a) < std::tie(r.keys[b].v, b);
  };
  // Bulk loads usually give keys in vertex order already.
  if (!std::is_sorted(order.begin(), order.end(), by_vertex)) {
    tbb::parallel_sort(order.begin(), order.end(), by_vertex);
  }
  return order;
}

// Appends to *out the key list of a vertex: `stored` (encoded) plus the keys
// r.keys[*i] for i in [first, last), all of that vertex, sorted.
void MergeKeys(std::string_view stored, const Resolved& r, const uint32_t* first,
               const uint32_t* last, std::string* out) {
  KeyList old;
  DecodeKeys(stored, &old);
  std::vector<std::pair<KeyKindId, std::string_view>> list(old.begin(), old.end());
  for (const uint32_t* i = first; i != last; ++i) {
    list.emplace_back(r.keys[*i].kind, *r.keys[*i].value);
  }
  std::sort(list.begin(), list.end());
  for (const auto& [kind, value] : list) EncodeKey(kind, value, out);
}

void ApplyKeys(SnapshotImpl* s, const Resolved& r, uint64_t version, bool with_index) {
  const std::vector<uint32_t> order = KeysByVertex(r);
  for (size_t i = 0; i < order.size();) {
    const VertexId v = r.keys[order[i]].v;
    size_t j = i;
    for (; j < order.size() && r.keys[order[j]].v == v; ++j) {
      const ResolvedKey& k = r.keys[order[j]];
      if (with_index) {
        std::string enc;
        EncodeKey(k.kind, *k.value, &enc);
        s->gen_->keys.emplace(std::move(enc), std::make_pair(v, r.batch));
      }
    }
    auto blob = std::make_shared<std::string>();
    MergeKeys(s->keys_blob(v), r, order.data() + i, order.data() + j, blob.get());
    s->vkeys_.Mutable(v, version) = std::move(blob);
    i = j;
  }
  s->num_keys_ += r.keys.size();
}

// Applies r.props[begin, end), whole vertices, to `s`.
void ApplyPropsRange(SnapshotImpl* s, const Resolved& r, uint64_t version, size_t begin,
                     size_t end) {
  std::vector<PropertyObservation> scratch;
  for (size_t i = begin; i < end;) {
    const VertexId v = r.props[i].v;
    size_t j = i;
    while (j < end && r.props[j].v == v) ++j;
    auto blob = std::make_shared<std::string>();
    MergeObservations(s->vprops_blob(v), r, &r.props[i], r.props.data() + j, &scratch, blob.get());
    s->vprops_.Mutable(v, version) = std::move(blob);
    i = j;
  }
}

void ApplyProps(SnapshotImpl* s, const Resolved& r, uint64_t version) {
  // r.props is sorted by (vertex, prop, source). The ops are cut where the
  // page of the property overrides changes, so each page is written by one
  // task only (as the edge records in ApplyGraph).
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

// Applies everything of `r` to `s` but the keys and vertex observations:
// batch time, new vertices' labels, new and updated edges (the new edges'
// properties only with `new_edge_props`).
void ApplyGraph(SnapshotImpl* s, const Resolved& r, uint64_t version, bool with_index,
                bool new_edge_props = true) {
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
      if (new_edge_props) {
        const std::string_view props = r.new_edge_props_of(i);
        if (!props.empty()) s->eprops_.Mutable(e, version) = std::make_shared<std::string>(props);
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
}

// A builder of the blobs of a range of vertices for FoldIntoBase: a vertex
// that [first, last) (sorted by vertex_of) has no changes for keeps its blob
// in `cur` (none if it is new); the others get merge(stored blob, their
// changes, out). Sizing only (out == nullptr), a vertex with nothing stored
// gets new_size(its changes) and the others are merged into a scratch buffer.
template <typename T, typename VertexOf, typename BlobOf, typename Merge, typename NewSize>
BlobRangeBuilder VertexBlobs(const SnapshotImpl& cur, const T* first, const T* last,
                             VertexOf vertex_of, BlobOf blob_of, Merge merge, NewSize new_size) {
  return [=, &cur](size_t begin, size_t end, uint64_t* sizes, std::string* out) {
    const T* item = std::lower_bound(first, last, begin,
                                     [&](const T& x, size_t v) { return vertex_of(x) < v; });
    std::string scratch;
    for (size_t v = begin; v < end; ++v) {
      const std::string_view stored =
          v < cur.num_vertices() ? blob_of(static_cast<VertexId>(v)) : std::string_view();
      const T* group_end = item;
      while (group_end != last && vertex_of(*group_end) == v) ++group_end;
      if (group_end == item) {
        if (out != nullptr) out->append(stored);
        sizes[v - begin] = stored.size();
      } else if (out != nullptr) {
        const size_t before = out->size();
        merge(stored, item, group_end, out);
        sizes[v - begin] = out->size() - before;
      } else if (stored.empty()) {
        sizes[v - begin] = new_size(item, group_end);
      } else {
        scratch.clear();
        merge(stored, item, group_end, &scratch);
        sizes[v - begin] = scratch.size();
      }
      item = group_end;
    }
  };
}

}  // namespace

void MergeObservations(std::string_view stored, const Resolved& r, const ResolvedProp* first,
                       const ResolvedProp* last, std::vector<PropertyObservation>* scratch,
                       std::string* out) {
  const WriteBatch& batch = *r.write_batch;
  if (stored.empty()) {
    // Nothing stored yet: the ops are already in blob order (prop, then
    // source; one batch) and their values already encoded.
    for (const ResolvedProp* p = first; p != last; ++p) {
      const WriteBatch::PropOp& op = batch.props()[p->op];
      keyenc::PutU16(out, op.prop);
      keyenc::PutU32(out, op.source.source);
      keyenc::PutU32(out, op.source.record);
      keyenc::PutU32(out, r.batch);
      out->append(batch.encoded_value(op));
    }
    return;
  }
  std::vector<PropertyObservation>& list = *scratch;
  list.clear();
  DecodeObservations(stored, &list);
  for (const ResolvedProp* p = first; p != last; ++p) {
    const WriteBatch::PropOp& op = batch.props()[p->op];
    auto same = [&](const PropertyObservation& o) {
      return o.prop == op.prop && o.source.source == op.source.source;
    };
    list.erase(std::remove_if(list.begin(), list.end(), same), list.end());
    list.push_back(PropertyObservation{op.prop, batch.value(op),
                                       SourceRef{op.source.source, op.source.record, r.batch}});
  }
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
    return std::tie(a.prop, a.source.batch, a.source.source) <
           std::tie(b.prop, b.source.batch, b.source.source);
  });
  for (const auto& o : list) EncodeObservation(o, out);
}

std::shared_ptr<SnapshotImpl> ApplyToSnapshot(const SnapshotImpl& cur, const Resolved& r,
                                              uint64_t version, bool with_index) {
  auto s = std::make_shared<SnapshotImpl>(cur);
  ApplyGraph(s.get(), r, version, with_index);
  s->vprops_.Resize(s->n_);
  s->vkeys_.Resize(s->n_);
  ApplyKeys(s.get(), r, version, with_index);
  ApplyProps(s.get(), r, version);
  return s;
}

BlobList FoldedObservations(const SnapshotImpl& cur, const Resolved& r) {
  // Observations come sorted by vertex, their ops (and values) in batch
  // order: each one read is a cache miss on a large batch. Hints some ops
  // ahead: the op 16 ahead, and (its op now cached) the value 8 ahead.
  const ResolvedProp* const end = r.props.data() + r.props.size();
  const auto& ops = r.write_batch->props();
  const char* const values = r.write_batch->values().data();
  auto prefetch = [&](const ResolvedProp* first, const ResolvedProp* last, bool value) {
    for (const ResolvedProp* p = first; p != last; ++p) {
      if (end - p > 16) __builtin_prefetch(&ops[p[16].op]);
      if (value && end - p > 8) __builtin_prefetch(values + ops[p[8].op].value_at);
    }
  };
  const BlobRangeBuilder vprops = VertexBlobs(
      cur, r.props.data(), end, [](const ResolvedProp& p) { return p.v; },
      [&](VertexId v) { return cur.vprops_blob(v); },
      [&](std::string_view stored, const ResolvedProp* first, const ResolvedProp* last,
          std::string* out) {
        prefetch(first, last, true);
        std::vector<PropertyObservation> scratch;
        MergeObservations(stored, r, first, last, &scratch, out);
      },
      [&](const ResolvedProp* first, const ResolvedProp* last) {
        prefetch(first, last, false);
        // What MergeObservations writes when nothing is stored.
        size_t bytes = 0;
        for (const ResolvedProp* p = first; p != last; ++p) {
          bytes += kObservationHeader + r.write_batch->encoded_value(ops[p->op]).size();
        }
        return bytes;
      });
  BlobList out;
  ConcatenateBuilt(r.first_vertex + r.new_labels->size(), vprops, &out.offsets, &out.blob);
  return out;
}

std::shared_ptr<SnapshotImpl> ApplyFolded(const SnapshotImpl& cur, const Resolved& r,
                                          uint64_t version, BlobList observations) {
  auto s = std::make_shared<SnapshotImpl>(cur);
  // New edges' properties go straight into the base (no per-edge overlay).
  ApplyGraph(s.get(), r, version, /*with_index=*/false, /*new_edge_props=*/false);
  s->num_keys_ += r.keys.size();
  // Keys in the order of KeysByVertex.
  const std::vector<uint32_t> order = KeysByVertex(r);
  const BlobRangeBuilder keys = VertexBlobs(
      cur, order.data(), order.data() + order.size(), [&](uint32_t i) { return r.keys[i].v; },
      [&](VertexId v) { return cur.keys_blob(v); },
      [&](std::string_view stored, const uint32_t* first, const uint32_t* last, std::string* out) {
        MergeKeys(stored, r, first, last, out);
      },
      [&](const uint32_t* first, const uint32_t* last) {
        size_t bytes = 0;  // what EncodeKey writes for each
        for (const uint32_t* i = first; i != last; ++i) {
          bytes += kKeyHeader + r.keys[*i].value->size();
        }
        return bytes;
      });
  BuiltEdgeProps eprops;
  eprops.first = r.first_edge;
  eprops.props = [&](EdgeId e) { return r.new_edge_props_of(e - r.first_edge); };
  return SnapshotOverBase(*s, FoldIntoBase(*s, &observations, &keys, &eprops));
}

}  // namespace citygraph::internal
