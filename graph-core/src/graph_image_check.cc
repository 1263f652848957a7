// VerifyContents: the invariants a BaseGraph read from an image must hold
// before anything indexes with its ids and offsets. Each check is one
// parallel pass; together they make the image exactly what Finish() would
// build from the same labels, edges, key lists and blobs (the CSRs up to a
// 64-bit fingerprint of their arcs). All reads are sequential but the key
// index probes (prefetched), which cost about half a rebuild of that index.
#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <functional>
#include <string>

#include "citygraph/schema.h"
#include "codec.h"
#include "graph_image_format.h"

namespace citygraph::internal::image {
namespace {

// Whether ok(i) holds for every i in [begin, end) (in parallel; stops early).
template <typename Pred>
bool AllOf(size_t begin, size_t end, size_t grain, const Pred& ok) {
  return tbb::parallel_reduce(
      tbb::blocked_range<size_t>(begin, end, grain), true,
      [&](const auto& r, bool all) {
        for (size_t i = r.begin(); all && i != r.end(); ++i) all = ok(i);
        return all;
      },
      std::logical_and<>());
}

// Offsets into a blob: count + 1 of them, from 0, never decreasing, ending
// at the blob's size.
template <typename Off>
bool OffsetsOk(const std::vector<Off>& off, size_t count, size_t blob) {
  if (off.size() != count + 1 || off.front() != 0 || off.back() != blob) return false;
  return AllOf(1, off.size(), 1 << 16, [&](size_t i) { return off[i - 1] <= off[i]; });
}

// Edge property lists decode, and name only properties their edge type has
// (`props` of them); observation lists: ObservationsOk (codec.h).
bool PropsOk(std::string_view list, size_t props) {
  Reader r(list);
  while (!r.done()) {
    const PropId prop = r.U16();
    if (prop >= props || !SkipValue(&r)) return false;
  }
  return r.ok();
}

// Number of keys in an encoded key list, or -1 if it does not decode or
// names a key kind past `kinds`.
int64_t CountKeys(std::string_view list, size_t kinds) {
  Reader r(list);
  int64_t count = 0;
  while (!r.done()) {
    const KeyKindId kind = r.U16();
    r.Bytes(r.U32());
    if (!r.ok() || kind >= kinds) return -1;
    ++count;
  }
  return count;
}

// A hash of one arc (src, dst, edge id); changing any one of the three
// always changes it (each step is a bijection). The sum of the hashes of a
// set of arcs is its fingerprint, the same in any order: fingerprints of
// different sets agree only by chance (about 2^-64).
uint64_t ArcHash(uint64_t src, uint64_t dst, uint64_t e) {
  const auto mix = [](uint64_t h) {
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBull;
    return h ^ (h >> 31);
  };
  return mix(((src << 32) | dst) ^ ((e + 1) * 0x9E3779B97F4A7C15ull));
}

struct Fingerprint {
  bool ok = true;
  uint64_t sum = 0;
  static Fingerprint Join(Fingerprint x, Fingerprint y) { return {x.ok && y.ok, x.sum + y.sum}; }
};

// The CSR of one direction must be exactly the counting sort of the edge
// table by that endpoint that Finish() builds: offsets from 0 to m, never
// decreasing; each vertex's entries in range and in strictly ascending edge
// id; and its arcs, read as (src, dst, edge), the edge table's arcs (equal
// fingerprints). Sequential reads only: no lookup of the edge table per
// entry, which at tens of millions of edges would cost a cache miss each.
bool CsrOk(const BaseGraph& b, bool out, uint64_t edge_arcs) {
  const std::vector<uint32_t>& off = out ? b.out_off : b.in_off;
  const std::vector<AdjEntry>& adj = out ? b.out_adj : b.in_adj;
  if (off.size() != b.n + 1 || off.front() != 0 || off.back() != b.m || adj.size() != b.m) {
    return false;
  }
  if (!AllOf(1, off.size(), 1 << 16, [&](size_t i) { return off[i - 1] <= off[i]; })) return false;
  const Fingerprint fp = tbb::parallel_reduce(
      tbb::blocked_range<size_t>(0, b.n, 1 << 12), Fingerprint{},
      [&](const auto& r, Fingerprint f) {
        for (size_t v = r.begin(); f.ok && v != r.end(); ++v) {
          for (uint32_t i = off[v]; i < off[v + 1]; ++i) {
            const AdjEntry a = adj[i];
            f.ok = f.ok && a.nbr < b.n && a.edge < b.m && (i == off[v] || adj[i - 1].edge < a.edge);
            f.sum += out ? ArcHash(v, a.nbr, a.edge) : ArcHash(a.nbr, v, a.edge);
          }
        }
        return f;
      },
      Fingerprint::Join);
  return fp.ok && fp.sum == edge_arcs;
}

}  // namespace

Status VerifyContents(const BaseGraph& b, const Schema& schema) {
  const size_t n = b.n, m = b.m;
  if (b.labels.size() != n || b.edges.size() != m) return Corruption("vertex or edge count");
  const size_t labels = schema.labels().size(), types = schema.edge_types().size();
  if (!AllOf(0, n, 1 << 16, [&](size_t v) { return b.labels[v] < labels; })) {
    return Corruption("vertex label unknown to the schema");
  }
  const Fingerprint edge_arcs = tbb::parallel_reduce(
      tbb::blocked_range<size_t>(0, m, 1 << 14), Fingerprint{},
      [&](const auto& r, Fingerprint f) {
        for (size_t e = r.begin(); f.ok && e != r.end(); ++e) {
          const EdgeRecord& rec = b.edges.Get(e);
          f.ok = rec.src < n && rec.dst < n && rec.type < types;
          f.sum += ArcHash(rec.src, rec.dst, e);
        }
        return f;
      },
      Fingerprint::Join);
  if (!edge_arcs.ok) return Corruption("edge endpoint or type out of range");
  if (!OffsetsOk(b.vprop_off, n, b.vprop_blob.size()) ||
      !OffsetsOk(b.key_off, n, b.key_blob.size()) ||
      !OffsetsOk(b.eprop_off, b.eprop_ids.size(), b.eprop_blob.size())) {
    return Corruption("blob offsets");
  }
  const std::vector<EdgeId>& ids = b.eprop_ids;
  if (!AllOf(0, ids.size(), 1 << 16,
             [&](size_t i) { return ids[i] < m && (i == 0 || ids[i - 1] < ids[i]); })) {
    return Corruption("edge property ids");
  }
  const auto& label_defs = schema.labels();
  const auto& type_defs = schema.edge_types();
  if (!AllOf(0, n, 1 << 12,
             [&](size_t v) {
               return ObservationsOk(b.vprops(VertexId(v)),
                                     label_defs[b.labels[v]].properties.size());
             }) ||
      !AllOf(0, ids.size(), 1 << 12, [&](size_t i) {
        return PropsOk(std::string_view(b.eprop_blob)
                           .substr(b.eprop_off[i], b.eprop_off[i + 1] - b.eprop_off[i]),
                       type_defs[b.edges.Get(ids[i]).type].properties.size());
      })) {
    return Corruption("property lists do not decode or name unknown properties");
  }
  const size_t kinds = schema.key_kinds().size();
  const int64_t keys = tbb::parallel_reduce(
      tbb::blocked_range<size_t>(0, n, 1 << 12), int64_t{0},
      [&](const auto& r, int64_t sum) {
        for (size_t v = r.begin(); sum >= 0 && v != r.end(); ++v) {
          const int64_t k = CountKeys(b.keys(static_cast<VertexId>(v)), kinds);
          sum = k < 0 ? -1 : sum + k;
        }
        return sum;
      },
      [](int64_t x, int64_t y) { return x < 0 || y < 0 ? -1 : x + y; });
  if (keys < 0 || static_cast<uint64_t>(keys) != b.num_keys) {
    return Corruption("key lists do not decode or disagree with the key count");
  }
  if (!CsrOk(b, /*out=*/true, edge_arcs.sum) || !CsrOk(b, /*out=*/false, edge_arcs.sum)) {
    return Corruption("CSR");
  }
  if (!b.key_index.Indexes(n, b.num_keys, [&b](VertexId v) { return b.keys(v); })) {
    return Corruption("key index");
  }
  return Status::OK();
}

}  // namespace citygraph::internal::image
