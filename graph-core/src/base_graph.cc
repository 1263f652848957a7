#include "base_graph.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "citygraph/huge_pages.h"

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

// Parallel counting sort of edges by one endpoint into a CSR. The edge ids
// are cut into contiguous chunks; each chunk counts its own degrees, a
// prefix sum over (vertex, chunk) gives each chunk its own slots, and each
// chunk then places its edges in id order. No atomics, and every adjacency
// comes out sorted by edge id, so the result is deterministic.
void BuildCsr(size_t n, size_t m, const EdgeTable& edges, bool out, std::vector<uint32_t>* off,
              std::vector<AdjEntry>* adj) {
  const size_t chunks =
      std::clamp<size_t>(m / (1 << 16), 1, 2 * tbb::this_task_arena::max_concurrency());
  const size_t per = (m + chunks - 1) / chunks;
  std::vector<std::vector<uint32_t>> counts(chunks);
  tbb::parallel_for(size_t{0}, chunks, [&](size_t c) {
    counts[c].assign(n, 0);
    const size_t end = std::min(m, (c + 1) * per);
    for (size_t e = c * per; e < end; ++e) {
      const EdgeRecord& rec = edges.Get(e);
      ++counts[c][out ? rec.src : rec.dst];
    }
  });
  ReserveHuge(off, n + 1);
  off->assign(n + 1, 0);
  uint32_t running = 0;
  for (size_t v = 0; v < n; ++v) {
    (*off)[v] = running;
    for (size_t c = 0; c < chunks; ++c) {
      const uint32_t k = counts[c][v];
      counts[c][v] = running;  // becomes chunk c's cursor for v
      running += k;
    }
  }
  (*off)[n] = running;
  ReserveHuge(adj, m);
  adj->resize(m);
  tbb::parallel_for(size_t{0}, chunks, [&](size_t c) {
    const size_t end = std::min(m, (c + 1) * per);
    for (size_t e = c * per; e < end; ++e) {
      const EdgeRecord& rec = edges.Get(e);
      const VertexId key = out ? rec.src : rec.dst;
      (*adj)[counts[c][key]++] = AdjEntry{out ? rec.dst : rec.src, static_cast<EdgeId>(e)};
    }
  });
}

// Sets blob's size to `bytes` for the caller to overwrite. The buffer is
// faulted in on all threads first: resize zero-fills it from one thread,
// and fresh pages are dear (huge_pages.h).
void SizeBlob(size_t bytes, std::string* blob) {
  blob->clear();
  blob->reserve(bytes);
  PopulateParallel(blob->data(), bytes);
  blob->resize(bytes);
}

}  // namespace

void Concatenate(size_t count, const std::function<std::string_view(size_t)>& item,
                 std::vector<uint64_t>* offsets, std::string* blob) {
  std::vector<uint64_t> sizes(count);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, count, 1 << 12), [&](const auto& r) {
    for (size_t i = r.begin(); i != r.end(); ++i) sizes[i] = item(i).size();
  });
  PrefixSum(sizes, offsets);
  SizeBlob(offsets->back(), blob);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, count, 1 << 12), [&](const auto& r) {
    for (size_t i = r.begin(); i != r.end(); ++i) {
      std::string_view s = item(i);
      if (!s.empty()) std::memcpy(blob->data() + (*offsets)[i], s.data(), s.size());
    }
  });
}

void ConcatenateBuilt(size_t count, const BlobRangeBuilder& build, std::vector<uint64_t>* offsets,
                      std::string* blob) {
  constexpr size_t kRange = 1 << 14;
  const size_t ranges = (count + kRange - 1) / kRange;
  std::vector<uint64_t> sizes(count);
  tbb::parallel_for(size_t{0}, ranges, [&](size_t p) {
    const size_t begin = p * kRange, end = std::min(count, begin + kRange);
    build(begin, end, sizes.data() + begin, nullptr);
  });
  PrefixSum(sizes, offsets);
  SizeBlob(offsets->back(), blob);
  tbb::enumerable_thread_specific<std::string> buffers;
  tbb::parallel_for(size_t{0}, ranges, [&](size_t p) {
    const size_t begin = p * kRange, end = std::min(count, begin + kRange);
    std::string& part = buffers.local();
    part.clear();
    build(begin, end, sizes.data() + begin, &part);  // sizes: no longer needed
    const uint64_t at = (*offsets)[begin];
    if (part.size() != (*offsets)[end] - at) {  // a builder broke its contract
      std::fprintf(stderr, "ConcatenateBuilt: items %zu-%zu built to %zu bytes, sized %llu\n",
                   begin, end, part.size(), static_cast<unsigned long long>((*offsets)[end] - at));
      std::abort();
    }
    std::memcpy(blob->data() + at, part.data(), part.size());
  });
}

void BaseGraph::Finish() {
  tbb::parallel_invoke(
      [&] { BuildCsr(n, m, edges, true, &out_off, &out_adj); },
      [&] { BuildCsr(n, m, edges, false, &in_off, &in_adj); },
      [&] { key_index.Build(n, num_keys, [this](VertexId v) { return keys(v); }); },
      [&] { IndexLabels(); });
}

void BaseGraph::IndexLabels() {
  LabelId top = 0;
  for (LabelId l : labels) top = std::max(top, l);
  label_off.assign(labels.empty() ? 1 : size_t{top} + 2, 0);
  for (LabelId l : labels) ++label_off[size_t{l} + 1];
  for (size_t l = 1; l < label_off.size(); ++l) label_off[l] += label_off[l - 1];
  by_label.resize(labels.size());
  std::vector<uint32_t> next(label_off.begin(), label_off.end() - 1);
  for (VertexId v = 0; v < labels.size(); ++v) by_label[next[labels[v]]++] = v;
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
         eprop_ids.capacity() * sizeof(EdgeId) + key_index.bytes() +
         label_off.capacity() * sizeof(uint32_t) + by_label.capacity() * sizeof(VertexId);
}

}  // namespace citygraph::internal
