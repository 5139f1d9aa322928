// Very long graphs: backward and teardown must not recurse once per node.
// Each body runs on a thread with a small stack, where recursion per node
// (about 200 bytes a level) would overflow long before the end.
#include <gtest/gtest.h>
#include <kiln/kiln.h>
#include <pthread.h>

#include <functional>

namespace {

void run_on_small_stack(const std::function<void()>& body) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 512 * 1024);
  pthread_t thread;
  auto trampoline = [](void* f) -> void* {
    (*static_cast<const std::function<void()>*>(f))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, trampoline, const_cast<std::function<void()>*>(&body)), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

}  // namespace

TEST(LongGraph, ChainOfManyNodesDifferentiatesAndFrees) {
  double grad = 0;
  bool alive_after_backward = false, freed = false;
  run_on_small_stack([&] {
    kiln::set_num_threads(1);
    auto w = kiln::ones({1}, kiln::dtype(kiln::kFloat64).requires_grad(true));
    std::weak_ptr<kiln::autograd::Node> first;
    {
      auto x = w * 1.0;
      first = x.grad_fn();
      for (int i = 0; i < 60000; ++i) x = x * 1.0 + 0.0;  // 120,000 nodes
      x.sum().backward(kiln::Tensor(), /*retain_graph=*/true);
      grad = w.grad().item<double>();
      alive_after_backward = !first.expired();
    }  // the whole chain dies here
    freed = first.expired();
  });
  EXPECT_DOUBLE_EQ(grad, 1.0);
  EXPECT_TRUE(alive_after_backward);
  EXPECT_TRUE(freed);
}

TEST(LongGraph, ChainThroughSavedTensorsFrees) {
  bool freed = false;
  run_on_small_stack([&] {
    // x * x saves x, so the chain also runs through saved tensors' histories.
    auto w = kiln::full({1}, 1.0, kiln::dtype(kiln::kFloat64).requires_grad(true));
    std::weak_ptr<kiln::autograd::Node> first;
    {
      auto x = w * w;
      first = x.grad_fn();
      for (int i = 0; i < 60000; ++i) x = x * x;
    }
    freed = first.expired();
  });
  EXPECT_TRUE(freed);
}
