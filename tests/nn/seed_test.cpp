// The seeds' example: gradient descent learns y = kx + b from (1, 5) and (2, 7).
#include <gtest/gtest.h>
#include <kiln/kiln.h>

namespace {
namespace nn = kiln::nn;
namespace F = kiln::nn::functional;
using kiln::Tensor;

TEST(NnSeeds, LinearLearnsTheLineThroughTwoPoints) {
  kiln::manual_seed(0);
  nn::Linear line(1, 1);
  kiln::optim::SGD optimizer(line->parameters(), kiln::optim::SGDOptions(0.1));
  Tensor x = kiln::tensor({1.0, 2.0}).reshape({2, 1}), y = kiln::tensor({5.0, 7.0}).reshape({2, 1});
  for (int step = 0; step < 2000; ++step) {
    optimizer.zero_grad();
    Tensor loss = F::mse_loss(line(x), y);
    loss.backward();
    optimizer.step();
  }
  EXPECT_NEAR(line->weight.item<double>(), 2.0, 1e-4);
  EXPECT_NEAR(line->bias.item<double>(), 3.0, 1e-4);
  kiln::NoGradGuard no_grad;
  EXPECT_NEAR(line(kiln::tensor({3.0}).reshape({1, 1})).item<double>(), 9.0, 1e-4);
}

}  // namespace
