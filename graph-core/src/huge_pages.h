// Transparent huge pages for the large arrays that traversals read at random
// (the edge table, CSR offsets and adjacency, labels). With 4 KiB pages a
// graph of millions of edges misses the TLB on nearly every such read; with
// 2 MiB pages the whole table is covered by a few hundred TLB entries.
//
// Only advice: where the kernel has no huge page to give (THP disabled,
// memory fragmented), 4 KiB pages are used and nothing else changes. Advice
// must precede the first touch of the memory to take effect at once.
#ifndef CITYGRAPH_SRC_HUGE_PAGES_H_
#define CITYGRAPH_SRC_HUGE_PAGES_H_

#include <cstddef>
#include <vector>

namespace citygraph::internal {

// Advises huge pages for the whole 2 MiB pages inside [p, p + bytes).
void AdviseHugePages(const void* p, size_t bytes);

// `bytes` of uninitialised memory aligned to 2 MiB and advised for huge
// pages; release with std::free. Throws std::bad_alloc.
void* AllocateHuge(size_t bytes);

// v->reserve(n) with the new buffer advised for huge pages (before resize or
// assign touches it). A no-op if v already holds n elements' capacity.
template <typename T>
void ReserveHuge(std::vector<T>* v, size_t n) {
  if (v->capacity() >= n) return;
  v->reserve(n);
  AdviseHugePages(v->data(), v->capacity() * sizeof(T));
}

}  // namespace citygraph::internal

#endif  // CITYGRAPH_SRC_HUGE_PAGES_H_
