// CowArray: a persistent (copy-on-write) paged array, the building block of
// the delta overlay.
//
// Copying a CowArray copies only its page table; pages are shared. A writer
// that wants to change element i of its own copy calls Mutable(i, version):
// the page is cloned unless this write (identified by `version`) already
// owns it. Published pages are never modified, so any number of readers may
// use older copies while the single writer builds the next one. Pages may be
// absent (sparse arrays): Find returns nullptr for them.
//
// Thread-safety: const methods are safe from many threads on a copy nobody
// mutates; Mutable/Resize only on the writer's private copy.
#ifndef CITYGRAPH_SRC_COW_ARRAY_H_
#define CITYGRAPH_SRC_COW_ARRAY_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

#include "citygraph/huge_pages.h"

namespace citygraph::internal {

template <typename T, int kBits>
class CowArray {
 public:
  static constexpr size_t kPageSize = size_t{1} << kBits;
  static constexpr size_t kMask = kPageSize - 1;

  size_t size() const { return size_; }

  // Grows or shrinks the logical size; new pages are absent until written.
  void Resize(size_t n) {
    pages_.resize((n + kMask) >> kBits);
    size_ = n;
  }

  // The element, or nullptr when its page was never written.
  const T* Find(size_t i) const {
    const Page* p = pages_[i >> kBits].get();
    return p == nullptr ? nullptr : &p->data[i & kMask];
  }
  // Precondition: the page of i exists (dense arrays).
  const T& Get(size_t i) const { return pages_[i >> kBits]->data[i & kMask]; }

  T& Mutable(size_t i, uint64_t version) {
    std::shared_ptr<Page>& p = pages_[i >> kBits];
    if (!p) {
      p = std::make_shared<Page>();
      p->version = version;
    } else if (p->version != version) {
      auto copy = std::make_shared<Page>(*p);
      copy->version = version;
      p = std::move(copy);
    }
    return p->data[i & kMask];
  }

  // Gives every page of [0, size()) storage at once, in one block advised
  // for huge pages (citygraph/huge_pages.h), owned by `version`: for a dense array
  // filled in bulk and then read at random (a base graph's edge table). The
  // pages share the block, which is freed with the last of them; a later
  // Mutable with another version clones its page alone, as usual.
  // Preconditions: no page exists yet; T is trivially destructible.
  void AllocateDense(uint64_t version) {
    static_assert(std::is_trivially_destructible_v<T>);
    const size_t count = pages_.size();
    if (count == 0) return;
    Page* block = static_cast<Page*>(AllocateHuge(count * sizeof(Page)));
    std::shared_ptr<Page> owner(block, [](Page* p) { std::free(p); });
    for (size_t i = 0; i < count; ++i) {
      Page* page = new (&block[i]) Page;
      page->version = version;
      pages_[i] = std::shared_ptr<Page>(owner, page);
    }
  }

  size_t num_pages() const { return pages_.size(); }
  bool has_page(size_t page) const { return pages_[page] != nullptr; }
  size_t page_bytes() const {
    size_t bytes = pages_.capacity() * sizeof(std::shared_ptr<Page>);
    for (const auto& p : pages_) bytes += p ? sizeof(Page) : 0;
    return bytes;
  }

 private:
  struct Page {
    uint64_t version = 0;
    T data[kPageSize] = {};
  };
  std::vector<std::shared_ptr<Page>> pages_;
  size_t size_ = 0;
};

}  // namespace citygraph::internal

#endif  // CITYGRAPH_SRC_COW_ARRAY_H_
