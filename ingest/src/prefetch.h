// Internal: cache hints for the ingest pipeline, whose stages read rows
// that another core wrote (every line of them a cache miss when read
// without a hint).
#ifndef CITYGRAPH_INGEST_SRC_PREFETCH_H_
#define CITYGRAPH_INGEST_SRC_PREFETCH_H_

#include <cstddef>

namespace citygraph::ingest::internal {

// Hints that every cache line of [p, p + bytes) will be read. Changes
// nothing; `p` may be null when `bytes` is 0.
inline void PrefetchLines(const void* p, size_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (size_t at = 0; at < bytes; at += 64) __builtin_prefetch(c + at);
  if (bytes > 0) __builtin_prefetch(c + bytes - 1);
}

}  // namespace citygraph::ingest::internal

#endif  // CITYGRAPH_INGEST_SRC_PREFETCH_H_
