#include "store_emit.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cstring>
#include <numeric>

#include "adj_order.h"
#include "codec.h"
#include "delta.h"

namespace citygraph::internal {

using namespace keyenc;

Status FromRocks(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return Status::OK();
  std::string msg = std::string(context) + ": " + s.ToString();
  if (s.IsCorruption()) return Corruption(msg);
  if (s.IsNotFound()) return NotFound(msg);
  if (s.IsInvalidArgument()) return InvalidArgument(msg);
  return IOError(msg);
}

namespace {

Status EmitMeta(const Resolved& r, KvSink* sink) {
  std::string k(kMetaBatch), v;
  PutU32(&k, r.batch);
  PutI64(&v, r.time.micros);
  CG_RETURN_IF_ERROR(sink->Put(kMeta, k, v));
  // Ascending: next_batch < next_edge < next_vertex.
  const std::pair<std::string_view, uint64_t> counters[] = {
      {kMetaNextBatch, uint64_t{r.batch} + 1},
      {kMetaNextEdge, uint64_t{r.first_edge} + r.new_edges.size()},
      {kMetaNextVertex, uint64_t{r.first_vertex} + r.new_labels->size()}};
  for (const auto& [name, value] : counters) {
    v.clear();
    PutU64(&v, value);
    CG_RETURN_IF_ERROR(sink->Put(kMeta, name, v));
  }
  return Status::OK();
}

// Emits items [begin, end) of the key column family's sequence: the key ->
// vertex entries, by value. Read in order from the sorted copies; only a
// value longer than a copy holds is read from the batch.
Status EmitKeys(const Resolved& r, const std::vector<KeyItem>& by_value, size_t begin, size_t end,
                KvSink* sink) {
  std::string k;
  char v[4];
  for (size_t i = begin; i < end; ++i) {
    const KeyItem& item = by_value[i];
    const char* kind_and_value = reinterpret_cast<const char*>(item.bytes);
    k.assign(1, 'k');
    if (item.len <= KeyItem::kInline) {
      k.append(kind_and_value, 2 + item.len);
    } else {
      k.append(kind_and_value, 2);
      k.append(*r.keys[item.index].value);
    }
    StoreU32(v, item.v);
    CG_RETURN_IF_ERROR(sink->Put(kKey, k, std::string_view(v, 4)));
  }
  return Status::OK();
}

// Emits the observation lists of the vertices whose ops start in r.props
// [begin, end) (sorted by vertex by Resolve): each vertex's whole list after
// the batch, under its id, read from `next` if given. A part's bounds move
// forward to the next vertex boundary, so consecutive parts share no vertex.
Status EmitObservations(const Resolved& r, size_t begin, size_t end, const SnapshotImpl* next,
                        KvSink* sink) {
  const auto& props = r.props;
  auto boundary = [&](size_t i) {
    while (i > 0 && i < props.size() && props[i].v == props[i - 1].v) ++i;
    return i;
  };
  std::vector<PropertyObservation> scratch;
  std::string v;
  for (size_t i = boundary(begin), stop = boundary(end); i < stop;) {
    const VertexId vertex = props[i].v;
    size_t j = i + 1;
    while (j < props.size() && props[j].v == vertex) ++j;
    std::string_view list;
    if (next != nullptr) {
      list = next->vprops_blob(vertex);
    } else {
      const std::string_view stored =
          vertex < r.snap->num_vertices() ? r.snap->vprops_blob(vertex) : std::string_view();
      v.clear();
      MergeObservations(stored, r, &props[i], props.data() + j, &scratch, &v);
      list = v;
    }
    char k[4];
    StoreU32(k, vertex);
    CG_RETURN_IF_ERROR(sink->Put(kVprop, std::string_view(k, 4), list));
    i = j;
  }
  return Status::OK();
}

// Emits items [begin, end) of the edge column family's sequence: the
// updates (ids below first_edge, ascending), then the new edges.
Status EmitEdges(const Resolved& r, size_t begin, size_t end, KvSink* sink) {
  std::string v;
  const size_t nu = r.updates.size();
  for (size_t i = begin; i < end; ++i) {
    v.clear();
    char k[4];
    if (i < nu) {
      const auto& u = r.updates[i];
      StoreU32(k, u.edge);
      EncodeEdge(u.record, u.props_enc, &v);
    } else {
      StoreU32(k, static_cast<uint32_t>(r.first_edge + (i - nu)));
      EncodeEdge(r.new_edges[i - nu], r.new_edge_props_of(i - nu), &v);
    }
    CG_RETURN_IF_ERROR(sink->Put(kEdge, std::string_view(k, 4), v));
  }
  return Status::OK();
}

void AppendAdj(VertexId nbr, EdgeId edge, std::string* out) {
  char b[8];
  StoreU32(StoreU32(b, nbr), edge);
  out->append(b, 8);
}

// Emits the out (or in) lists of vertices[begin, end): each one's edges in
// that direction in edge id order, as u32 neighbour | u32 edge id. Read from
// `next` (the batch applied) when given, else from the stored snapshot
// followed by the batch's new edges (ids ascend with the index).
Status EmitAdjacency(const Resolved& r, bool out, const std::vector<VertexId>& vertices,
                     size_t begin, size_t end, const SnapshotImpl* next, KvSink* sink) {
  const Cf cf = out ? kOut : kIn;
  std::vector<std::pair<VertexId, uint32_t>> added;  // (vertex, index), without `next`
  if (next == nullptr) {
    added.reserve(r.new_edges.size());
    for (size_t i = 0; i < r.new_edges.size(); ++i) {
      const EdgeRecord& e = r.new_edges[i];
      added.emplace_back(out ? e.src : e.dst, static_cast<uint32_t>(i));
    }
    tbb::parallel_sort(added.begin(), added.end());
  }
  std::string value;
  for (size_t i = begin; i < end; ++i) {
    const VertexId v = vertices[i];
    value.clear();
    if (next != nullptr) {
      for (const AdjEntry& a : out ? next->out_edges(v) : next->in_edges(v)) {
        AppendAdj(a.nbr, a.edge, &value);
      }
    } else {
      if (v < r.snap->num_vertices()) {
        for (const AdjEntry& a : out ? r.snap->out_edges(v) : r.snap->in_edges(v)) {
          AppendAdj(a.nbr, a.edge, &value);
        }
      }
      auto it = std::lower_bound(added.begin(), added.end(), std::make_pair(v, uint32_t{0}));
      for (; it != added.end() && it->first == v; ++it) {
        const EdgeRecord& e = r.new_edges[it->second];
        AppendAdj(out ? e.dst : e.src, static_cast<EdgeId>(r.first_edge + it->second), &value);
      }
    }
    char k[4];
    StoreU32(k, v);
    CG_RETURN_IF_ERROR(sink->Put(cf, std::string_view(k, 4), value));
  }
  return Status::OK();
}

Status EmitAux(const Resolved& r, KvSink* sink) {
  std::vector<std::pair<std::string, const std::string*>> kvs;
  for (const auto& op : *r.aux) {
    std::string k;
    EncodeAuxKey(op.ns, op.key, &k);
    kvs.emplace_back(std::move(k), &op.value);
  }
  // Stable: of two puts to one key, the later one wins.
  std::stable_sort(kvs.begin(), kvs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < kvs.size(); ++i) {
    if (i + 1 < kvs.size() && kvs[i + 1].first == kvs[i].first) continue;
    CG_RETURN_IF_ERROR(sink->Put(kAux, kvs[i].first, *kvs[i].second));
  }
  return Status::OK();
}

}  // namespace

// The sort runs on copies of the kind and the first bytes of each value,
// zero-padded, and reads the key strings themselves only for longer values
// that tie on those bytes: the comparisons then touch no memory outside the
// array being sorted.
std::vector<KeyItem> KeysByValue(const Resolved& r) {
  constexpr size_t kInline = KeyItem::kInline;
  const auto& keys = r.keys;
  std::vector<KeyItem> items(keys.size());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, keys.size(), 1 << 14), [&](const auto& range) {
    for (size_t i = range.begin(); i != range.end(); ++i) {
      const std::string& v = *keys[i].value;
      KeyItem& it = items[i];
      std::memset(it.bytes, 0, sizeof it.bytes);
      it.bytes[0] = static_cast<unsigned char>(keys[i].kind >> 8);
      it.bytes[1] = static_cast<unsigned char>(keys[i].kind);
      std::memcpy(it.bytes + 2, v.data(), std::min(v.size(), kInline));
      it.index = static_cast<uint32_t>(i);
      it.v = keys[i].v;
      it.len = static_cast<uint16_t>(std::min(v.size(), kInline + 1));
    }
  });
  tbb::parallel_sort(items.begin(), items.end(), [&](const KeyItem& a, const KeyItem& b) {
    const int c = std::memcmp(a.bytes, b.bytes, sizeof a.bytes);
    if (c != 0) return c < 0;
    // Equal kinds and leading bytes: zero padding makes a shorter value and
    // a longer one that continues with zero bytes look alike, so lengths
    // decide; two values longer than the copy are compared in full.
    if (a.len <= kInline || b.len <= kInline) return a.len < b.len;
    return *keys[a.index].value < *keys[b.index].value;
  });
  return items;
}

