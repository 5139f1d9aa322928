// Kernels built from kernels (sum, product, fixed and learnable scales) and
// the input-free ones (Constant, White).
#include "common.h"

namespace kiln::gp {
namespace {
using namespace detail;

void add_prefixed(const std::string& prefix, const std::vector<Hyper>& hypers, std::vector<Hyper>& out) {
  for (Hyper h : hypers) {
    h.name = prefix + h.name;
    out.push_back(h);
  }
}

struct CombineImpl : KernelImpl {
  std::shared_ptr<const KernelImpl> a, b;
  bool product;
  CombineImpl(Kernel x, Kernel y, bool product) : a(x.impl()), b(y.impl()), product(product) {}
  Tensor join(const Tensor& u, const Tensor& v) const { return product ? u * v : u + v; }
  Tensor matrix(const Tensor& X1, const Tensor& X2, bool same) const override {
    return join(a->matrix(X1, X2, same), b->matrix(X1, X2, same));
  }
  Tensor diag(const Tensor& X) const override { return join(a->diag(X), b->diag(X)); }
  void collect(const std::string& prefix, std::vector<Hyper>& out) const override {
    a->collect(prefix + "kernels.0.", out);
    b->collect(prefix + "kernels.1.", out);
  }
};

// c * k for a fixed number c; Scale holds a learnable one.
struct ScaledImpl : KernelImpl {
  std::shared_ptr<const KernelImpl> base;
  double c = 1;
  std::vector<Hyper> hypers;  // empty, or the outputscale
  Tensor factor(const Tensor& X) const { return hypers.empty() ? scalar_tensor(c, TensorOptions(X.dtype())) : like(hypers[0].value(), X); }
  Tensor matrix(const Tensor& X1, const Tensor& X2, bool same) const override {
    return base->scaled_matrix(factor(X1), X1, X2, same);
  }
  Tensor diag(const Tensor& X) const override { return factor(X) * base->diag(X); }
  void collect(const std::string& prefix, std::vector<Hyper>& out) const override {
    add_prefixed(prefix, hypers, out);
    base->collect(prefix + "base_kernel.", out);
  }
};

// A learnable value everywhere (Constant) or on k(X)'s diagonal only (White).
struct FlatImpl : KernelImpl {
  Hyper h;
  bool white;
  FlatImpl(Hyper h, bool white) : h(std::move(h)), white(white) {}
  Tensor matrix(const Tensor& X1, const Tensor& X2, bool same) const override {
    TensorOptions o(X1.dtype());
    Tensor v = like(h.value(), X1);
    if (!white) return v * ones({X1.size(0), X2.size(0)}, o);
    return same ? v * eye(X1.size(0), o) : zeros({X1.size(0), X2.size(0)}, o);
  }
  Tensor diag(const Tensor& X) const override { return like(h.value(), X) * ones({X.size(0)}, TensorOptions(X.dtype())); }
  void collect(const std::string& prefix, std::vector<Hyper>& out) const override { add_prefixed(prefix, {h}, out); }
};

Kernel scaled(const Kernel& k, double c) {
  auto impl = std::make_shared<ScaledImpl>();
  impl->base = k.impl();
  impl->c = c;
  return Kernel(impl);
}

}  // namespace

Kernel operator+(const Kernel& a, const Kernel& b) { return Kernel(std::make_shared<CombineImpl>(a, b, false)); }
Kernel operator*(const Kernel& a, const Kernel& b) { return Kernel(std::make_shared<CombineImpl>(a, b, true)); }
Kernel operator*(double c, const Kernel& k) { return scaled(k, c); }
Kernel operator*(const Kernel& k, double c) { return scaled(k, c); }

Scale::Scale(const Kernel& base, double outputscale) : Kernel([&] {
  auto impl = std::make_shared<ScaledImpl>();
  impl->base = base.impl();
  impl->hypers.push_back(positive("outputscale", outputscale, "Scale"));
  return impl;
}()) {}

Constant::Constant(double value) : Kernel(std::make_shared<FlatImpl>(positive("constant", value, "Constant"), false)) {}
White::White(double noise) : Kernel(std::make_shared<FlatImpl>(positive("noise", noise, "White"), true)) {}

}  // namespace kiln::gp
