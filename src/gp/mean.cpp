// Mean functions: zero, a learnable constant, a learnable linear map.
#include "common.h"

namespace kiln::gp {
namespace {
using namespace detail;

struct MeanParams : MeanImpl {
  std::vector<Hyper> hypers;
  void collect(const std::string& prefix, std::vector<Hyper>& out) const override {
    for (Hyper h : hypers) {
      h.name = prefix + h.name;
      out.push_back(h);
    }
  }
};

struct ZeroImpl : MeanParams {
  Tensor forward(const Tensor& X) const override { return zeros({X.size(0)}, TensorOptions(X.dtype())); }
};

struct ConstantImpl : MeanParams {
  Tensor forward(const Tensor& X) const override {
    return like(hypers[0].value(), X) * ones({X.size(0)}, TensorOptions(X.dtype()));
  }
};

struct LinearImpl : MeanParams {
  bool bias = true;
  Tensor forward(const Tensor& X) const override {
    KILN_CHECK(X.size(1) == hypers[0].raw.numel(), "gp::LinearMean: inputs with ", X.size(1),
               " features for weights of ", hypers[0].raw.numel());
    Tensor out = X.matmul(like(hypers[0].value(), X));
    return bias ? out + like(hypers[1].value(), X) : out;
  }
};

}  // namespace

Mean::Mean(std::shared_ptr<const detail::MeanImpl> impl) : impl_(std::move(impl)) {}
Tensor Mean::operator()(const Tensor& X) const { return impl_->forward(as_matrix(X, "gp::Mean")); }
std::vector<Hyper> Mean::hypers() const {
  std::vector<Hyper> out;
  impl_->collect("", out);
  return out;
}
std::vector<Tensor> Mean::parameters() const { return detail::raw_tensors(hypers()); }
NamedTensors Mean::named_parameters() const {
  NamedTensors out;
  for (const auto& h : hypers()) out.emplace_back(h.name, h.raw);
  return out;
}

ZeroMean::ZeroMean() : Mean(std::make_shared<ZeroImpl>()) {}

ConstantMean::ConstantMean(double c) : Mean([&] {
  auto impl = std::make_shared<ConstantImpl>();
  impl->hypers.push_back(free("constant", full({1}, c, TensorOptions(kFloat64))));
  return impl;
}()) {}

LinearMean::LinearMean(int64_t features, bool bias) : Mean([&] {
  KILN_CHECK(features >= 1, "gp::LinearMean: features must be at least 1, got ", features);
  auto impl = std::make_shared<LinearImpl>();
  impl->bias = bias;
  impl->hypers.push_back(free("weights", zeros({features}, TensorOptions(kFloat64))));
  if (bias) impl->hypers.push_back(free("bias", zeros({1}, TensorOptions(kFloat64))));
  return impl;
}()) {}

}  // namespace kiln::gp
