#include "base_graph.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/parallel_scan.h>

#include <algorithm>
#include <atomic>
#include <cstring>

namespace citygraph::internal {
namespace {

// Exclusive prefix sum of `counts` into `offsets` (size counts.size() + 1).
template <typename Out, typename In>
void PrefixSum(const std::vector<In>& counts, std::vector<Out>* offsets) {
  offsets->assign(counts.size() + 1, 0);
  Out running = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    (*offsets)[i] = running;
    running += counts[i];
  }
  offsets->back() = running;
}

// Parallel counting sort of edges by one endpoint into a CSR; each
// adjacency ends up sorted by edge id, so the result is deterministic.
void BuildCsr(size_t n, size_t m, const EdgeTable& edges, bool out, std::vector<uint32_t>* off,
              std::vector<AdjEntry>* adj) {
  std::vector<uint32_t> degree(n, 0);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, m, 1 << 16), [&](const auto& r) {
    for (size_t e = r.begin(); e != r.end(); ++e) {
      const EdgeRecord& rec = edges.Get(e);
      std::atomic_ref<uint32_t>(degree[out ? rec.src : rec.dst])
          .fetch_add(1, std::memory_order_relaxed);
    }
  });
  PrefixSum(degree, off);
  std::vector<uint32_t>& cursor = degree;  // reuse as insertion cursors
  std::copy(off->begin(), off->end() - 1, cursor.begin());
  adj->resize(m);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, m, 1 << 16), [&](const auto& r) {
    for (size_t e = r.begin(); e != r.end(); ++e) {
      const EdgeRecord& rec = edges.Get(e);
      const VertexId key = out ? rec.src : rec.dst;
      const uint32_t pos =
          std::atomic_ref<uint32_t>(cursor[key]).fetch_add(1, std::memory_order_relaxed);
      (*adj)[pos] = AdjEntry{out ? rec.dst : rec.src, static_cast<EdgeId>(e)};
    }
  });
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1 << 12), [&](const auto& r) {
    for (size_t v = r.begin(); v != r.end(); ++v) {
      auto first = adj->begin() + (*off)[v], last = adj->begin() + (*off)[v + 1];
      if (last - first > 1) {
        std::sort(first, last,
                  [](const AdjEntry& a, const AdjEntry& b) { return a.edge < b.edge; });
      }
    }
  });
}

}  // namespace

void Concatenate(size_t count, const std::function<std::string_view(size_t)>& item,
                 std::vector<uint64_t>* offsets, std::string* blob) {
  std::vector<uint64_t> sizes(count);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, count, 1 << 12), [&](const auto& r) {
    for (size_t i = r.begin(); i != r.end(); ++i) sizes[i] = item(i).size();
  });
  PrefixSum(sizes, offsets);
  blob->resize(offsets->back());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, count, 1 << 12), [&](const auto& r) {
    for (size_t i = r.begin(); i != r.end(); ++i) {
      std::string_view s = item(i);
      if (!s.empty()) std::memcpy(blob->data() + (*offsets)[i], s.data(), s.size());
    }
  });
}

void BaseGraph::Finish() {
  tbb::parallel_invoke(
      [&] { BuildCsr(n, m, edges, true, &out_off, &out_adj); },
      [&] { BuildCsr(n, m, edges, false, &in_off, &in_adj); },
      [&] { key_index.Build(n, num_keys, [this](VertexId v) { return keys(v); }); });
}

std::string_view BaseGraph::eprops(EdgeId e) const {
  auto it = std::lower_bound(eprop_ids.begin(), eprop_ids.end(), e);
  if (it == eprop_ids.end() || *it != e) return {};
  const size_t i = it - eprop_ids.begin();
  return std::string_view(eprop_blob).substr(eprop_off[i], eprop_off[i + 1] - eprop_off[i]);
}

size_t BaseGraph::bytes() const {
  return labels.capacity() * sizeof(LabelId) +
         (out_off.capacity() + in_off.capacity()) * sizeof(uint32_t) +
         (out_adj.capacity() + in_adj.capacity()) * sizeof(AdjEntry) +
         (vprop_off.capacity() + key_off.capacity() + eprop_off.capacity()) * sizeof(uint64_t) +
         vprop_blob.capacity() + key_blob.capacity() + eprop_blob.capacity() +
         eprop_ids.capacity() * sizeof(EdgeId) + key_index.bytes();
}

}  // namespace citygraph::internal
