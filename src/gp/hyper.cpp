// Hyperparameters: positive ones are stored as raw = softplus^-1(value) (as
// GPyTorch's Positive constraint) so an optimiser can move them freely.
#include "common.h"

#include <cmath>

namespace kiln::gp::detail {

namespace {
// The active overrides, innermost last.
thread_local std::vector<std::pair<Tensor, Tensor>> overrides;
}  // namespace

bool overrides_active() { return !overrides.empty(); }

Tensor Hyper::value() const {
  const Tensor* r = &raw;
  for (auto it = overrides.rbegin(); it != overrides.rend(); ++it)
    if (it->first.is_same(raw)) {
      r = &it->second;
      break;
    }
  return positive ? softplus(*r) : *r;
}

Hyper positive(const std::string& name, const Tensor& value, const char* owner) {
  KILN_CHECK(value.defined() && value.numel() > 0, "gp::", owner, ": ", name, " needs at least one value");
  Tensor v = value.detach().to(kFloat64).reshape({-1});
  KILN_CHECK((v > 0).all().item<bool>() && isfinite(v).all().item<bool>(), "gp::", owner, ": ", name,
             " must be positive and finite, got ", v.min().item<double>());
  // softplus^-1(v) = v + log(-expm1(-v)), exact for large v too.
  Tensor raw = (v + log(-expm1(-v))).requires_grad_(true);
  return {name, raw, true};
}

Hyper positive(const std::string& name, double value, const char* owner) {
  return positive(name, full({1}, value, TensorOptions(kFloat64)), owner);
}

Hyper free(const std::string& name, const Tensor& value) {
  return {name, value.detach().to(kFloat64).clone().requires_grad_(true), false};
}

std::vector<Tensor> raw_tensors(const std::vector<Hyper>& hypers) {
  std::vector<Tensor> out;
  for (const auto& h : hypers) out.push_back(h.raw);
  return out;
}

NamedTensors raw_named(const std::vector<Hyper>& hypers) {
  NamedTensors out;
  for (const auto& h : hypers) {
    auto dot = h.name.rfind('.');
    std::string raw = dot == std::string::npos ? "raw_" + h.name : h.name.substr(0, dot + 1) + "raw_" + h.name.substr(dot + 1);
    out.emplace_back(h.positive ? raw : h.name, h.raw);
  }
  return out;
}

NamedTensors values_named(const std::vector<Hyper>& hypers) {
  NamedTensors out;
  for (const auto& h : hypers) out.emplace_back(h.name, h.value());
  return out;
}

Tensor as_matrix(const Tensor& X, const char* op) {
  KILN_CHECK(X.defined(), op, ": the input is undefined");
  KILN_CHECK(X.dim() == 1 || X.dim() == 2, op, ": inputs must be [n, d] or [n], got shape ", X.sizes());
  KILN_CHECK(is_floating_point(X.dtype()), op, ": inputs must be float32 or float64, got ", X.dtype());
  return X.dim() == 1 ? X.unsqueeze(1) : X;
}

void check_features(const Tensor& value, const Tensor& X, const char* op, const char* what) {
  KILN_CHECK(value.numel() == 1 || value.numel() == X.size(1), op, ": ", value.numel(), " ", what,
             " values for inputs with ", X.size(1), " features");
}

}  // namespace kiln::gp::detail

namespace kiln::gp {

ParameterOverride::ParameterOverride(const std::vector<Tensor>& raws, const std::vector<Tensor>& values)
    : previous_size_(detail::overrides.size()) {
  KILN_CHECK(raws.size() == values.size(), "gp::ParameterOverride: ", raws.size(), " parameters but ", values.size(),
             " values");
  for (size_t i = 0; i < raws.size(); ++i) {
    KILN_CHECK(raws[i].sizes() == values[i].sizes(), "gp::ParameterOverride: parameter ", i, " has shape ",
               raws[i].sizes(), " but its value has shape ", values[i].sizes());
    detail::overrides.emplace_back(raws[i], values[i]);
  }
}

ParameterOverride::~ParameterOverride() { detail::overrides.resize(previous_size_); }

}  // namespace kiln::gp
