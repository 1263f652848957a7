#include "store_emit.h"

#include <tbb/parallel_sort.h>

#include <algorithm>
#include <numeric>

#include "codec.h"

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

std::vector<uint32_t> Order(size_t n) {
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  return order;
}

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

Status EmitKeys(const Resolved& r, KvSink* sink) {
  auto order = Order(r.keys.size());
  const auto& keys = r.keys;
  tbb::parallel_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return std::tie(keys[a].kind, *keys[a].value) < std::tie(keys[b].kind, *keys[b].value);
  });
  std::string k, v;
  for (uint32_t i : order) {
    k.assign(1, 'k');
    PutU16(&k, keys[i].kind);
    k.append(*keys[i].value);
    v.clear();
    PutU32(&v, keys[i].v);
    CG_RETURN_IF_ERROR(sink->Put(kKey, k, v));
  }
  tbb::parallel_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return std::tie(keys[a].v, keys[a].kind, *keys[a].value) <
           std::tie(keys[b].v, keys[b].kind, *keys[b].value);
  });
  for (uint32_t i : order) {
    k.assign(1, 'r');
    PutU32(&k, keys[i].v);
    PutU16(&k, keys[i].kind);
    k.append(*keys[i].value);
    CG_RETURN_IF_ERROR(sink->Put(kKey, k, ""));
  }
  return Status::OK();
}

void EncodeFixed(const EdgeRecord& e, std::string* out) { EncodeEdge(e, {}, out); }

Status EmitEdges(const Resolved& r, KvSink* sink) {
  std::string k, v;
  for (const auto& u : r.updates) {  // ids below first_edge, ascending
    k.clear();
    PutU32(&k, u.edge);
    v.clear();
    EncodeFixed(u.record, &v);
    v.append(u.props_enc);
    CG_RETURN_IF_ERROR(sink->Put(kEdge, k, v));
  }
  for (size_t i = 0; i < r.new_edges.size(); ++i) {
    k.clear();
    PutU32(&k, static_cast<uint32_t>(r.first_edge + i));
    v.clear();
    EncodeEdge(r.new_edges[i], *r.new_edge_props[i], &v);
    CG_RETURN_IF_ERROR(sink->Put(kEdge, k, v));
  }
  return Status::OK();
}

// Sort key of an out or in entry, materialised so sorting stays cache-friendly.
struct AdjSortKey {
  uint64_t k1, k2;
  uint32_t k3, index;
  bool operator<(const AdjSortKey& o) const {
    return std::tie(k1, k2, k3) < std::tie(o.k1, o.k2, o.k3);
  }
};

Status EmitAdjacency(const Resolved& r, bool out, KvSink* sink) {
  const auto& e = r.new_edges;
  std::vector<AdjSortKey> keys(e.size());
  for (size_t i = 0; i < e.size(); ++i) {
    const EdgeRecord& rec = e[i];
    const uint32_t from = static_cast<uint32_t>(rec.valid_from.days) ^ 0x80000000u;
    keys[i] = out ? AdjSortKey{uint64_t{rec.src} << 16 | rec.type, uint64_t{rec.dst} << 32 | from,
                               rec.source.source, static_cast<uint32_t>(i)}
                  : AdjSortKey{uint64_t{rec.dst} << 16 | rec.type,
                               uint64_t{rec.src} << 32 | static_cast<uint32_t>(i), 0,
                               static_cast<uint32_t>(i)};
  }
  tbb::parallel_sort(keys.begin(), keys.end());
  std::string k, v;
  for (const AdjSortKey& key : keys) {
    const EdgeRecord& rec = e[key.index];
    const uint32_t eid = static_cast<uint32_t>(r.first_edge + key.index);
    k.clear();
    v.clear();
    if (out) {
      PutU32(&k, rec.src);
      PutU16(&k, rec.type);
      PutU32(&k, rec.dst);
      PutDate(&k, rec.valid_from);
      PutU32(&k, rec.source.source);
      PutU32(&v, eid);
      CG_RETURN_IF_ERROR(sink->Put(kOut, k, v));
    } else {
      PutU32(&k, rec.dst);
      PutU16(&k, rec.type);
      PutU32(&k, rec.src);
      PutU32(&k, eid);
      CG_RETURN_IF_ERROR(sink->Put(kIn, k, v));
    }
  }
  return Status::OK();
}

Status EmitAux(const Resolved& r, KvSink* sink) {
  std::vector<std::pair<std::string, const std::string*>> kvs;
  for (const auto& op : *r.aux) {
    std::string k;
    PutU16(&k, static_cast<uint16_t>(op.ns.size()));
    k.append(op.ns);
    k.append(op.key);
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

Status EmitCf(Cf cf, const Resolved& r, KvSink* sink) {
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
      for (const auto& p : r.props) {  // sorted by (v, prop, source) by Resolve
        k.clear();
        v.clear();
        PutU32(&k, p.v);
        PutU16(&k, p.prop);
        PutU32(&k, p.source.source);
        PutU32(&v, p.source.record);
        PutU32(&v, p.source.batch);
        EncodeValue(*p.value, &v);
        CG_RETURN_IF_ERROR(sink->Put(kVprop, k, v));
      }
      return Status::OK();
    case kKey:
      return EmitKeys(r, sink);
    case kEdge:
      return EmitEdges(r, sink);
    case kOut:
      return EmitAdjacency(r, true, sink);
    case kIn:
      return EmitAdjacency(r, false, sink);
    case kAux:
      return EmitAux(r, sink);
    case kNumCf:
      break;
  }
  return Internal("EmitCf: bad column family");
}

}  // namespace citygraph::internal
