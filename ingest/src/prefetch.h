// Internal: cache hints for the ingest pipeline, whose stages read rows
// that another core wrote (every line of them a cache miss when read
// without a hint).
#ifndef CITYGRAPH_INGEST_SRC_PREFETCH_H_
#define CITYGRAPH_INGEST_SRC_PREFETCH_H_

#include <cstddef>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace citygraph::ingest::internal {

// Whether this processor has PREFETCHW (x86: CPUID 0x80000001 ECX bit 8).
// Compilers emit it only when built for such processors, and a baseline
// x86-64 build may run on one without it, where the opcode is undefined.
inline bool HasPrefetchW() {
#if defined(__x86_64__) || defined(__i386__)
  static const bool has = [] {
    unsigned a = 0, b = 0, c = 0, d = 0;
    return __get_cpuid(0x80000001, &a, &b, &c, &d) != 0 && (c & (1u << 8)) != 0;
  }();
  return has;
#else
  return false;
#endif
}

// A hint that the line holding `p` will be written: PREFETCHW where the
// processor has it, else a read prefetch.
inline void PrefetchForWrite(const void* p) {
#if defined(__x86_64__) || defined(__i386__)
  if (HasPrefetchW()) {
    asm volatile("prefetchw %0" : : "m"(*static_cast<const char*>(p)));
    return;
  }
#endif
  __builtin_prefetch(p, 1);
}

// Hints that every cache line of [p, p + bytes) will be read (kRead) or
// written (kWrite: the line is fetched for ownership, so a store to a line
// another core holds does not wait for that core to drop it). Changes
// nothing; `p` may be null when `bytes` is 0.
enum class Intent { kRead, kWrite };
inline void PrefetchLines(const void* p, size_t bytes, Intent intent = Intent::kRead) {
  const char* c = static_cast<const char*>(p);
  if (bytes == 0) return;
  if (intent == Intent::kWrite) {
    for (size_t at = 0; at < bytes; at += 64) PrefetchForWrite(c + at);
    PrefetchForWrite(c + bytes - 1);
  } else {
    for (size_t at = 0; at < bytes; at += 64) __builtin_prefetch(c + at);
    __builtin_prefetch(c + bytes - 1);
  }
}

}  // namespace citygraph::ingest::internal

#endif  // CITYGRAPH_INGEST_SRC_PREFETCH_H_
