// The background thread behind DestroyLater.
#include "reclaim.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace citygraph::ingest::internal {
namespace {

class Reclaimer {
 public:
  Reclaimer() {
    std::thread([this] { Run(); }).detach();
  }

  void Push(std::unique_ptr<Garbage> g) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(std::move(g));
    }
    cv_.notify_one();
  }

 private:
  [[noreturn]] void Run() {
    for (;;) {
      std::unique_ptr<Garbage> g;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return !queue_.empty(); });
        g = std::move(queue_.front());
        queue_.pop_front();
      }
      g.reset();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Garbage>> queue_;
};

}  // namespace

void DestroyLater(std::unique_ptr<Garbage> g) {
  // Never destroyed: the detached thread may outlive every static destructor.
  static Reclaimer* const reclaimer = new Reclaimer();
  reclaimer->Push(std::move(g));
}

}  // namespace citygraph::ingest::internal
