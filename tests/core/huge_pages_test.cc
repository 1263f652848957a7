// Tests for citygraph/huge_pages.h: the memory helpers change no contents.
#include "citygraph/huge_pages.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <vector>

namespace citygraph {
namespace {

TEST(PopulateParallelTest, KeepsContentsInsideAndAroundTheRange) {
  // 24 MiB of a pattern; populate an unaligned 17 MiB range in the middle.
  std::vector<uint8_t> buf(24 << 20);
  for (size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<uint8_t>(i * 131 + 7);
  PopulateParallel(buf.data() + 4097, 17 << 20);
  PopulateParallel(buf.data() + 1, 100);  // small: nothing to do
  for (size_t i = 0; i < buf.size(); ++i) {
    ASSERT_EQ(buf[i], static_cast<uint8_t>(i * 131 + 7)) << "byte " << i;
  }
}

TEST(PopulateParallelTest, FaultsInFreshMemory) {
  // Memory no thread has touched yet (huge-page advised) is resident after
  // PopulateParallel, every page of it, and stays readable and writable.
  const size_t bytes = size_t{32} << 20;
  auto* p = static_cast<uint8_t*>(AllocateHuge(bytes));
  PopulateParallel(p, bytes);
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> resident(bytes / page);
  ASSERT_EQ(mincore(p, bytes, resident.data()), 0);
  for (size_t i = 0; i < resident.size(); ++i) ASSERT_TRUE(resident[i] & 1) << "page " << i;
  for (size_t i = 0; i < bytes; i += 4096) p[i] = static_cast<uint8_t>(i >> 12);
  for (size_t i = 0; i < bytes; i += 4096) ASSERT_EQ(p[i], static_cast<uint8_t>(i >> 12));
  std::free(p);
}

TEST(ReserveParallelTest, KeepsElementsAndReserves) {
  std::vector<uint64_t> v(1 << 20);
  std::iota(v.begin(), v.end(), 5);
  ReserveParallel(&v, 4 << 20);
  EXPECT_GE(v.capacity(), size_t{4} << 20);
  ASSERT_EQ(v.size(), size_t{1} << 20);
  for (size_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], i + 5);
  const uint64_t* data = v.data();
  ReserveParallel(&v, 2 << 20);  // already has the room: no reallocation
  EXPECT_EQ(v.data(), data);
}

}  // namespace
}  // namespace citygraph
