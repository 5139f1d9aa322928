// cholesky_inverse (potri) and linalg::cholesky_ex: values against torch,
// float64 gradchecks (first and second order) and forward mode.
#include <kiln/autograd.h>

#include "common/derivative_checks.h"
#include "linalg/oracle.h"

namespace {
using namespace linalg_test;
using kiln::Tensor;
namespace L = kiln::linalg;

Tensor spd_of(const Tensor& X) { return X.matmul(X.mT()) + kiln::eye(X.size(-1), kiln::kFloat64) * double(X.size(-1)); }

TEST(CholeskyInverse, MatchesTorch) {
  SKIP_WITHOUT_TORCH();
  auto e = torch_eval(R"PY(
out.append(torch.cholesky_inverse(torch.linalg.cholesky(spd(4, 4))))
out.append(torch.cholesky_inverse(torch.linalg.cholesky(spd(2, 3, 3, seed=1), upper=True), upper=True))
Lf, info = torch.linalg.cholesky_ex(torch.tensor([[[1., 0.], [0., 1.]], [[1., 2.], [2., 1.]]]))
out.append(info.to(torch.float64))
)PY");
  expect_close(kiln::cholesky_inverse(L::cholesky(spd({4, 4}))), e[0]);
  expect_close(kiln::cholesky_inverse(L::cholesky(spd({2, 3, 3}, 1), true), true), e[1]);
  expect_close(kiln::cholesky_inverse(L::cholesky(spd({4, 4}))), kiln::inverse(spd({4, 4})), 1e-12);
  auto [F, info] = L::cholesky_ex(kiln::tensor({{{1.0, 0.0}, {0.0, 1.0}}, {{1.0, 2.0}, {2.0, 1.0}}}));
  EXPECT_EQ(info.dtype(), kiln::kInt32);
  expect_close(info.to(kiln::kFloat64), e[2]);
  auto [G, ok] = L::cholesky_ex(spd({3, 3}));
  expect_close(G, L::cholesky(spd({3, 3})));
  EXPECT_EQ(ok.item<int64_t>(), 0);
  kiln_test::expect_error([] { L::cholesky_ex(kiln::tensor({{1.0, 2.0}, {2.0, 1.0}}), false, true); },
                          {"linalg.cholesky_ex", "not positive-definite"});
  kiln_test::expect_error([] { kiln::cholesky_inverse(kiln::ones({2, 3})); }, {"cholesky_inverse", "square"});
  EXPECT_EQ(kiln::cholesky_inverse(L::cholesky(spd({4, 4}, 0, kiln::kFloat32))).dtype(), kiln::kFloat32);
}

TEST(CholeskyInverse, Derivatives) {
  for (bool upper : {false, true}) {
    auto f = [upper](const kiln::variable_list& x) { return kiln::cholesky_inverse(L::cholesky(spd_of(x[0]), upper), upper); };
    kiln::variable_list in{leaf(mk({3, 3}, upper ? 1.0 : 0.0))};
    EXPECT_TRUE(kiln::autograd::gradcheck(f, in, 1e-6, 1e-7, 1e-5));
    EXPECT_TRUE(kiln::autograd::gradgradcheck(f, in, 1e-6, 1e-6, 1e-4));
    EXPECT_EQ(kiln::test::forward_mode_mismatch(f, in), "");
    // The factor directly (any triangular matrix with a positive diagonal).
    auto g = [upper](const kiln::variable_list& x) {
      Tensor T = upper ? x[0].triu() : x[0].tril();
      return kiln::cholesky_inverse(T + 3 * kiln::eye(3, kiln::kFloat64), upper);
    };
    EXPECT_TRUE(kiln::autograd::gradcheck(g, in, 1e-6, 1e-7, 1e-5));
  }
  auto ex = [](const kiln::variable_list& x) { return std::get<0>(L::cholesky_ex(spd_of(x[0]))); };
  EXPECT_TRUE(kiln::autograd::gradcheck(ex, {leaf(mk({3, 3}, 2.0))}, 1e-6, 1e-7, 1e-5));
}

}  // namespace
