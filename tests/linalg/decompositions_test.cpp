// kiln::linalg factorisations and solves: values against torch (batched and
// broadcast), every error case, and float64 gradchecks of every op.
#include <kiln/autograd.h>
#include <kiln/forward_ad.h>

#include "linalg/oracle.h"

namespace {
using namespace linalg_test;
using kiln::Tensor;
namespace L = kiln::linalg;

TEST(Linalg, FactorisationsMatchTorch) {
  SKIP_WITHOUT_TORCH();
  auto e = torch_eval(R"PY(
L = torch.linalg
out.append(L.cholesky(spd(4, 4)))
out.append(L.cholesky(spd(2, 3, 3, seed=1), upper=True))
out.append(L.solve(spd(3, 3), mk(3, 2, seed=2)))
out.append(L.solve(spd(2, 3, 3), mk(3, seed=2)))
out.append(L.solve(spd(2, 3, 3), mk(4, 1, 3, 2, seed=2)))
out.append(L.solve(spd(3, 3) + mk(3, 3), mk(2, 3, seed=2), left=False))
out.append(L.inv(spd(2, 4, 4) + mk(2, 4, 4)))
out.append(L.det(mk(2, 3, 3, seed=0.3)))
s, l = L.slogdet(mk(2, 3, 3, seed=0.3)); out.append(s); out.append(l)
out.append(L.solve_triangular(spd(3, 3).triu(), mk(3, 2, seed=1), upper=True))
out.append(L.solve_triangular(spd(2, 3, 3).tril(), mk(2, 2, 3, seed=1), upper=False, left=False))
out.append(L.solve_triangular(spd(3, 3).tril(), mk(3, 2, seed=1), upper=False, unitriangular=True))
out.append(torch.cholesky_solve(mk(2, 3, 2, seed=1), L.cholesky(spd(3, 3))))
out.append(torch.cholesky_solve(mk(3, 2, seed=1), L.cholesky(spd(3, 3), upper=True), upper=True))
out.append(L.eigvalsh(spd(2, 4, 4) + mk(2, 4, 4)))
out.append(L.eigvalsh(spd(2, 4, 4) + mk(2, 4, 4), UPLO='U'))
out.append(torch.inverse(spd(3, 3)))
out.append(L.det(torch.tensor([[1., 2.], [2., 4.]])))
)PY");
  int i = 0;
  expect_close(L::cholesky(spd({4, 4})), e[i++]);
  expect_close(L::cholesky(spd({2, 3, 3}, 1), true), e[i++]);
  expect_close(L::solve(spd({3, 3}), mk({3, 2}, 2)), e[i++]);
  expect_close(L::solve(spd({2, 3, 3}), mk({3}, 2)), e[i++]);
  expect_close(L::solve(spd({2, 3, 3}), mk({4, 1, 3, 2}, 2)), e[i++]);
  expect_close(L::solve(spd({3, 3}) + mk({3, 3}), mk({2, 3}, 2), false), e[i++]);
  expect_close(L::inv(spd({2, 4, 4}) + mk({2, 4, 4})), e[i++]);
  expect_close(L::det(mk({2, 3, 3}, 0.3)), e[i++]);
  auto [s, l] = L::slogdet(mk({2, 3, 3}, 0.3));
  expect_close(s, e[i++]);
  expect_close(l, e[i++]);
  Tensor upper_mask = kiln::arange(3).unsqueeze(0) >= kiln::arange(3).unsqueeze(1);
  Tensor lower_mask = kiln::arange(3).unsqueeze(0) <= kiln::arange(3).unsqueeze(1);
  expect_close(L::solve_triangular(kiln::where(upper_mask, spd({3, 3}), 0.0), mk({3, 2}, 1), true), e[i++]);
  expect_close(L::solve_triangular(kiln::where(lower_mask, spd({2, 3, 3}), 0.0), mk({2, 2, 3}, 1), false, false),
               e[i++]);
  expect_close(L::solve_triangular(kiln::where(lower_mask, spd({3, 3}), 0.0), mk({3, 2}, 1), false, true, true), e[i++]);
  expect_close(kiln::cholesky_solve(mk({2, 3, 2}, 1), L::cholesky(spd({3, 3}))), e[i++]);
  expect_close(kiln::cholesky_solve(mk({3, 2}, 1), L::cholesky(spd({3, 3}), true), true), e[i++]);
  expect_close(L::eigvalsh(spd({2, 4, 4}) + mk({2, 4, 4})), e[i++]);
  expect_close(L::eigvalsh(spd({2, 4, 4}) + mk({2, 4, 4}), "U"), e[i++]);
  expect_close(kiln::inverse(spd({3, 3})), e[i++]);
  expect_close(L::det(kiln::tensor({{1.0, 2.0}, {2.0, 4.0}}, kiln::kFloat64)), e[i++]);  // singular: exactly 0
  // float32 goes through the single-precision routines.
  Tensor c32 = L::cholesky(spd({4, 4}, 0, kiln::kFloat32));
  EXPECT_EQ(c32.dtype(), kiln::kFloat32);
  expect_close(c32, e[0], 1e-5);
  expect_close(spd({3, 3}, 0, kiln::kFloat32).inverse(), e[17], 1e-5);
  expect_close(spd({4, 4}).cholesky(), e[0]);
}

TEST(Linalg, EighReconstructs) {
  Tensor A = spd({2, 4, 4}) + mk({2, 4, 4});
  A = A + A.mT();
  for (const char* uplo : {"L", "U"}) {
    auto [w, V] = L::eigh(A, uplo);
    expect_close(V.matmul(w.unsqueeze(-1) * V.mT()), A, 1e-12);
    expect_close(V.mT().matmul(V), kiln::eye(4, kiln::kFloat64).expand({2, 4, 4}), 1e-12);
    EXPECT_TRUE((w.slice(-1, 1) >= w.slice(-1, 0, 3)).all().item<bool>());  // ascending
  }
  auto [w1, V1] = L::eigh(A);  // default UPLO = "L"
  expect_close(w1, L::eigvalsh(A));
}

TEST(Linalg, SlogdetNegativeAndSingular) {
  auto [s, l] = L::slogdet(-kiln::eye(3, kiln::kFloat64));
  EXPECT_EQ(s.item<double>(), -1.0);
  EXPECT_EQ(l.item<double>(), 0.0);
  auto [s0, l0] = L::slogdet(kiln::ones({2, 2}, kiln::kFloat64));
  EXPECT_EQ(s0.item<double>(), 0.0);
  EXPECT_TRUE(std::isinf(l0.item<double>()) && l0.item<double>() < 0);
  EXPECT_EQ(L::det(kiln::zeros({0, 0})).item<float>(), 1.0f);
  EXPECT_EQ(L::cholesky(kiln::zeros({0, 0})).sizes().vec(), (std::vector<int64_t>{0, 0}));
}

TEST(Linalg, Errors) {
  Tensor npd = kiln::tensor({{1.0, 2.0}, {2.0, 1.0}});
  expect_error([&] { L::cholesky(npd); }, {"linalg.cholesky", "not positive-definite",
                                          "the leading minor of order 2 is not positive-definite"});
  expect_error([&] { L::cholesky(kiln::tensor({{{1.0, 0.0}, {0.0, 1.0}}, {{1.0, 2.0}, {2.0, 1.0}}})); },
               {"linalg.cholesky: (Batch element 1)", "leading minor of order 2"});
  expect_error([&] { L::cholesky(kiln::ones({2, 3})); },
               {"linalg.cholesky: A must be batches of square matrices, but they are 2 by 3 matrices"});
  expect_error([&] { L::cholesky(kiln::ones({3})); }, {"linalg.cholesky", "at least 2 dimensions"});
  expect_error([&] { L::cholesky(kiln::ones({2, 2}, kiln::kInt64)); },
               {"linalg.cholesky", "Expected a floating point", "Long"});
  expect_error([&] { L::solve(kiln::ones({2, 2}), kiln::ones({2})); }, {"linalg.solve", "singular"});
  expect_error([&] { L::solve(kiln::tensor({{{1.0, 0.0}, {0.0, 1.0}}, {{1.0, 1.0}, {1.0, 1.0}}}), kiln::ones({2, 2})); },
               {"linalg.solve: (Batch element 1)", "singular"});
  expect_error([&] { L::solve(kiln::eye(3), kiln::ones({4, 2})); },
               {"linalg.solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 4x2)"});
  expect_error([&] { L::solve(kiln::eye(3), kiln::ones({3, 2}, kiln::kFloat64)); },
               {"linalg.solve: Expected A and B to have the same dtype", "Float", "Double"});
  expect_error([&] { L::solve(kiln::eye(3).expand({2, 3, 3}), kiln::ones({3, 3, 2})); }, {"linalg.solve", "broadcast"});
  expect_error([&] { L::inv(kiln::ones({2, 2})); }, {"linalg.inv", "The diagonal element 2 is zero", "singular"});
  expect_error([&] { kiln::inverse(kiln::zeros({3, 3})); }, {"linalg.inv", "singular"});
  expect_error([&] { L::det(kiln::ones({2, 3})); }, {"linalg.det: A must be batches of square matrices"});
  expect_error([&] { L::slogdet(kiln::ones({2, 3})); }, {"linalg.slogdet", "square"});
  expect_error([&] { L::solve_triangular(kiln::eye(3), kiln::ones({3}), true); },
               {"linalg.solve_triangular", "B must have at least 2 dimensions"});
  expect_error([&] { L::solve_triangular(kiln::eye(3), kiln::ones({2, 1}), true); },
               {"linalg.solve_triangular: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x1)"});
  expect_error([&] { L::solve_triangular(kiln::eye(3), kiln::ones({3, 2}), true, false); },
               {"linalg.solve_triangular", "XA = B (3x3 and 3x2)"});
  expect_error([&] { L::solve_triangular(kiln::zeros({3, 3}), kiln::ones({3, 1}), true); },
               {"linalg.solve_triangular", "diagonal element 1 is zero"});
  expect_error([&] { L::eigh(kiln::ones({2, 3})); }, {"linalg.eigh", "square"});
  expect_error([&] { L::eigh(kiln::eye(3), "X"); }, {"Expected UPLO argument to be 'L' or 'U', but got X"});
  expect_error([&] { kiln::cholesky_solve(kiln::ones({3}), kiln::eye(3)); }, {"cholesky_solve", "at least 2 dimensions"});
  expect_error([&] { kiln::cholesky_solve(kiln::ones({4, 2}), kiln::eye(3)); },
               {"cholesky_solve", "each A matrix is 3 by 3 but each b matrix is 4 by 2"});
  expect_error([&] { kiln::cholesky_solve(kiln::ones({3, 2}, kiln::kFloat64), kiln::eye(3)); },
               {"cholesky_solve", "same dtype"});
}

// ---- derivatives
using Fn = std::function<Tensor(const kiln::variable_list&)>;
void gradcheck(const Fn& f, const kiln::variable_list& inputs, bool second_order = true) {
  EXPECT_TRUE(kiln::autograd::gradcheck(f, inputs, 1e-6, 1e-7, 1e-5));
  if (second_order) EXPECT_TRUE(kiln::autograd::gradgradcheck(f, inputs, 1e-6, 1e-6, 1e-4));
}

// Symmetric positive-definite from an unconstrained X, so every perturbation stays valid.
Tensor spd_of(const Tensor& X) {
  return X.matmul(X.mT()) + kiln::eye(X.size(-1), kiln::kFloat64) * double(X.size(-1));
}

TEST(LinalgGrad, Cholesky) {
  gradcheck([](auto& x) { return L::cholesky(spd_of(x[0])); }, {leaf(mk({3, 3}))});
  gradcheck([](auto& x) { return L::cholesky(spd_of(x[0]), true); }, {leaf(mk({2, 3, 3}, 1))});
}

TEST(LinalgGrad, Solves) {
  Tensor A = leaf(spd({3, 3}) + mk({3, 3}, 4)), B = leaf(mk({3, 2}, 1));
  gradcheck([](auto& x) { return L::solve(x[0], x[1]); }, {A, B});
  gradcheck([](auto& x) { return L::solve(x[0], x[1]); }, {leaf(spd({2, 3, 3})), leaf(mk({3}, 1))});
  gradcheck([](auto& x) { return L::solve(x[0], x[1]); }, {leaf(spd({2, 3, 3})), leaf(mk({4, 1, 3, 2}, 1))}, false);
  gradcheck([](auto& x) { return L::solve(x[0], x[1], false); }, {A, leaf(mk({2, 3}, 1))});
  gradcheck([](auto& x) { return L::inv(x[0]); }, {A});
  gradcheck([](auto& x) { return kiln::inverse(x[0]); }, {leaf(spd({2, 3, 3}))});
  gradcheck([](auto& x) { return kiln::cholesky_solve(x[0], L::cholesky(spd_of(x[1]))); },
            {leaf(mk({3, 2}, 1)), leaf(mk({3, 3}))});
  gradcheck([](auto& x) { return kiln::cholesky_solve(x[0], L::cholesky(spd_of(x[1]), true), true); },
            {leaf(mk({2, 3, 2}, 1)), leaf(mk({3, 3}))});
  // Raw factor input: only its triangle is read, so only it gets a gradient.
  Tensor Lf = L::cholesky(spd({3, 3})).detach().requires_grad_(true);
  gradcheck([](auto& x) { return kiln::cholesky_solve(x[0], x[1]); }, {leaf(mk({3, 2}, 1)), Lf});
}

TEST(LinalgGrad, SolveTriangular) {
  Tensor A = leaf(spd({3, 3}) + mk({3, 3}, 4)), B = leaf(mk({3, 2}, 1)), Bt = leaf(mk({2, 3}, 1));
  for (bool upper : {true, false})
    for (bool unit : {false, true}) {
      gradcheck([=](auto& x) { return L::solve_triangular(x[0], x[1], upper, true, unit); }, {A, B});
      gradcheck([=](auto& x) { return L::solve_triangular(x[0], x[1], upper, false, unit); }, {A, Bt});
    }
  gradcheck([](auto& x) { return L::solve_triangular(x[0], x[1], false); }, {leaf(spd({2, 3, 3})), B}, false);
}

TEST(LinalgGrad, Determinants) {
  Tensor A = leaf(mk({2, 3, 3}, 0.3));
  gradcheck([](auto& x) { return L::det(x[0]); }, {A});
  gradcheck([](auto& x) { return kiln::det(x[0]); }, {leaf(spd({3, 3}))});
  gradcheck([](auto& x) { return std::get<1>(L::slogdet(x[0])); }, {A});
  Tensor S = leaf(kiln::ones({2, 2}, kiln::kFloat64));
  expect_error([&] { L::det(S).backward(); }, {"linalg.det", "singular"});
}

TEST(LinalgGrad, Eigh) {
  auto sym = [](const Tensor& X) { return X + X.mT(); };
  gradcheck([=](auto& x) { return L::eigvalsh(sym(x[0])); }, {leaf(mk({2, 4, 4}))});
  // Eigenvectors are defined up to sign: check sign-invariant functions of them.
  gradcheck([=](auto& x) { return std::get<1>(L::eigh(sym(x[0]))).square(); }, {leaf(mk({3, 3}, 0.4))});
  gradcheck([=](auto& x) {
    auto [w, V] = L::eigh(sym(x[0]), "U");
    return V.matmul(kiln::sin(w).unsqueeze(-1) * V.mT());
  }, {leaf(mk({2, 3, 3}, 0.8))});
  // Repeated eigenvalues: eigenvalue gradients stay finite.
  Tensor I = leaf(kiln::eye(3, kiln::kFloat64));
  L::eigvalsh(I).sum().backward();
  expect_close(I.grad(), kiln::eye(3, kiln::kFloat64));
}

TEST(LinalgGrad, ForwardMode) {
  namespace fa = kiln::autograd::forward_ad;
  Tensor A = spd({3, 3}) + mk({3, 3}, 4), tA = mk({3, 3}, 7), B = mk({3, 2}, 1), tB = mk({3, 2}, 2);
  double h = 1e-6;
  auto jvp_fd = [&](auto f) { return (f(A + tA * h, B + tB * h) - f(A - tA * h, B - tB * h)) / (2 * h); };
  fa::dual_level level;
  Tensor Ad = fa::make_dual(A, tA), Bd = fa::make_dual(B, tB);
  auto tangent = [](const Tensor& t) { return std::get<1>(fa::unpack_dual(t)); };
  expect_close(tangent(L::solve(Ad, Bd)), jvp_fd([](auto a, auto b) { return L::solve(a, b); }), 1e-6);
  expect_close(tangent(L::inv(Ad)), jvp_fd([](auto a, auto) { return L::inv(a); }), 1e-6);
  expect_close(tangent(L::det(Ad)), jvp_fd([](auto a, auto) { return L::det(a); }), 1e-6);
  expect_close(tangent(L::solve_triangular(Ad, Bd, true)),
               jvp_fd([](auto a, auto b) { return L::solve_triangular(a, b, true); }), 1e-6);
  Tensor S = spd({3, 3}), tS = mk({3, 3}, 5);
  tS = tS + tS.mT();
  auto sym_fd = [&](auto f) { return (f(S + tS * h) - f(S - tS * h)) / (2 * h); };
  Tensor Sd = fa::make_dual(S, tS);
  expect_close(tangent(L::cholesky(Sd)), sym_fd([](auto a) { return L::cholesky(a); }), 1e-6);
  expect_close(tangent(L::eigvalsh(Sd)), sym_fd([](auto a) { return L::eigvalsh(a); }), 1e-6);
  expect_close(tangent(kiln::cholesky_solve(Bd, fa::make_dual(L::cholesky(S), L::cholesky(S) * 0.1))),
               jvp_fd([&](auto, auto b) { return kiln::cholesky_solve(b, L::cholesky(S)); }) +
                   (kiln::cholesky_solve(B, L::cholesky(S) * (1 + 0.1 * h)) -
                    kiln::cholesky_solve(B, L::cholesky(S) * (1 - 0.1 * h))) / (2 * h),
               1e-6);
}

}  // namespace
