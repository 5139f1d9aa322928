// Stationary kernels: functions of r = ||(x - x') / lengthscale|| (GPyTorch's
// definitions), each with one lengthscale or one per feature (ARD).
#include <cmath>
#include <numbers>

#include "common.h"

namespace kiln::gp {
namespace {
using namespace detail;

// A stationary kernel: k = profile(r^2 or r), k(x, x) = profile(0) = 1.
struct StationaryImpl : KernelImpl {
  const char* op;
  std::vector<Hyper> hypers;  // [0] is the lengthscale
  StationaryImpl(const char* op, std::vector<Hyper> h) : op(op), hypers(std::move(h)) {}
  Tensor lengthscale() const { return hypers[0].value(); }
  void collect(const std::string& prefix, std::vector<Hyper>& out) const override {
    for (Hyper h : hypers) {
      h.name = prefix + h.name;
      out.push_back(h);
    }
  }
  Tensor diag(const Tensor& X) const override {
    check_features(lengthscale(), X, op, "lengthscale");
    return ones({X.size(0)}, TensorOptions(X.dtype()));
  }
};

// RBF and Matern: one fused node (with the scale of an enclosing Scale folded in).
struct FusedImpl : StationaryImpl {
  Profile profile;
  FusedImpl(const char* op, Profile p, std::vector<Hyper> h) : StationaryImpl(op, std::move(h)), profile(p) {}
  Tensor matrix(const Tensor& X1, const Tensor& X2, bool same) const override {
    return scaled_matrix(ones({}, TensorOptions(X1.dtype())), X1, X2, same);
  }
  Tensor scaled_matrix(const Tensor& c, const Tensor& X1, const Tensor& X2, bool) const override {
    return scaled_stationary(profile, X1, X2, lengthscale(), c, op);
  }
};

struct RationalQuadraticImpl : StationaryImpl {
  using StationaryImpl::StationaryImpl;
  Tensor matrix(const Tensor& X1, const Tensor& X2, bool) const override {
    Tensor alpha = like(hypers[1].value(), X1);
    return pow(1 + scaled_sq_dist(X1, X2, lengthscale(), op) / (2 * alpha), -alpha);
  }
};

struct PeriodicImpl : StationaryImpl {
  using StationaryImpl::StationaryImpl;
  Tensor matrix(const Tensor& X1, const Tensor& X2, bool) const override {
    KILN_CHECK(X1.size(1) == X2.size(1), op, ": inputs with ", X1.size(1), " and ", X2.size(1), " features");
    check_features(lengthscale(), X1, op, "lengthscale");
    check_features(hypers[1].value(), X1, op, "period");
    Tensor l = like(lengthscale(), X1), p = like(hypers[1].value(), X1);
    // sin^2 of a difference is smooth at 0: no distance (and no sqrt) needed.
    Tensor s = sin(std::numbers::pi * (X1.unsqueeze(1) - X2.unsqueeze(0)) / p);
    return exp(-2 * (s.square() / l).sum({-1}));
  }
};

std::vector<Hyper> lengthscale(const Tensor& l, const char* op) { return {positive("lengthscale", l, op)}; }
Tensor value(double v) { return full({1}, v, TensorOptions(kFloat64)); }

}  // namespace

RBF::RBF(double l) : RBF(value(l)) {}
RBF::RBF(const Tensor& l) : Kernel(std::make_shared<FusedImpl>("gp::RBF", Profile::RBF, lengthscale(l, "RBF"))) {}

Matern::Matern(double nu, double l) : Matern(nu, value(l)) {}
Matern::Matern(double nu, const Tensor& l) : Kernel([&] {
  KILN_CHECK(nu == 0.5 || nu == 1.5 || nu == 2.5, "gp::Matern: nu must be 0.5, 1.5 or 2.5, got ", nu);
  Profile p = nu == 0.5 ? Profile::Matern12 : nu == 1.5 ? Profile::Matern32 : Profile::Matern52;
  return std::make_shared<FusedImpl>("gp::Matern", p, lengthscale(l, "Matern"));
}()) {}

RationalQuadratic::RationalQuadratic(double l, double alpha) : RationalQuadratic(value(l), alpha) {}
RationalQuadratic::RationalQuadratic(const Tensor& l, double alpha)
    : Kernel(std::make_shared<RationalQuadraticImpl>(
          "gp::RationalQuadratic",
          std::vector<Hyper>{positive("lengthscale", l, "RationalQuadratic"), positive("alpha", alpha, "RationalQuadratic")})) {}

Periodic::Periodic(double l, double period) : Periodic(value(l), value(period)) {}
Periodic::Periodic(const Tensor& l, const Tensor& period)
    : Kernel(std::make_shared<PeriodicImpl>(
          "gp::Periodic",
          std::vector<Hyper>{positive("lengthscale", l, "Periodic"), positive("period", period, "Periodic")})) {}

}  // namespace kiln::gp
