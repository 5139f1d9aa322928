// The backward engine under re-entrance, threads, large graphs and shared
// subexpressions: each pass keeps its own per-node table, so a pass started
// from inside another (a hook, a custom backward) or on another thread must
// not disturb it, and a node reached along many paths runs once with the sum.
// Expected values are derived by hand in the comments; the ones marked
// "torch" were also checked with /usr/bin/python3 + torch 1.13 (the same
// graph written in PyTorch).
#include <gtest/gtest.h>

#include <cmath>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/expect_error.h"
#include "kiln/kiln.h"

using namespace kiln;
using kiln::autograd::AutogradContext;

namespace {
Tensor vec(std::vector<double> v, bool grad = true) { return tensor(v, dtype(kFloat64).requires_grad(grad)); }
bool same(const Tensor& a, const Tensor& b, double tol = 1e-12) {
  return a.defined() && a.sizes() == b.sizes() && allclose(a, b, tol, tol);
}

// Failures seen on worker threads, reported by the test body after join (an
// exception escaping a std::thread would end the whole test program).
struct ThreadFailures {
  std::mutex mutex;
  int count = 0;
  std::string first;
  void add(const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex);
    if (count++ == 0) first = what;
  }
  // Runs `check` (returns "" when right), counting wrong results and errors.
  template <class F>
  void run(F&& check) {
    try {
      if (std::string m = check(); !m.empty()) add(m);
    } catch (const std::exception& e) {
      add(std::string("threw: ") + e.what());
    }
  }
};
std::string mismatch(const Tensor& got, const Tensor& want) {
  if (same(got, want)) return "";
  return "got " + (got.defined() ? got.toString() : std::string("undefined")) + " want " + want.toString();
}

// x^3 whose backward gets 3x^2 by running the engine on a graph of its own.
struct CubeByInnerGrad : autograd::Function<CubeByInnerGrad> {
  static Tensor forward(AutogradContext* ctx, Tensor x) {
    ctx->save_for_backward({x});
    return x * x * x;
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    EnableGradGuard enable;  // the outer pass runs without recording
    Tensor x = ctx->get_saved_variables()[0].detach().requires_grad_();
    Tensor d = autograd::grad({(x * x * x).sum()}, {x})[0];
    return {g[0] * d};
  }
};

// Identity whose backward also runs backward() on side * x (side is a leaf of
// another graph), so side.grad collects x every time.
struct IdentityWithSideBackward : autograd::Function<IdentityWithSideBackward> {
  static inline Tensor side;
  static Tensor forward(AutogradContext* ctx, Tensor x) {
    ctx->save_for_backward({x});
    return x.clone();
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    EnableGradGuard enable;
    (side * ctx->get_saved_variables()[0].detach()).sum().backward();
    return {g[0]};
  }
};

// Identity counting how often its backward runs.
struct CountingIdentity : autograd::Function<CountingIdentity> {
  static inline int calls = 0;
  static Tensor forward(AutogradContext*, Tensor x) { return x.clone(); }
  static variable_list backward(AutogradContext*, variable_list g) {
    ++calls;
    return {g[0]};
  }
};
}  // namespace

// (a) A hook on an intermediate runs grad() on another graph over the same leaf.
TEST(EngineReentrant, HookRunsGradOnAnotherGraphSharingTheLeaf) {
  Tensor x = vec({1, 2, 3});
  Tensor y = x * x;
  Tensor inner;
  int calls = 0;
  y.register_hook([&](const Tensor& g) {
    ++calls;
    EnableGradGuard enable;
    inner = autograd::grad({(x * 3).sum()}, {x})[0];
    return g * 2;
  });
  y.sum().backward();
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(same(inner, vec({3, 3, 3}, false)));
  EXPECT_TRUE(same(x.grad(), vec({4, 8, 12}, false)));  // 2 * 2x
}

// A leaf hook runs backward() on another graph into the same leaf; the inner
// pass fires the hook again (seen 5s), then the outer pass accumulates 2x.
// torch: x.grad = [7, 9, 11], hook saw [2, 4, 6] then [5, 5, 5].
TEST(EngineReentrant, LeafHookRunsBackwardIntoTheSameLeaf) {
  Tensor x = vec({1, 2, 3});
  std::vector<Tensor> seen;
  int depth = 0;
  x.register_hook([&](const Tensor& g) {
    seen.push_back(g.clone());
    if (depth > 0) return;
    ++depth;
    EnableGradGuard enable;
    (x * 5).sum().backward();
    --depth;
  });
  (x * x).sum().backward();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(same(seen[0], vec({2, 4, 6}, false)));
  EXPECT_TRUE(same(seen[1], vec({5, 5, 5}, false)));
  EXPECT_TRUE(same(x.grad(), vec({7, 9, 11}, false)));
}

