// Writers of the ground truth under OUT/truth/ (README "Truth files"),
// computed from the world, never from the files.
#ifndef CITYGRAPH_DATAGEN_SRC_TRUTH_H_
#define CITYGRAPH_DATAGEN_SRC_TRUTH_H_

#include <string>
#include <string_view>
#include <vector>

#include "table_writer.h"
#include "world.h"

namespace citygraph::datagen::internal {

bool WriteConflictsTruth(const World& w, WriteContext* ctx);
// Fails (ctx->error) if the evidence rule disagrees with where debtors live.
bool WriteLocateTruth(const World& w, WriteContext* ctx);
bool WritePathsTruth(const World& w, WriteContext* ctx);
bool WriteCountsTruth(const World& w, WriteContext* ctx);
bool WriteManifest(const World& w, uint64_t persons, WriteContext* ctx);
bool WriteHomonymsTruth(const World& w, WriteContext* ctx);

// Helpers for the truth writers.
std::string JsonQuote(std::string_view s);
bool WriteWholeFile(WriteContext* ctx, const std::string& rel_path, const std::string& text);

// Index of items grouped by a key 0..n-1 (compressed rows).
struct Grouped {
  std::vector<uint32_t> offsets;  // n + 1
  std::vector<uint32_t> items;
  template <typename KeyOf>
  Grouped(size_t n, size_t count, KeyOf key_of) : offsets(n + 1, 0), items(count) {
    for (size_t i = 0; i < count; ++i) {
      const int64_t k = key_of(i);
      if (k >= 0) ++offsets[k + 1];
    }
    for (size_t k = 0; k < n; ++k) offsets[k + 1] += offsets[k];
    std::vector<uint32_t> fill(offsets.begin(), offsets.end() - 1);
    for (size_t i = 0; i < count; ++i) {
      const int64_t k = key_of(i);
      if (k >= 0) items[fill[k]++] = static_cast<uint32_t>(i);
    }
    items.resize(offsets[n]);
  }
  template <typename F>
  void ForEach(uint32_t key, F f) const {
    for (uint32_t i = offsets[key]; i < offsets[key + 1]; ++i) f(items[i]);
  }
};

// The deciding residence report of each person: index into w.reports of the
// latest 出租登记 / 入户走访 about them dated <= AS_OF, or kNone.
std::vector<int32_t> DecidingReports(const World& w);

}  // namespace citygraph::datagen::internal

#endif  // CITYGRAPH_DATAGEN_SRC_TRUTH_H_
