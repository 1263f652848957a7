#include "key_index.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <atomic>
#include <bit>

#include "codec.h"

namespace citygraph::internal {

uint64_t HashKey(KeyKindId kind, std::string_view value) {
  uint64_t h = std::hash<std::string_view>{}(value);
  h ^= (uint64_t{kind} + 1) * 0x9E3779B97F4A7C15ull;
  // Final avalanche (splitmix64 finaliser) so low bits are well mixed.
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBull;
  h ^= h >> 31;
  return h;
}

void KeyIndex::Build(size_t n, size_t num_keys, const KeysOf& keys_of) {
  const size_t cap = std::bit_ceil(std::max<size_t>(16, num_keys * 2));
  slots_.assign(cap, 0);
  mask_ = cap - 1;
  // The table is far larger than the caches: keys are hashed a batch at a
  // time and their home slots prefetched before any is claimed.
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 4096), [&](const auto& range) {
    constexpr size_t kBatch = 16;
    uint64_t want[kBatch], home[kBatch];
    size_t k = 0;
    auto place = [&] {
      for (size_t j = 0; j < k; ++j) {
        for (uint64_t i = home[j];; i = (i + 1) & mask_) {
          std::atomic_ref<uint64_t> cell(slots_[i]);
          uint64_t expected = 0;
          if (cell.compare_exchange_strong(expected, want[j], std::memory_order_relaxed)) break;
        }
      }
      k = 0;
    };
    for (size_t v = range.begin(); v != range.end(); ++v) {
      Reader r(keys_of(static_cast<VertexId>(v)));
      while (!r.done()) {
        KeyKindId kind = r.U16();
        std::string_view value = r.Bytes(r.U32());
        if (!r.ok()) break;
        const uint64_t h = HashKey(kind, value);
        want[k] = (h & 0xFFFFFFFF00000000ull) | (uint64_t{static_cast<uint32_t>(v)} + 1);
        home[k] = h & mask_;
        __builtin_prefetch(&slots_[home[k]], 1);
        if (++k == kBatch) place();
      }
    }
    place();
  });
}

VertexId KeyIndex::Find(KeyKindId kind, std::string_view value, const KeysOf& keys_of) const {
  if (slots_.empty()) return kNoVertex;
  const uint64_t h = HashKey(kind, value);
  const uint64_t tag = h & 0xFFFFFFFF00000000ull;
  for (uint64_t i = h & mask_;; i = (i + 1) & mask_) {
    const uint64_t slot = slots_[i];
    if (slot == 0) return kNoVertex;
    if ((slot & 0xFFFFFFFF00000000ull) == tag) {
      const VertexId v = static_cast<VertexId>((slot & 0xFFFFFFFFull) - 1);
      if (KeysContain(keys_of(v), kind, value)) return v;
    }
  }
}

bool KeyIndex::Indexes(size_t n, size_t num_keys, const KeysOf& keys_of) const {
  if (slots_.size() < 16 || slots_.size() < 2 * num_keys || mask_ != slots_.size() - 1) {
    return false;
  }
  struct Used {
    bool ok = true;
    size_t count = 0;
  };
  const Used used = tbb::parallel_reduce(
      tbb::blocked_range<size_t>(0, slots_.size(), 1 << 16), Used{},
      [&](const auto& r, Used u) {
        for (size_t i = r.begin(); u.ok && i != r.end(); ++i) {
          if (slots_[i] == 0) continue;
          u.ok = (slots_[i] & 0xFFFFFFFFull) - 1 < n;
          ++u.count;
        }
        return u;
      },
      [](Used x, Used y) {
        return Used{x.ok && y.ok, x.count + y.count};
      });
  if (!used.ok || used.count != num_keys) return false;
  // At least half the slots are empty, so every probe below ends. Keys are
  // hashed a batch at a time and their home slots prefetched: the table is
  // far larger than the caches.
  return tbb::parallel_reduce(
      tbb::blocked_range<size_t>(0, n, 4096), true,
      [&](const auto& range, bool ok) {
        constexpr size_t kBatch = 16;
        uint64_t want[kBatch], home[kBatch];
        size_t k = 0;
        auto probe = [&] {
          for (size_t j = 0; ok && j < k; ++j) {
            uint64_t i = home[j];
            while (slots_[i] != want[j] && slots_[i] != 0) i = (i + 1) & mask_;
            ok = slots_[i] == want[j];
          }
          k = 0;
        };
        for (size_t v = range.begin(); ok && v != range.end(); ++v) {
          Reader r(keys_of(static_cast<VertexId>(v)));
          while (ok && !r.done()) {
            const KeyKindId kind = r.U16();
            const std::string_view value = r.Bytes(r.U32());
            if (!r.ok()) return false;
            const uint64_t h = HashKey(kind, value);
            want[k] = (h & 0xFFFFFFFF00000000ull) | (uint64_t{static_cast<uint32_t>(v)} + 1);
            home[k] = h & mask_;
            __builtin_prefetch(&slots_[home[k]]);
            if (++k == kBatch) probe();
          }
        }
        probe();
        return ok;
      },
      std::logical_and<>());
}

}  // namespace citygraph::internal