// (b) Custom backward formulas that call grad() / backward() themselves.
TEST(EngineReentrant, CustomBackwardRunsGradOnItsOwnGraph) {
  Tensor x = vec({1, 2, 3});
  Tensor w = vec({1, 1, 2}, false);
  Tensor y = (CubeByInnerGrad::apply(x) * w).sum() + (x * x).sum();
  y.backward();
  EXPECT_TRUE(same(x.grad(), vec({3 + 2, 12 + 4, 54 + 6}, false)));  // 3x^2 w + 2x
  // And through grad(), twice in a row on a retained graph.
  Tensor z = CubeByInnerGrad::apply(x).sum();
  for (int i = 0; i < 2; ++i) EXPECT_TRUE(same(autograd::grad({z}, {x}, {}, true)[0], vec({3, 12, 27}, false)));
}

TEST(EngineReentrant, CustomBackwardRunsBackwardOnAnotherGraph) {
  IdentityWithSideBackward::side = vec({10, 20});
  Tensor x = vec({1, 2});
  Tensor y = IdentityWithSideBackward::apply(x * 3);
  (y * y).sum().backward();
  EXPECT_TRUE(same(x.grad(), vec({18, 36}, false)));  // d/dx (3x)^2 = 18x
  EXPECT_TRUE(same(IdentityWithSideBackward::side.grad(), vec({3, 6}, false)));  // the saved 3x
  IdentityWithSideBackward::side = Tensor();
}

// (c) Two threads, each 200 forward+backward passes over its own graph; the
// graphs share one leaf. grad() leaves the leaf's .grad untouched.
TEST(EngineReentrant, TwoThreadsShareALeaf) {
  const std::vector<double> w0{0.5, -1.0, 2.0};
  Tensor w = vec(w0);
  ThreadFailures failures;
  auto worker = [&](int k) {
    const std::vector<double> c{0.3 * k, -0.7, 1.1 * k};
    // d/dw [sum sin(w c) + k sum w^2] = c cos(w c) + 2 k w
    std::vector<double> want;
    for (size_t i = 0; i < 3; ++i) want.push_back(c[i] * std::cos(w0[i] * c[i]) + 2 * k * w0[i]);
    for (int it = 0; it < 200; ++it)
      failures.run([&] {
        Tensor y = (w * vec(c, false)).sin().sum() + (w * w).sum() * k;
        return mismatch(autograd::grad({y}, {w})[0], vec(want, false));
      });
  };
  std::thread a(worker, 1), b(worker, 2);
  a.join();
  b.join();
  EXPECT_EQ(failures.count, 0) << "first: " << failures.first;
  EXPECT_FALSE(w.grad().defined());
}

// Tiny graphs over one shared leaf, built and dropped on two threads at once:
// each graph owns the leaf's gradient accumulator only while it lives, so the
// accumulator is created again and again from both threads.
TEST(EngineReentrant, TwoThreadsRebuildASharedLeafsAccumulator) {
  Tensor w = vec({1.5, -2.0});
  ThreadFailures failures;
  auto worker = [&](double c) {
    for (int it = 0; it < 5000; ++it)
      failures.run([&] { return mismatch(autograd::grad({(w * c).sum()}, {w})[0], vec({c, c}, false)); });
  };
  std::thread a(worker, 2.0), b(worker, -3.0);
  a.join();
  b.join();
  EXPECT_EQ(failures.count, 0) << "first: " << failures.first;
  EXPECT_FALSE(w.grad().defined());
}