size_t EmitLength(Cf cf, const Resolved& r) {
  switch (cf) {
    case kVprop:
      return r.props.size();
    case kKey:
      return r.keys.size();
    case kEdge:
      return r.updates.size() + r.new_edges.size();
    case kOut:
    case kIn:
      return r.new_edges.size();
    default:
      return 0;
  }
}

std::vector<VertexId> AdjacencyVertices(const Resolved& r, bool out) {
  std::vector<VertexId> vs;
  if (out) {
    // The out keys come sorted by source.
    for (const AdjKey& k : r.out_keys) {
      if (vs.empty() || vs.back() != k.vertex()) vs.push_back(k.vertex());
    }
    return vs;
  }
  vs.resize(r.new_edges.size());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, vs.size(), 1 << 14), [&](const auto& range) {
    for (size_t i = range.begin(); i != range.end(); ++i) vs[i] = r.new_edges[i].dst;
  });
  tbb::parallel_sort(vs.begin(), vs.end());
  vs.erase(std::unique(vs.begin(), vs.end()), vs.end());
  return vs;
}

Status EmitCf(Cf cf, const Resolved& r, KvSink* sink, const EmitPart& part) {
  // The adjacency families' parts split their vertices (computed here when
  // the caller has not).
  const bool adjacency = cf == kOut || cf == kIn;
  std::vector<VertexId> own_vertices;
  const std::vector<VertexId>* vertices = part.adjacency_vertices;
  if (adjacency && vertices == nullptr) {
    own_vertices = AdjacencyVertices(r, cf == kOut);
    vertices = &own_vertices;
  }
  const size_t len = adjacency ? vertices->size() : EmitLength(cf, r);
  const size_t begin = len * part.index / part.count, end = len * (part.index + 1) / part.count;
  if (EmitLength(cf, r) == 0 && part.count != 1) {
    return Internal(
        "EmitCf: only the observation, key, edge, out and in column families split "
        "into parts");
  }

  std::string k, v;
  switch (cf) {
    case kMeta:
      return EmitMeta(r, sink);
    case kVertex:
      for (size_t i = 0; i < r.new_labels->size(); ++i) {
        k.clear();
        v.clear();
        PutU32(&k, static_cast<uint32_t>(r.first_vertex + i));
        PutU16(&v, (*r.new_labels)[i]);
        CG_RETURN_IF_ERROR(sink->Put(kVertex, k, v));
      }
      return Status::OK();
    case kVprop:
      return EmitObservations(r, begin, end, part.next, sink);
    case kKey: {
      if (part.keys_by_value != nullptr) return EmitKeys(r, *part.keys_by_value, begin, end, sink);
      return EmitKeys(r, KeysByValue(r), begin, end, sink);
    }
    case kEdge:
      return EmitEdges(r, begin, end, sink);
    case kOut:
    case kIn:
      if (r.out_keys.size() != r.new_edges.size()) return Internal("EmitCf: out keys missing");
      return EmitAdjacency(r, cf == kOut, *vertices, begin, end, part.next, sink);
    case kAux:
      return EmitAux(r, sink);
    case kNumCf:
      break;
  }
  return Internal("EmitCf: bad column family");
}

}  // namespace citygraph::internal
