// Memory for large arrays.
//
// Transparent huge pages for arrays read at random: the base graph's edge
// table, CSR offsets and adjacency and labels; ingest's hash tables;
// traversal marks. With 4 KiB pages an array of hundreds of MiB misses the
// TLB on nearly every such read (a nested page walk on a virtual machine);
// 2 MiB pages cover it with a few hundred TLB entries. Only advice: where the
// kernel has no huge page to give (THP disabled, memory fragmented), 4 KiB
// pages are used and nothing else changes. Advice must precede the first
// touch of the memory to take effect at once.
//
// Parallel first touch (PopulateParallel) for large buffers that one thread
// is about to fill.
#ifndef CITYGRAPH_HUGE_PAGES_H_
#define CITYGRAPH_HUGE_PAGES_H_

#include <cstddef>
#include <vector>

namespace citygraph {

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

// Faults in the pages of [p, p + bytes) on all oneTBB threads at once
// (MADV_POPULATE_WRITE; where the kernel lacks it, a no-op write to each page
// wholly inside the range). Contents are unchanged. For large buffers that one
// thread is about to fill: a fresh page costs a fault and zeroing at first
// touch (on a virtual machine also the host's fault), 1-3 ms per MiB here, and
// paid by one thread that is the batch's critical path. Small ranges (under
// 8 MiB) are left alone.
void PopulateParallel(void* p, size_t bytes);

// v->reserve(n) with the new buffer faulted in by PopulateParallel. A no-op
// if v already holds n elements' capacity.
template <typename T>
void ReserveParallel(std::vector<T>* v, size_t n) {
  if (v->capacity() >= n) return;
  v->reserve(n);
  PopulateParallel(v->data(), v->capacity() * sizeof(T));
}

}  // namespace citygraph

#endif  // CITYGRAPH_HUGE_PAGES_H_
