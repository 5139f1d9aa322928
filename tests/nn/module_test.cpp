// nn::Module: registration, dotted names, containers, modes, dtype, summary.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <cmath>
#include <sstream>

#include "common/expect_error.h"

namespace nn_test {
namespace nn = kiln::nn;
using kiln::Tensor;
using kiln_test::expect_error;

struct NetImpl : nn::Module {
  NetImpl() {
    fc1 = register_module("fc1", nn::Linear(4, 3));
    fc2 = register_module("fc2", nn::Linear(nn::LinearOptions(3, 2).bias(false)));
    scale = register_parameter("scale", kiln::ones({2}));
    register_buffer("steps", kiln::zeros({}, kiln::kInt64));
  }
  Tensor forward(const Tensor& x) { return fc2(kiln::relu(fc1(x))) * scale; }
  nn::Linear fc1{nullptr}, fc2{nullptr};
  Tensor scale;
};
KILN_MODULE(Net);
}  // namespace nn_test

namespace {
using namespace nn_test;

std::vector<std::string> keys(const kiln::OrderedDict<std::string, Tensor>& d) { return d.keys(); }

TEST(NnModule, NamedParametersAreDottedInRegistrationOrder) {
  Net net;
  EXPECT_EQ(keys(net->named_parameters()),
            (std::vector<std::string>{"scale", "fc1.weight", "fc1.bias", "fc2.weight"}));
  EXPECT_EQ(keys(net->named_parameters(false)), (std::vector<std::string>{"scale"}));
  EXPECT_EQ(keys(net->named_buffers()), (std::vector<std::string>{"steps"}));
  EXPECT_EQ(net->parameters().size(), 4u);
  EXPECT_TRUE(net->parameters()[1].is_same(net->fc1->weight));
  EXPECT_EQ(net->children().size(), 2u);
  EXPECT_EQ(net->modules().size(), 3u);
  EXPECT_EQ(net->named_modules().keys(), (std::vector<std::string>{"", "fc1", "fc2"}));
  for (const auto& p : net->named_parameters()) EXPECT_TRUE(p.value().requires_grad()) << p.key();
}

TEST(NnModule, SequentialNamesChildrenByPosition) {
  nn::Sequential seq(nn::Linear(3, 4), nn::ReLU(), nn::Linear(4, 1));
  EXPECT_EQ(keys(seq->named_parameters()), (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias"}));
  EXPECT_EQ(seq->size(), 3u);
  Tensor y = seq->forward(kiln::ones({5, 3}));
  EXPECT_EQ(y.sizes(), (std::vector<int64_t>{5, 1}));
  EXPECT_NE(seq->ptr<nn::LinearImpl>(0), nullptr);
  EXPECT_EQ(seq->ptr<nn::LinearImpl>(1), nullptr);
  nn::Sequential named({{"lin", nn::Linear(2, 2)}, {"act", nn::Tanh()}});
  EXPECT_EQ(keys(named->named_parameters()), (std::vector<std::string>{"lin.weight", "lin.bias"}));
}

TEST(NnModule, ModuleListAndFunctional) {
  nn::ModuleList list(nn::Linear(2, 2), nn::Linear(2, 3));
  list->push_back(nn::Functional(kiln::relu));
  EXPECT_EQ(list->size(), 3u);
  EXPECT_EQ(keys(list->named_parameters()), (std::vector<std::string>{"0.weight", "0.bias", "1.weight", "1.bias"}));
  nn::Functional leaky(nn::functional::leaky_relu, nn::LeakyReLUOptions().negative_slope(0.5));
  EXPECT_DOUBLE_EQ(leaky(kiln::tensor({-2.0})).item<double>(), -1.0);
}

TEST(NnModule, TrainEvalZeroGradAndDtype) {
  Net net;
  EXPECT_TRUE(net->is_training());
  net->eval();
  EXPECT_FALSE(net->fc1->is_training());
  net->train();
  EXPECT_TRUE(net->fc2->is_training());

  net->forward(kiln::ones({2, 4})).sum().backward();
  EXPECT_TRUE(net->fc1->weight.grad().defined());
  net->zero_grad();
  EXPECT_EQ(net->fc1->weight.grad().abs().sum().item<double>(), 0.0);
  net->zero_grad(true);
  EXPECT_FALSE(net->fc1->weight.grad().defined());

  Tensor before = net->fc1->weight.detach().clone();
  net->to(kiln::kFloat64);
  EXPECT_EQ(net->fc1->weight.dtype(), kiln::kFloat64);  // the member handle sees it
  EXPECT_EQ(net->named_parameters()["fc1.weight"].dtype(), kiln::kFloat64);
  EXPECT_EQ(net->named_buffers()["steps"].dtype(), kiln::kInt64);  // integers stay
  EXPECT_TRUE(net->fc1->weight.requires_grad());
  EXPECT_TRUE(net->fc1->weight.is_leaf());
  EXPECT_TRUE(kiln::allclose(net->fc1->weight.to(kiln::kFloat32), before));
  EXPECT_EQ(net->forward(kiln::ones({1, 4}, kiln::kFloat64)).dtype(), kiln::kFloat64);
}

TEST(NnModule, PrintsLikeLibtorch) {
  nn::Sequential seq(nn::Linear(3, 4), nn::ReLU(), nn::Dropout(0.2), nn::Linear(nn::LinearOptions(4, 1).bias(false)));
  std::ostringstream s;
  s << *seq;
  EXPECT_EQ(s.str(),
            "kiln::nn::Sequential(\n"
            "  (0): kiln::nn::Linear(in_features=3, out_features=4, bias=true)\n"
            "  (1): kiln::nn::ReLU()\n"
            "  (2): kiln::nn::Dropout(p=0.2, inplace=false)\n"
            "  (3): kiln::nn::Linear(in_features=4, out_features=1, bias=false)\n"
            ")");
  Net net;
  std::ostringstream n;
  n << *net;
  EXPECT_EQ(n.str(),
            "nn_test::NetImpl(\n"
            "  (fc1): kiln::nn::Linear(in_features=4, out_features=3, bias=true)\n"
            "  (fc2): kiln::nn::Linear(in_features=3, out_features=2, bias=false)\n"
            ")");
}

TEST(NnModule, RegistrationErrors) {
  nn::Module m;
  m.register_parameter("w", kiln::ones({1}));
  expect_error([&] { m.register_parameter("w", kiln::ones({1})); }, {"register_parameter", "'w'", "already defined"});
  expect_error([&] { m.register_parameter("a.b", kiln::ones({1})); }, {"register_parameter", "dot"});
  expect_error([&] { m.register_buffer("", kiln::ones({1})); }, {"register_buffer", "empty"});
  expect_error([&] { m.register_module("x", std::shared_ptr<nn::LinearImpl>()); }, {"register_module", "null"});
  nn::Linear empty{nullptr};
  expect_error([&] { empty->forward(kiln::ones({1})); }, {"empty ModuleHolder"});
}

TEST(NnModule, LinearDefaultInitialisationBounds) {
  kiln::manual_seed(3);
  nn::Linear lin(100, 50);
  double bound = 1 / std::sqrt(100.0);  // kaiming_uniform(a = sqrt(5)) and the bias share it
  EXPECT_LE(lin->weight.abs().max().item<double>(), bound);
  EXPECT_GT(lin->weight.abs().max().item<double>(), 0.95 * bound);
  EXPECT_LE(lin->bias.abs().max().item<double>(), bound);
  // U(-b, b) has variance b^2 / 3.
  EXPECT_NEAR(lin->weight.var().item<double>(), bound * bound / 3, 0.1 * bound * bound / 3);
  EXPECT_FALSE(lin->weight.grad_fn());
}

TEST(NnModule, LinearRejectsTheWrongFeatureSize) {
  nn::Linear lin(3, 2);
  expect_error([&] { lin(kiln::ones({4, 5})); }, {"Linear", "in_features=3", "[4, 5]"});
  expect_error([&] { nn::functional::linear(kiln::ones({4, 5}), kiln::ones({2, 3})); }, {"linear", "[4, 5]", "[2, 3]"});
}

}  // namespace
