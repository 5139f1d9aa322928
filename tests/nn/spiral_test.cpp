// An MLP learns two interleaved spirals; a save -> load round trip gives the
// identical predictions; loading a mismatched file names the entry.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <cmath>
#include <filesystem>
#include <numbers>

#include "common/expect_error.h"

namespace {
namespace nn = kiln::nn;
namespace F = kiln::nn::functional;
using kiln::Tensor;
using kiln_test::expect_error;

// n points per arm; arm c is the other rotated by pi, 1.5 turns out from the centre.
std::pair<Tensor, Tensor> spirals(int64_t n) {
  Tensor t = kiln::linspace(0.25, 3 * std::numbers::pi, n, kiln::kFloat32);
  std::vector<Tensor> xs, ys;
  for (int c = 0; c < 2; ++c) {
    Tensor angle = t + c * std::numbers::pi;
    xs.push_back(kiln::stack({t * kiln::cos(angle), t * kiln::sin(angle)}, 1) / (3 * std::numbers::pi));
    ys.push_back(kiln::full({n}, c, kiln::kInt64));
  }
  return {kiln::cat(xs), kiln::cat(ys)};
}

nn::Sequential mlp() { return nn::Sequential(nn::Linear(2, 64), nn::Tanh(), nn::Linear(64, 64), nn::Tanh(), nn::Linear(64, 2)); }

std::filesystem::path temp(const char* name) { return std::filesystem::temp_directory_path() / name; }

TEST(NnSpirals, MlpLearnsTwoSpiralsAndRoundTripsThroughAFile) {
  kiln::manual_seed(11);
  auto [x, y] = spirals(100);
  nn::Sequential model = mlp();
  kiln::optim::Adam opt(model->parameters(), kiln::optim::AdamOptions(0.01));
  for (int step = 0; step < 1500; ++step) {
    opt.zero_grad();
    F::cross_entropy(model->forward(x), y).backward();
    opt.step();
  }
  kiln::NoGradGuard no_grad;
  Tensor logits = model->forward(x);
  double accuracy = (logits.argmax(1) == y).to(kiln::kFloat64).mean().item<double>();
  EXPECT_GE(accuracy, 0.98);

  auto path = temp("kiln_spiral_model.safetensors");
  kiln::save(model, path.string());
  kiln::manual_seed(99);
  nn::Sequential restored = mlp();
  EXPECT_FALSE(kiln::equal(restored->forward(x), logits));
  kiln::load(restored, path.string());
  EXPECT_TRUE(kiln::equal(restored->forward(x), logits));
  std::filesystem::remove(path);
}

TEST(NnSerialize, MissingAndMisShapedEntriesAreNamed) {
  auto path = temp("kiln_small_model.safetensors");
  nn::Sequential small(nn::Linear(2, 3), nn::ReLU(), nn::Linear(3, 1));
  kiln::save(small, path.string());

  nn::Sequential wider(nn::Linear(2, 4), nn::ReLU(), nn::Linear(4, 1));
  Tensor before = wider->ptr<nn::LinearImpl>(0)->weight.detach().clone();
  expect_error([&] { kiln::load(wider, path.string()); }, {"load", "'0.weight'", "[3, 2]", "[4, 2]"});
  EXPECT_TRUE(kiln::equal(wider->ptr<nn::LinearImpl>(0)->weight, before));  // untouched

  nn::Sequential deeper(nn::Linear(2, 3), nn::ReLU(), nn::Linear(3, 1), nn::Linear(1, 1));
  expect_error([&] { kiln::load(deeper, path.string()); }, {"load", "'3.weight'", "missing"});

  nn::BatchNorm1d bn(3);
  auto bn_path = temp("kiln_bn.safetensors");
  bn->forward(kiln::randn({8, 3}));
  kiln::save(bn, bn_path.string());
  nn::BatchNorm1d bn2(3);
  kiln::load(bn2, bn_path.string());
  EXPECT_TRUE(kiln::equal(bn2->running_mean, bn->running_mean));  // buffers too
  EXPECT_EQ(bn2->num_batches_tracked.item<int64_t>(), 1);
  std::filesystem::remove(path);
  std::filesystem::remove(bn_path);
}

TEST(ProgressBar, SilentWhenStdoutIsNotATerminal) {
  testing::internal::CaptureStdout();
  {
    kiln::ProgressBar bar(10, "train");
    for (int i = 1; i <= 10; ++i) bar.update(i, 1.0 / i);
    EXPECT_NE(bar.line().find("step 10/10"), std::string::npos) << bar.line();
    EXPECT_NE(bar.line().find("loss 0.1"), std::string::npos) << bar.line();
  }
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
}

}  // namespace
