// Internal building blocks shared by the parallel kernels: a bitmap whose
// words may be set concurrently, a frontier array that many tasks append to
// through small private buffers, a per-node array on huge pages, and atomic
// min/add on plain arrays.
#ifndef CITYGRAPH_QUERY_SRC_ALGO_PARALLEL_UTIL_H_
#define CITYGRAPH_QUERY_SRC_ALGO_PARALLEL_UTIL_H_

#include <tbb/parallel_for.h>

#include <atomic>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "citygraph/algo/csr_graph.h"

namespace citygraph::algo::internal {

class Bitmap {
 public:
  explicit Bitmap(size_t n) : words_((n + 63) / 64, 0) {}
  void Clear() {
    tbb::parallel_for(tbb::blocked_range<size_t>(0, words_.size(), 4096), [&](const auto& r) {
      for (size_t i = r.begin(); i != r.end(); ++i) words_[i] = 0;
    });
  }
  bool Get(size_t i) const { return (words_[i >> 6] >> (i & 63)) & 1; }
  // Only safe when no other thread writes the same word.
  void SetPlain(size_t i) { words_[i >> 6] |= uint64_t{1} << (i & 63); }
  void SetAtomic(size_t i) {
    std::atomic_ref<uint64_t>(words_[i >> 6])
        .fetch_or(uint64_t{1} << (i & 63), std::memory_order_relaxed);
  }
  // ORs `bits` into word `w` atomically.
  void OrWordAtomic(size_t w, uint64_t bits) {
    std::atomic_ref<uint64_t>(words_[w]).fetch_or(bits, std::memory_order_relaxed);
  }
  void Swap(Bitmap& other) { words_.swap(other.words_); }
  size_t num_words() const { return words_.size(); }
  uint64_t word(size_t w) const { return words_[w]; }

 private:
  LargeVector<uint64_t> words_;  // huge pages: lists' bits are reached at random
};

// A fixed-capacity array that parallel tasks append to. Each task appends
// through a LocalBuffer, which reserves space with one atomic add per
// kBufferSize elements.
class Frontier {
 public:
  explicit Frontier(size_t capacity) : data_(capacity) {}
  size_t size() const { return size_.load(std::memory_order_relaxed); }
  bool empty() const { return size() == 0; }
  void Reset() { size_.store(0, std::memory_order_relaxed); }
  void PushSerial(Node v) { data_[size_.fetch_add(1, std::memory_order_relaxed)] = v; }
  Node operator[](size_t i) const { return data_[i]; }
  const Node* data() const { return data_.data(); }
  void Swap(Frontier& other) {
    data_.swap(other.data_);
    size_t a = size(), b = other.size();
    size_.store(b);
    other.size_.store(a);
  }

  class LocalBuffer {
   public:
    explicit LocalBuffer(Frontier* f) : f_(f) {}
    ~LocalBuffer() { Flush(); }
    void Push(Node v) {
      buf_[n_++] = v;
      if (n_ == kBufferSize) Flush();
    }
    void Flush() {
      if (n_ == 0) return;
      size_t at = f_->size_.fetch_add(n_, std::memory_order_relaxed);
      for (size_t i = 0; i < n_; ++i) f_->data_[at + i] = buf_[i];
      n_ = 0;
    }

   private:
    static constexpr size_t kBufferSize = 512;
    Frontier* f_;
    Node buf_[kBufferSize];
    size_t n_ = 0;
  };

 private:
  LargeVector<Node> data_;
  std::atomic<size_t> size_{0};
};

// A fixed-size array of per-node state that kernels read at random (one
// access per arc), on huge pages like CsrGraph's arrays (AllocateLarge), so
// those accesses stay within the TLB's reach. Contents start uninitialised
// for small arrays (zero for mapped ones); Fill sets them in parallel.
// Throws std::bad_alloc.
template <typename T>
class NodeArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  explicit NodeArray(size_t n) : n_(n), data_(static_cast<T*>(AllocateLarge(n * sizeof(T)))) {}
  ~NodeArray() { FreeLarge(data_, n_ * sizeof(T)); }
  NodeArray(const NodeArray&) = delete;
  NodeArray& operator=(const NodeArray&) = delete;

  size_t size() const { return n_; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  void Fill(const T& value) {
    tbb::parallel_for(tbb::blocked_range<size_t>(0, n_, 1 << 14), [&](const auto& r) {
      for (size_t i = r.begin(); i != r.end(); ++i) data_[i] = value;
    });
  }

 private:
  size_t n_;
  T* data_;
};

// Lowers x to `value` if smaller; true if this call lowered it.
template <typename T>
bool AtomicMin(T& x, T value) {
  std::atomic_ref<T> ref(x);
  T cur = ref.load(std::memory_order_relaxed);
  while (value < cur) {
    if (ref.compare_exchange_weak(cur, value, std::memory_order_relaxed)) return true;
  }
  return false;
}

template <typename T>
void AtomicAdd(T& x, T value) {
  std::atomic_ref<T>(x).fetch_add(value, std::memory_order_relaxed);
}

}  // namespace citygraph::algo::internal

#endif  // CITYGRAPH_QUERY_SRC_ALGO_PARALLEL_UTIL_H_
