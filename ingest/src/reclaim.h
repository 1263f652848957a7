// Internal: destroys large structures on a background thread, so that the
// path that produced them (a bulk ingest: its write batch with millions of
// small strings, the person index, the loader's tables) does not wait for
// millions of small frees before it returns.
//
// Thread-safety: DestroyLater may be called from any thread. The background
// thread is started on first use and lives as long as the process; objects
// still queued when the process exits are not destroyed (exit reclaims their
// memory), so nothing handed over may own anything but memory: no files to
// flush, no held locks, no threads.
#ifndef CITYGRAPH_INGEST_SRC_RECLAIM_H_
#define CITYGRAPH_INGEST_SRC_RECLAIM_H_

#include <memory>
#include <type_traits>
#include <utility>

namespace citygraph::ingest::internal {

struct Garbage {
  virtual ~Garbage() = default;
};

// Queues `g` to be destroyed on the background thread. Never blocks on the
// destruction itself.
void DestroyLater(std::unique_ptr<Garbage> g);

// Moves `object` (an rvalue) into a box destroyed on the background thread.
template <typename T>
void DestroyLater(T&& object) {
  static_assert(!std::is_lvalue_reference_v<T>, "DestroyLater takes ownership: pass an rvalue");
  struct Box final : Garbage {
    explicit Box(T&& v) : value(std::move(v)) {}
    T value;
  };
  DestroyLater(std::unique_ptr<Garbage>(new Box(std::move(object))));
}

}  // namespace citygraph::ingest::internal

#endif  // CITYGRAPH_INGEST_SRC_RECLAIM_H_
