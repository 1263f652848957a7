#include "citygraph/huge_pages.h"

#include <sys/mman.h>
#include <tbb/parallel_for.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace citygraph {
namespace {
constexpr uintptr_t kHugePage = uintptr_t{1} << 21;
constexpr size_t kMinPopulate = size_t{8} << 20;

// Faults in the pages of [begin, end); `begin` is page-aligned.
void Populate(uintptr_t begin, uintptr_t end, uintptr_t page) {
#ifdef MADV_POPULATE_WRITE
  if (madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE) == 0) return;
#endif
  // Only pages wholly inside the caller's range are written (a neighbour's
  // data may share the others), and each gets its own value back.
  for (uintptr_t a = begin; a + page <= end; a += page) {
    volatile char* c = reinterpret_cast<volatile char*>(a);
    *c = *c;
  }
}
}  // namespace

void AdviseHugePages(const void* p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  const uintptr_t begin = reinterpret_cast<uintptr_t>(p);
  const uintptr_t first = (begin + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t last = (begin + bytes) & ~(kHugePage - 1);
  if (last > first) (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

void* AllocateHuge(size_t bytes) {
  const size_t size = (bytes + kHugePage - 1) & ~(kHugePage - 1);
  void* p = std::aligned_alloc(kHugePage, size == 0 ? kHugePage : size);
  if (p == nullptr) throw std::bad_alloc();
  AdviseHugePages(p, size);
  return p;
}

void PopulateParallel(void* p, size_t bytes) {
  if (bytes < kMinPopulate) return;
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  // Whole pages inside [p, p + bytes), cut into huge-page-sized pieces.
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(p) + page - 1) & ~(page - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(page - 1);
  if (end <= begin) return;
  const size_t pieces = (end - begin + kHugePage - 1) / kHugePage;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, pieces), [&](const auto& r) {
    const uintptr_t a = begin + r.begin() * kHugePage;
    const uintptr_t b = std::min<uintptr_t>(end, begin + r.end() * kHugePage);
    Populate(a, b, page);
  });
}

}  // namespace citygraph
