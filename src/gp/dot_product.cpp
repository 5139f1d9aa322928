// Kernels of inner products (non-stationary): linear, polynomial and the
// neural-network (arcsine) kernel.
#include <numbers>

#include "common.h"

namespace kiln::gp {
namespace {
using namespace detail;

struct DotImpl : KernelImpl {
  std::vector<Hyper> hypers;
  explicit DotImpl(std::vector<Hyper> h) : hypers(std::move(h)) {}
  void collect(const std::string& prefix, std::vector<Hyper>& out) const override {
    for (Hyper h : hypers) {
      h.name = prefix + h.name;
      out.push_back(h);
    }
  }
  Tensor v(size_t i, const Tensor& X) const { return like(hypers[i].value(), X); }
};

struct LinearImpl : DotImpl {
  using DotImpl::DotImpl;
  Tensor matrix(const Tensor& X1, const Tensor& X2, bool) const override { return v(0, X1) * X1.matmul(X2.t()); }
  Tensor diag(const Tensor& X) const override { return v(0, X) * X.square().sum({1}); }
};

struct PolynomialImpl : DotImpl {
  int64_t power;
  PolynomialImpl(int64_t power, std::vector<Hyper> h) : DotImpl(std::move(h)), power(power) {}
  Tensor matrix(const Tensor& X1, const Tensor& X2, bool) const override {
    return pow(X1.matmul(X2.t()) + v(0, X1), power);
  }
  Tensor diag(const Tensor& X) const override { return pow(X.square().sum({1}) + v(0, X), power); }
};

struct ArcSineImpl : DotImpl {
  using DotImpl::DotImpl;
  // (sigma_0^2, (sigma_1^2 ... sigma_d^2)): S = diag(sigma^2) split at the constant entry of x~ = (1, x).
  std::pair<Tensor, Tensor> weights(const Tensor& X) const {
    Tensor s2 = v(0, X).square();
    int64_t d = X.size(1);
    KILN_CHECK(s2.numel() == 1 || s2.numel() == d + 1, "gp::ArcSine: ", s2.numel(), " sigma values for inputs with ",
               d, " features (needs 1 or ", d + 1, ")");
    if (s2.numel() == 1) return {s2, s2};
    return {s2.narrow(0, 0, 1), s2.narrow(0, 1, d)};
  }
  // x~^T S x~' for every pair, and x~^T S x~ for every row.
  Tensor inner(const Tensor& X1, const Tensor& X2) const {
    auto [s0, s] = weights(X1);
    return s0 + (X1 * s).matmul(X2.t());
  }
  Tensor self_inner(const Tensor& X) const {
    auto [s0, s] = weights(X);
    return s0 + (X.square() * s).sum({1});
  }
  Tensor matrix(const Tensor& X1, const Tensor& X2, bool) const override {
    Tensor n1 = 1 + 2 * self_inner(X1), n2 = 1 + 2 * self_inner(X2);
    return 2 / std::numbers::pi * asin(2 * inner(X1, X2) / sqrt(n1.unsqueeze(1) * n2.unsqueeze(0)));
  }
  Tensor diag(const Tensor& X) const override {
    Tensor q = 2 * self_inner(X);
    return 2 / std::numbers::pi * asin(q / (1 + q));
  }
};

}  // namespace

Linear::Linear(double variance)
    : Kernel(std::make_shared<LinearImpl>(std::vector<Hyper>{positive("variance", variance, "Linear")})) {}

Polynomial::Polynomial(int64_t power, double offset) : Kernel([&] {
  KILN_CHECK(power >= 1, "gp::Polynomial: power must be at least 1, got ", power);
  return std::make_shared<PolynomialImpl>(power, std::vector<Hyper>{positive("offset", offset, "Polynomial")});
}()) {}

ArcSine::ArcSine(double sigma) : ArcSine(full({1}, sigma, TensorOptions(kFloat64))) {}
ArcSine::ArcSine(const Tensor& sigma)
    : Kernel(std::make_shared<ArcSineImpl>(std::vector<Hyper>{positive("sigma", sigma, "ArcSine")})) {}

}  // namespace kiln::gp