// (d) A graph of ~6,000 nodes with one input that the outputs never reach.
// h_0 = x, h_{k+1} = a h_k + b x: dh_n/dx = d_n with d_0 = 1, d_{k+1} = a d_k + b;
// dh_n/dh_m = a^(n-m).
TEST(EngineReentrant, LargeGraphWithUnreachableInput) {
  const int n = 2000, m = 1000;
  const double a = 0.999, b = 0.002;
  Tensor x = vec({0.5, -0.25});
  Tensor unused = vec({1.0});
  Tensor unused_intermediate = vec({2.0}) * 3;
  Tensor h = x, mid;
  for (int k = 0; k < n; ++k) {
    h = h * a + x * b;
    if (k + 1 == m) mid = h;
  }
  Tensor y = h.sum();
  kiln_test::expect_error([&] { autograd::grad({y}, {x, unused}, {}, true); }, {"One of the differentiated Tensors", "appears to not have been used", "Set allow_unused=True"});
  variable_list g = autograd::grad({y}, {unused, x, unused_intermediate, mid}, {}, true, false, true);
  double d = 1;
  for (int k = 0; k < n; ++k) d = a * d + b;
  ASSERT_EQ(g.size(), 4u);
  EXPECT_FALSE(g[0].defined());
  EXPECT_TRUE(same(g[1], vec({d, d}, false), 1e-10));
  EXPECT_FALSE(g[2].defined());
  EXPECT_TRUE(same(g[3], vec({std::pow(a, n - m), std::pow(a, n - m)}, false), 1e-10));
  EXPECT_FALSE(x.grad().defined());
  // The retained graph gives the same answer again, now through backward().
  y.backward();
  EXPECT_TRUE(same(x.grad(), vec({d, d}, false), 1e-10));
}

// (e) 1,000 shared subexpressions, each feeding two branches: each runs once
// and sees the sum of both. a_k = 1.001 s_k, s_{k+1} = 0.25 a_k + 0.75 a_k, so
// the gradient at a_k is 1.001^(999-k) and at x 1.001^1000.
TEST(EngineReentrant, DiamondChainDifferentiatesEachSharedNodeOnce) {
  const int n = 1000;
  Tensor x = vec({0.3, 0.7});
  int x_hook_calls = 0;
  x.register_hook([&](const Tensor&) { ++x_hook_calls; });
  std::vector<int> calls(n, 0);
  std::vector<double> seen(n, 0);
  CountingIdentity::calls = 0;
  Tensor s = x;
  for (int k = 0; k < n; ++k) {
    Tensor a = CountingIdentity::apply(s * 1.001);
    a.register_hook([&, k](const Tensor& g) {
      ++calls[k];
      seen[k] = g[0].item<double>();
    });
    s = a * 0.25 + a * 0.75;
  }
  s.sum().backward();
  EXPECT_EQ(CountingIdentity::calls, n);
  EXPECT_EQ(x_hook_calls, 1);
  int wrong_counts = 0, wrong_values = 0;
  for (int k = 0; k < n; ++k) {
    wrong_counts += calls[k] != 1;
    double want = std::pow(1.001, n - 1 - k);
    wrong_values += std::fabs(seen[k] - want) > 1e-12 * want;
  }
  EXPECT_EQ(wrong_counts, 0);
  EXPECT_EQ(wrong_values, 0);
  double want = std::pow(1.001, n);
  EXPECT_TRUE(same(x.grad(), vec({want, want}, false), 1e-10));
}

// (f) One root is an intermediate of another: y = sum x^2, z = y^2. The pass
// must wait for z's contribution before running y's node, and y's hook sees
// the total once. torch: backward([y, z]) -> x.grad [22, 44], hook saw 11;
// backward([z, y], [3, 2]) -> [64, 128], hook saw 32; grad([y, z], [y, x]) ->
// 11 and [22, 44]; backward([y, y]) -> [4, 8].
TEST(EngineReentrant, RootThatIsAlsoAnIntermediateOfAnotherRoot) {
  Tensor x = vec({1, 2});
  std::vector<double> y_seen;
  auto build = [&](Tensor& y, Tensor& z) {
    y = (x * x).sum();  // 5
    z = y * y;
    y.register_hook([&](const Tensor& g) { y_seen.push_back(g.item<double>()); });
  };
  Tensor y, z;
  build(y, z);
  autograd::backward({y, z});
  EXPECT_TRUE(same(x.grad(), vec({22, 44}, false)));  // 2x (1 + 2y)
  EXPECT_EQ(y_seen, std::vector<double>{11});

  x.mutable_grad() = Tensor();
  y_seen.clear();
  build(y, z);
  autograd::backward({z, y}, {tensor(3.0, kFloat64), tensor(2.0, kFloat64)});
  EXPECT_TRUE(same(x.grad(), vec({64, 128}, false)));  // 2x (2 + 3 * 2y)
  EXPECT_EQ(y_seen, std::vector<double>{32});

  build(y, z);
  variable_list g = autograd::grad({y, z}, {y, x});
  EXPECT_TRUE(same(g[0], tensor(11.0, kFloat64)));
  EXPECT_TRUE(same(g[1], vec({22, 44}, false)));

  x.mutable_grad() = Tensor();
  y = (x * x).sum();
  autograd::backward({y, y});
  EXPECT_TRUE(same(x.grad(), vec({4, 8}, false)));
}
