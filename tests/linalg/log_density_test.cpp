// _normal_log_prob and _batch_mahalanobis (kiln/log_density.h) against
// torch.distributions, with float64 gradcheck, gradgradcheck and forward mode.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include "common/derivative_checks.h"
#include "linalg/oracle.h"

namespace {

using namespace kiln;
using namespace linalg_test;

TEST(LogDensity, NormalLogProbMatchesTorchWithBroadcasting) {
  std::vector<Tensor> expected = torch_eval(R"PY(
from torch.distributions import Normal
v, m, s = mk(4, 1, 3), mk(2, 1, seed=1), mk(3, seed=2).abs() + 0.3
out.append(Normal(m, s).log_prob(v))
out.append(Normal(0.5, 2.0).log_prob(v))
)PY");
  Tensor v = mk({4, 1, 3}), m = mk({2, 1}, 1), s = mk({3}, 2).abs() + 0.3;
  expect_close(_normal_log_prob(v, m, s), expected[0], 1e-14, "broadcast");
  expect_close(_normal_log_prob(v.to(kFloat32), m.to(kFloat32), s.to(kFloat32)), expected[0], 1e-5, "float");
  EXPECT_EQ(_normal_log_prob(v.to(kFloat32), m.to(kFloat32), s.to(kFloat32)).dtype(), kFloat32);
  expect_close(_normal_log_prob(v, scalar_tensor(0.5, kFloat64), scalar_tensor(2.0, kFloat64)), expected[1], 1e-14,
               "scalars");
}

TEST(LogDensity, NormalLogProbDerivatives) {
  Tensor v = test::uniform({2, 3}, -2, 2, 1), m = test::uniform({3}, -1, 1, 2), s = test::uniform({2, 1}, 0.5, 2, 3);
  auto f = [](const variable_list& x) { return _normal_log_prob(x[0], x[1], x[2]); };
  EXPECT_TRUE(autograd::gradcheck(f, {v, m, s}));
  EXPECT_TRUE(autograd::gradgradcheck(f, {v, m, s}));
  EXPECT_EQ(test::forward_mode_mismatch(f, {v, m, s}), "");
  // One input at a time (the others constants).
  EXPECT_TRUE(autograd::gradcheck([&](const variable_list& x) { return _normal_log_prob(v.detach(), m.detach(), x[0]); },
                                  {s}));
  EXPECT_EQ(test::forward_mode_mismatch([&](const variable_list& x) { return _normal_log_prob(x[0], m.detach(), s.detach()); },
                                        {v}),
            "");
}

TEST(LogDensity, BatchMahalanobisMatchesTorch) {
  std::vector<Tensor> expected = torch_eval(R"PY(
from torch.distributions.multivariate_normal import _batch_mahalanobis as bm
L1 = torch.linalg.cholesky(spd(3, 3)); L2 = torch.linalg.cholesky(spd(2, 3, 3, seed=1))
L3 = torch.linalg.cholesky(spd(2, 1, 3, 3, seed=2))
out.append(bm(L1, mk(5, 3)))
out.append(bm(L2, mk(4, 2, 3, seed=3)))
out.append(bm(L3, mk(5, 3, seed=4).expand(2, 5, 3)))  # torch's needs diff's batch to cover L's
out.append(bm(L2, mk(3, seed=5).expand(2, 3)))
)PY");
  Tensor L1 = linalg::cholesky(spd({3, 3})), L2 = linalg::cholesky(spd({2, 3, 3}, 1)),
         L3 = linalg::cholesky(spd({2, 1, 3, 3}, 2));
  expect_close(_batch_mahalanobis(L1, mk({5, 3})), expected[0], 1e-12, "shared factor");
  expect_close(_batch_mahalanobis(L2, mk({4, 2, 3}, 3)), expected[1], 1e-12, "samples over a batch");
  expect_close(_batch_mahalanobis(L3, mk({5, 3}, 4)), expected[2], 1e-12, "broadcast");
  expect_close(_batch_mahalanobis(L2, mk({3}, 5)), expected[3], 1e-12, "one point, batched factors");
}

TEST(LogDensity, BatchMahalanobisDerivatives) {
  Tensor L = linalg::cholesky(spd({2, 3, 3})).detach().requires_grad_();
  Tensor d = test::uniform({4, 2, 3}, -1, 1, 7);
  auto f = [](const variable_list& x) { return _batch_mahalanobis(x[0].tril(), x[1]); };
  EXPECT_TRUE(autograd::gradcheck(f, {L, d}));
  EXPECT_TRUE(autograd::gradgradcheck(f, {L, d}));
  EXPECT_EQ(test::forward_mode_mismatch(f, {L, d}), "");
  Tensor L1 = linalg::cholesky(spd({3, 3}, 1)).detach().requires_grad_();
  Tensor d1 = test::uniform({2, 1, 3}, -1, 1, 8);
  EXPECT_TRUE(autograd::gradcheck(f, {L1, d1}));
}

TEST(LogDensity, BadShapesNameTheOp) {
  expect_error([] { _batch_mahalanobis(eye(3, kFloat64), ones({4, 2}, kFloat64)); }, {"_batch_mahalanobis", "[4, 2]"});
  expect_error([] { _batch_mahalanobis(ones({3}, kFloat64), ones({3}, kFloat64)); }, {"_batch_mahalanobis"});
  expect_error([] { _batch_mahalanobis(eye(3), ones({3}, kFloat64)); }, {"_batch_mahalanobis", "dtype"});
  expect_error([] { _normal_log_prob(ones({2}), ones({3}), ones({1})); }, {"_normal_log_prob"});
  EXPECT_EQ(_batch_mahalanobis(eye(3, kFloat64), ones({0, 3}, kFloat64)).sizes().vec(), std::vector<int64_t>{0});
  EXPECT_EQ(_normal_log_prob(ones({0}), ones({1}), ones({1})).numel(), 0);
}

}  // namespace
