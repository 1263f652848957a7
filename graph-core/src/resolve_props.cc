#include "resolve_props.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <tuple>

#include "citygraph/huge_pages.h"
#include "codec.h"

namespace citygraph::internal {

std::vector<uint32_t> PropOrder(const WriteBatch& batch, const std::vector<VertexId>& vs,
                                size_t n) {
  const auto& ops = batch.props();
  auto less = [&](uint32_t a, uint32_t b) {
    return std::tie(vs[a], ops[a].prop, ops[a].source.source, a) <
           std::tie(vs[b], ops[b].prop, ops[b].source.source, b);
  };
  std::vector<uint32_t> order;
  ReserveParallel(&order, vs.size());
  order.resize(vs.size());
  if (vs.size() < (1 << 16) || vs.size() * 2 < n) {
    std::iota(order.begin(), order.end(), 0);
    tbb::parallel_sort(order.begin(), order.end(), less);
    return order;
  }
  std::vector<uint32_t> start(n + 1, 0);
  for (VertexId v : vs) ++start[v + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  for (size_t i = 0; i < vs.size(); ++i) order[next[vs[i]]++] = static_cast<uint32_t>(i);
  next = {};
  // Each vertex's few ops, sorted in place: disjoint ranges, in parallel.
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1 << 14), [&](const auto& range) {
    for (size_t v = range.begin(); v != range.end(); ++v) {
      if (start[v + 1] - start[v] > 1) {
        std::sort(order.begin() + start[v], order.begin() + start[v + 1], less);
      }
    }
  });
  return order;
}

Status KeptProps(const WriteBatch& batch, const SnapshotImpl& snap, const std::vector<VertexId>& vs,
                 const std::vector<uint32_t>& order, std::vector<ResolvedProp>* out) {
  // Blocks of `order` in parallel: each marks the ops it keeps (its own
  // cache of a stored vertex's decoded observations), then the kept ones are
  // copied out in order.
  const auto& ops = batch.props();
  constexpr size_t kBlock = size_t{1} << 16;
  const size_t blocks = (order.size() + kBlock - 1) / kBlock;
  std::vector<uint8_t> keep(order.size());
  std::vector<size_t> kept(blocks + 1, 0);
  std::vector<Status> corrupt(blocks);
  tbb::parallel_for(size_t{0}, blocks, [&](size_t b) {
    VertexId decoded_v = kNoVertex;
    std::vector<PropertyObservation> existing;
    const size_t end = std::min(order.size(), (b + 1) * kBlock);
    for (size_t k = b * kBlock; k < end; ++k) {
      if (k + 16 < order.size()) {  // the op and its vertex, read at random
        __builtin_prefetch(&ops[order[k + 16]]);
        __builtin_prefetch(&vs[order[k + 16]]);
      }
      keep[k] = 0;
      const VertexId v = vs[order[k]];
      const auto& op = ops[order[k]];
      if (k + 1 < order.size()) {
        const uint32_t q = order[k + 1];
        if (vs[q] == v && ops[q].prop == op.prop && ops[q].source.source == op.source.source) {
          continue;
        }
      }
      if (v < snap.num_vertices()) {
        if (decoded_v != v) {
          existing.clear();
          if (!DecodeObservations(snap.vprops_blob(v), &existing)) {
            corrupt[b] = Corruption("stored properties of vertex " + std::to_string(v));
            return;
          }
          decoded_v = v;
        }
        bool same = false;
        for (const auto& o : existing) {
          if (o.prop == op.prop && o.source.source == op.source.source) {
            same = o.source.record == op.source.record && o.value == batch.value(op);
          }
        }
        if (same) continue;
      }
      keep[k] = 1;
      ++kept[b + 1];
    }
  });
  for (const Status& st : corrupt) CG_RETURN_IF_ERROR(st);
  std::partial_sum(kept.begin(), kept.end(), kept.begin());
  ReserveParallel(out, kept[blocks]);
  out->resize(kept[blocks]);
  tbb::parallel_for(size_t{0}, blocks, [&](size_t b) {
    size_t at = kept[b];
    const size_t end = std::min(order.size(), (b + 1) * kBlock);
    for (size_t k = b * kBlock; k < end; ++k) {
      if (k + 16 < order.size()) __builtin_prefetch(&vs[order[k + 16]]);
      if (keep[k]) (*out)[at++] = ResolvedProp{vs[order[k]], order[k]};
    }
  });
  return Status::OK();
}

}  // namespace citygraph::internal
