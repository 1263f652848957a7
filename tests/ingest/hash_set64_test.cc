// Tests for ingest/src/hash_set64.h: Insert reports first insertions only
// (0 included), through growth and after Reset, which empties the set
// whether it sizes it larger or smaller than before.
#include "hash_set64.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace citygraph::ingest::internal {
namespace {

uint64_t Key(uint64_t i) { return i * 0x9E3779B97F4A7C15ull + 1; }

TEST(HashSet64Test, InsertIsTrueOnlyTheFirstTimeThroughGrowth) {
  HashSet64 set;
  for (uint64_t i = 0; i < 5000; ++i) ASSERT_TRUE(set.Insert(Key(i))) << i;
  for (uint64_t i = 0; i < 5000; ++i) ASSERT_FALSE(set.Insert(Key(i))) << i;
  EXPECT_TRUE(set.Insert(0));
  EXPECT_FALSE(set.Insert(0));
}

TEST(HashSet64Test, ResetEmptiesTheSetWhateverSizeItAsksFor) {
  HashSet64 set;
  for (uint64_t i = 0; i < 3000; ++i) set.Insert(Key(i));
  set.Insert(0);
  for (size_t expected : {size_t{100000}, size_t{10}, size_t{0}}) {
    set.Reset(expected);
    EXPECT_TRUE(set.Insert(0)) << "after Reset(" << expected << ")";
    // More than `expected`: the set grows past its size hint.
    for (uint64_t i = 0; i < 3000; ++i) {
      set.Prefetch(Key(i + 8));  // a hint only
      ASSERT_TRUE(set.Insert(Key(i))) << i << " after Reset(" << expected << ")";
    }
    for (uint64_t i = 0; i < 3000; ++i) ASSERT_FALSE(set.Insert(Key(i))) << i;
  }
}

}  // namespace
}  // namespace citygraph::ingest::internal
