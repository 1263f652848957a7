// Internal: transparent huge pages for the loader's large hash tables (the
// pending-key table, the person index's blocks), which are read at random
// row after row. With 4 KiB pages nearly every probe of a table of
// 100+ MiB also misses the TLB (a costly nested page walk on a virtual
// machine); 2 MiB pages cover it with a few hundred TLB entries.
//
// Only advice: without huge pages (THP disabled, memory fragmented) 4 KiB
// pages are used and nothing else changes. The advice (graph-core's
// citygraph/huge_pages.h) is given before the memory is first touched, so
// it takes effect at the first page fault.
#ifndef CITYGRAPH_INGEST_SRC_HUGE_PAGES_H_
#define CITYGRAPH_INGEST_SRC_HUGE_PAGES_H_

#include <cstddef>
#include <iterator>
#include <vector>

#include "citygraph/huge_pages.h"

namespace citygraph::ingest::internal {

// A vector of n copies of `value` whose buffer was advised before filling.
template <typename T>
std::vector<T> HugeVector(size_t n, const T& value) {
  std::vector<T> v;
  ReserveHuge(&v, n);
  v.assign(n, value);
  return v;
}

// Moves *v into a new buffer of capacity n (>= v->size()) advised before
// the elements are moved in.
template <typename T>
void GrowHuge(std::vector<T>* v, size_t n) {
  std::vector<T> fresh;
  ReserveHuge(&fresh, n);
  fresh.insert(fresh.end(), std::make_move_iterator(v->begin()), std::make_move_iterator(v->end()));
  v->swap(fresh);
}

}  // namespace citygraph::ingest::internal

#endif  // CITYGRAPH_INGEST_SRC_HUGE_PAGES_H_
