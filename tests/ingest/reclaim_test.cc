// DestroyLater (ingest/src/reclaim.h): objects handed over are destroyed,
// each once, on a thread other than the caller's.
#include "reclaim.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

namespace citygraph::ingest::internal {
namespace {

// Reports its destruction (not that of moved-from copies).
class Probe {
 public:
  Probe(std::atomic<int>* destroyed, std::promise<std::thread::id>* last)
      : destroyed_(destroyed), last_(last) {}
  Probe(Probe&& o) noexcept : destroyed_(o.destroyed_), last_(o.last_) {
    o.destroyed_ = nullptr;
    o.last_ = nullptr;
  }
  ~Probe() {
    if (destroyed_ == nullptr) return;
    ++*destroyed_;
    if (last_ != nullptr) last_->set_value(std::this_thread::get_id());
  }

 private:
  std::atomic<int>* destroyed_;
  std::promise<std::thread::id>* last_;
};

TEST(ReclaimTest, ObjectsAreDestroyedOnceOnAnotherThread) {
  std::atomic<int> destroyed{0};
  std::promise<std::thread::id> last;
  std::future<std::thread::id> done = last.get_future();
  constexpr int kObjects = 1000;
  for (int i = 0; i + 1 < kObjects; ++i) DestroyLater(Probe(&destroyed, nullptr));
  DestroyLater(Probe(&destroyed, &last));
  // Destroyed in the order given, so the last one's signal means all are.
  ASSERT_EQ(done.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  EXPECT_NE(done.get(), std::this_thread::get_id());
  EXPECT_EQ(destroyed.load(), kObjects);
}

TEST(ReclaimTest, OwnedMemoryIsHandedOver) {
  std::atomic<int> destroyed{0};
  std::promise<std::thread::id> last;
  std::future<std::thread::id> done = last.get_future();
  auto owner = std::make_unique<Probe>(&destroyed, &last);
  DestroyLater(std::move(owner));
  EXPECT_EQ(owner, nullptr);
  ASSERT_EQ(done.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  EXPECT_NE(done.get(), std::this_thread::get_id());
  EXPECT_EQ(destroyed.load(), 1);
}

}  // namespace
}  // namespace citygraph::ingest::internal
