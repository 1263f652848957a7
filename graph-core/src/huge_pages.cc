#include "citygraph/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <new>

namespace citygraph {
namespace {
constexpr uintptr_t kHugePage = uintptr_t{1} << 21;
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

}  // namespace citygraph
