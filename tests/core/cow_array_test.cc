// CowArray (graph-core/src/cow_array.h): pages allocated densely in one
// huge-page block behave like pages made one by one.
#include "cow_array.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace citygraph::internal {
namespace {

using Array = CowArray<uint64_t, 4>;  // 16 elements per page

TEST(CowArrayTest, DensePagesAreWrittenInPlaceByTheirVersion) {
  Array a;
  a.Resize(100);  // 7 pages, the last one partly used
  a.AllocateDense(/*version=*/1);
  for (size_t p = 0; p < a.num_pages(); ++p) EXPECT_TRUE(a.has_page(p));
  for (size_t i = 0; i < 100; ++i) EXPECT_EQ(a.Get(i), 0u);  // pages start zeroed
  uint64_t* first = &a.Mutable(0, 1);
  for (size_t i = 0; i < 100; ++i) a.Mutable(i, 1) = i * 3;
  EXPECT_EQ(&a.Mutable(0, 1), first);  // same version: no copy
  for (size_t i = 0; i < 100; ++i) EXPECT_EQ(a.Get(i), i * 3);
  // Pages are consecutive in one block.
  EXPECT_EQ(reinterpret_cast<uintptr_t>(&a.Get(16)) - reinterpret_cast<uintptr_t>(&a.Get(0)),
            reinterpret_cast<uintptr_t>(&a.Get(32)) - reinterpret_cast<uintptr_t>(&a.Get(16)));
}

TEST(CowArrayTest, ALaterVersionClonesOneDensePageAndLeavesTheOldCopy) {
  Array old_copy;
  {
    Array a;
    a.Resize(64);
    a.AllocateDense(1);
    for (size_t i = 0; i < 64; ++i) a.Mutable(i, 1) = i;
    old_copy = a;
    a.Mutable(20, 2) = 999;  // page 1 cloned for version 2
    EXPECT_EQ(a.Get(20), 999u);
    EXPECT_EQ(a.Get(21), 21u);               // the clone kept the rest of its page
    EXPECT_EQ(&a.Get(0), &old_copy.Get(0));  // untouched pages still shared
    EXPECT_NE(&a.Get(20), &old_copy.Get(20));
  }
  // The block outlives the array that made it while a copy holds its pages.
  EXPECT_EQ(old_copy.Get(20), 20u);
  for (size_t i = 0; i < 64; ++i) EXPECT_EQ(old_copy.Get(i), i);
}

TEST(CowArrayTest, DenseAllocationOfAnEmptyArrayIsANoOp) {
  Array a;
  a.AllocateDense(1);
  EXPECT_EQ(a.num_pages(), 0u);
}

}  // namespace
}  // namespace citygraph::internal
