// Norms and cdist: values against torch, errors, gradients (finite, not NaN,
// at zero), gradchecks and forward mode.
#include <kiln/autograd.h>
#include <kiln/forward_ad.h>

#include <limits>

#include "linalg/oracle.h"

namespace {
using namespace linalg_test;
using kiln::Tensor;
namespace L = kiln::linalg;
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(Norm, ValuesMatchTorch) {
  SKIP_WITHOUT_TORCH();
  auto e = torch_eval(R"PY(
L = torch.linalg
x = mk(2, 3, 4)
for o in [2, 1, float('inf'), float('-inf'), 0, 3, 0.5]:
    out.append(L.vector_norm(x, o))
    out.append(L.vector_norm(x, o, dim=(0, 2), keepdim=True))
    out.append(L.vector_norm(x, o, dim=-1))
A = mk(2, 3, 4, seed=1)
for o in ['fro', 1, -1, float('inf'), float('-inf')]:
    out.append(L.matrix_norm(A, o))
    out.append(L.matrix_norm(A, o, dim=(0, 2), keepdim=True))
out.append(L.norm(x))
out.append(L.norm(x, dim=(1, 2)))
out.append(L.norm(mk(3, 4), 1))
out.append(L.norm(mk(4), float('inf')))
out.append(L.norm(mk(3, 4), 'fro'))
out.append(torch.norm(x))
out.append(torch.norm(x, 1))
out.append(torch.norm(x, 3, dim=[1], keepdim=True))
out.append(torch.ones(4, 9).norm())
out.append(L.vector_norm(x.float(), dtype=torch.float64))
)PY");
  Tensor x = mk({2, 3, 4});
  size_t i = 0;
  for (double o : {2.0, 1.0, kInf, -kInf, 0.0, 3.0, 0.5}) {
    expect_close(L::vector_norm(x, o), e[i++], 1e-12, "all dims");
    expect_close(L::vector_norm(x, o, std::vector<int64_t>{0, 2}, true), e[i++], 1e-12, "dims 0,2 keepdim");
    expect_close(L::vector_norm(x, o, std::vector<int64_t>{-1}), e[i++], 1e-12, "dim -1");
  }
  Tensor A = mk({2, 3, 4}, 1);
  expect_close(L::matrix_norm(A, "fro"), e[i++]);
  expect_close(L::matrix_norm(A, "fro", {0, 2}, true), e[i++]);
  for (double o : {1.0, -1.0, kInf, -kInf}) {
    expect_close(L::matrix_norm(A, o), e[i++]);
    expect_close(L::matrix_norm(A, o, {0, 2}, true), e[i++]);
  }
  expect_close(L::norm(x), e[i++]);
  expect_close(L::norm(x, std::nullopt, std::vector<int64_t>{1, 2}), e[i++]);
  expect_close(L::norm(mk({3, 4}), 1), e[i++]);
  expect_close(L::norm(mk({4}), kInf), e[i++]);
  expect_close(L::norm(mk({3, 4}), "fro"), e[i++]);
  expect_close(kiln::norm(x), e[i++]);
  expect_close(x.norm(1), e[i++]);
  expect_close(x.norm(3, {1}, true), e[i++]);
  expect_close(kiln::ones({4, 9}).norm(), e[i++], 1e-7);  // the seed: Frobenius norm 6
  Tensor d = L::vector_norm(x.to(kiln::kFloat32), 2, std::nullopt, false, kiln::kFloat64);
  EXPECT_EQ(d.dtype(), kiln::kFloat64);
  expect_close(d, e[i++], 1e-7);
}

TEST(Norm, Errors) {
  expect_error([] { L::vector_norm(kiln::ones({3}, kiln::kInt64)); },
               {"linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long"});
  expect_error([] { L::vector_norm(kiln::ones({3}), 2, std::nullopt, false, kiln::kInt64); },
               {"linalg.vector_norm: dtype should be floating point", "Long"});
  expect_error([] { L::vector_norm(kiln::ones({3, 4}), 2, std::vector<int64_t>{0, 0}); },
               {"dim 0 appears multiple times"});
  expect_error([] { L::vector_norm(kiln::ones({0}), kInf); }, {"linalg.vector_norm", "empty"});
  expect_error([] { L::matrix_norm(kiln::ones({3})); }, {"linalg.matrix_norm: The input tensor A must have at least 2 dimensions."});
  expect_error([] { L::matrix_norm(kiln::ones({3, 3}), 3); }, {"linalg.matrix_norm: Order 3 not supported"});
  expect_error([] { L::matrix_norm(kiln::ones({3, 3}), "abc"); }, {"linalg.matrix_norm: Order abc not supported"});
  expect_error([] { L::norm(kiln::ones({3, 3, 3}), 2); },
               {"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got 3D."});
  expect_error([] { L::norm(kiln::ones({3}), "fro"); }, {"linalg.matrix_norm", "at least 2 dimensions"});
  expect_error([] { kiln::norm(kiln::ones({3}, kiln::kInt64)); },
               {"norm(): input dtype should be either floating point or complex. Got Long instead."});
}

using Fn = std::function<Tensor(const kiln::variable_list&)>;
void gradcheck(const Fn& f, const kiln::variable_list& inputs, bool second_order = true) {
  EXPECT_TRUE(kiln::autograd::gradcheck(f, inputs, 1e-6, 1e-7, 1e-5));
  if (second_order) EXPECT_TRUE(kiln::autograd::gradgradcheck(f, inputs, 1e-6, 1e-6, 1e-4));
}

TEST(NormGrad, Gradcheck) {
  Tensor x = leaf(mk({2, 3, 4}, 0.2));
  for (double o : {2.0, 1.0, 3.0, 0.5, 1.5})
    gradcheck([o](auto& v) { return L::vector_norm(v[0], o, std::vector<int64_t>{0, 2}); }, {x}, o != 1.0);
  gradcheck([](auto& v) { return L::vector_norm(v[0], kInf, std::vector<int64_t>{-1}, true); }, {x}, false);
  gradcheck([](auto& v) { return L::vector_norm(v[0], -kInf); }, {x}, false);
  gradcheck([](auto& v) { return L::matrix_norm(v[0]); }, {x});
  for (double o : {1.0, -1.0, kInf, -kInf})
    gradcheck([o](auto& v) { return L::matrix_norm(v[0], o); }, {x}, false);
  gradcheck([](auto& v) { return L::norm(v[0]); }, {x});
  gradcheck([](auto& v) { return kiln::norm(v[0], 3); }, {x});
  gradcheck([](auto& v) { return v[0].norm(2, {1}, true); }, {x});
}

TEST(NormGrad, ZeroInputGivesZeroGradient) {
  for (double o : {2.0, 1.0, 3.0, 0.5, kInf, 0.0}) {
    Tensor z = kiln::zeros({3}, kiln::dtype(kiln::kFloat64).requires_grad(true));
    Tensor n = L::vector_norm(z, o);
    auto g = kiln::autograd::grad({n}, {z}, {}, true, true);
    EXPECT_FALSE(kiln::isnan(g[0]).any().item<bool>()) << "ord " << o;
    expect_close(g[0], kiln::zeros({3}, kiln::kFloat64));
    // Second order stays finite as well.
    if (g[0].requires_grad()) {
      auto gg = kiln::autograd::grad({g[0].sum()}, {z}, {}, true, false, true);
      if (gg[0].defined()) EXPECT_FALSE(kiln::isnan(gg[0]).any().item<bool>()) << "ord " << o;
    }
  }
  // A zero row among non-zero ones.
  Tensor x = kiln::tensor({{0.0, 0.0}, {3.0, 4.0}}, kiln::dtype(kiln::kFloat64).requires_grad(true));
  L::vector_norm(x, 2, std::vector<int64_t>{1}).sum().backward();
  expect_close(x.grad(), kiln::tensor({{0.0, 0.0}, {0.6, 0.8}}, kiln::kFloat64));
}

TEST(NormGrad, ForwardMode) {
  namespace fa = kiln::autograd::forward_ad;
  Tensor x = mk({3, 4}, 0.2), t = mk({3, 4}, 1.3);
  double h = 1e-6;
  fa::dual_level level;
  for (double o : {2.0, 1.0, 3.0, kInf}) {
    Tensor r = L::vector_norm(fa::make_dual(x, t), o, std::vector<int64_t>{1});
    Tensor fd = (L::vector_norm(x + t * h, o, std::vector<int64_t>{1}) - L::vector_norm(x - t * h, o, std::vector<int64_t>{1})) / (2 * h);
    expect_close(std::get<1>(fa::unpack_dual(r)), fd, 1e-6);
  }
}

// ---- cdist
TEST(Cdist, ValuesMatchTorch) {
  SKIP_WITHOUT_TORCH();
  auto e = torch_eval(R"PY(
a, b = mk(5, 3), mk(4, 3, seed=1)
for p in [2, 1, float('inf'), 0, 3]:
    out.append(torch.cdist(a, b, p))
out.append(torch.cdist(mk(2, 1, 5, 3), mk(3, 4, 3, seed=1)))
out.append(torch.cdist(mk(2, 30, 3), mk(2, 40, 3, seed=1), compute_mode='donot_use_mm_for_euclid_dist'))
)PY");
  Tensor a = mk({5, 3}), b = mk({4, 3}, 1);
  size_t i = 0;
  for (double p : {2.0, 1.0, kInf, 0.0, 3.0}) expect_close(kiln::cdist(a, b, p), e[i++]);
  expect_close(kiln::cdist(mk({2, 1, 5, 3}), mk({3, 4, 3}, 1)), e[i++]);
  expect_close(kiln::cdist(mk({2, 30, 3}), mk({2, 40, 3}, 1)), e[i++]);
  Tensor f = kiln::cdist(a.to(kiln::kFloat32), b.to(kiln::kFloat32));
  EXPECT_EQ(f.dtype(), kiln::kFloat32);
  expect_close(f, e[0], 1e-5);
}

TEST(Cdist, Errors) {
  expect_error([] { kiln::cdist(kiln::ones({3}), kiln::ones({4, 3})); },
               {"cdist only supports at least 2D tensors, X1 got: 1D"});
  expect_error([] { kiln::cdist(kiln::ones({2, 3}), kiln::ones({4, 4})); },
               {"X1 and X2 must have the same number of columns. X1: 3 X2: 4"});
  expect_error([] { kiln::cdist(kiln::ones({2, 3}, kiln::kInt64), kiln::ones({4, 3}, kiln::kInt64)); },
               {"cdist only supports floating-point dtypes, X1 got: Long"});
  expect_error([] { kiln::cdist(kiln::ones({2, 3}), kiln::ones({4, 3}, kiln::kFloat64)); },
               {"expected scalar type Float but found Double"});
  expect_error([] { kiln::cdist(kiln::ones({2, 3}), kiln::ones({4, 3}), -1); },
               {"cdist only supports non-negative p values"});
  expect_error([] { kiln::cdist(kiln::ones({2, 2, 3}), kiln::ones({3, 4, 3})); }, {"cdist", "broadcast"});
}

TEST(CdistGrad, Gradcheck) {
  Tensor a = leaf(mk({4, 3})), b = leaf(mk({5, 3}, 1));
  for (double p : {2.0, 1.0, 3.0, kInf})
    gradcheck([p](auto& v) { return kiln::cdist(v[0], v[1], p); }, {a, b}, p == 2.0 || p == 3.0);
  gradcheck([](auto& v) { return kiln::cdist(v[0], v[1]); }, {leaf(mk({2, 1, 3, 2})), leaf(mk({3, 4, 2}, 1))});
}

TEST(CdistGrad, ZeroDistanceHasFiniteGradient) {
  // x1 == x2 row for row: the diagonal distances are 0. PyTorch gives those
  // pairs a zero gradient; the off-diagonal pairs still contribute.
  for (double p : {2.0, 1.0, 3.0, kInf}) {
    Tensor x = leaf(mk({3, 2}));
    Tensor y = x.detach().clone();
    kiln::cdist(x, y, p).sum().backward();
    EXPECT_FALSE(kiln::isnan(x.grad()).any().item<bool>()) << "p " << p;
    Tensor single = leaf(mk({1, 2}));
    kiln::cdist(single, single.detach(), p).sum().backward();
    expect_close(single.grad(), kiln::zeros({1, 2}, kiln::kFloat64));
  }
}

TEST(CdistGrad, ForwardMode) {
  namespace fa = kiln::autograd::forward_ad;
  Tensor a = mk({4, 3}), b = mk({5, 3}, 1), ta = mk({4, 3}, 2), tb = mk({5, 3}, 3);
  double h = 1e-6;
  fa::dual_level level;
  Tensor r = kiln::cdist(fa::make_dual(a, ta), fa::make_dual(b, tb));
  Tensor fd = (kiln::cdist(a + ta * h, b + tb * h) - kiln::cdist(a - ta * h, b - tb * h)) / (2 * h);
  expect_close(std::get<1>(fa::unpack_dual(r)), fd, 1e-6);
}

}  // namespace
