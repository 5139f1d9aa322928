// The Kernel handle: input shaping and the hyperparameter listings every
// kernel shares.
#include "common.h"

namespace kiln::gp {
using detail::as_matrix;

Kernel::Kernel(std::shared_ptr<const detail::KernelImpl> impl) : impl_(std::move(impl)) {}

Tensor Kernel::operator()(const Tensor& X1, const Tensor& X2) const {
  Tensor A = as_matrix(X1, "gp::Kernel"), B = as_matrix(X2, "gp::Kernel");
  KILN_CHECK(A.size(1) == B.size(1), "gp::Kernel: inputs with ", A.size(1), " and ", B.size(1),
             " features (shapes ", X1.sizes(), " and ", X2.sizes(), ")");
  KILN_CHECK(A.dtype() == B.dtype(), "gp::Kernel: inputs of dtypes ", A.dtype(), " and ", B.dtype());
  return impl_->matrix(A, B, false);
}

Tensor Kernel::operator()(const Tensor& X) const {
  Tensor A = as_matrix(X, "gp::Kernel");
  return impl_->matrix(A, A, true);
}

Tensor Kernel::diag(const Tensor& X) const { return impl_->diag(as_matrix(X, "gp::Kernel.diag")); }

std::vector<detail::Hyper> Kernel::hypers() const {
  std::vector<detail::Hyper> out;
  impl_->collect("", out);
  return out;
}

std::vector<Tensor> Kernel::parameters() const { return detail::raw_tensors(hypers()); }
NamedTensors Kernel::named_parameters() const { return detail::raw_named(hypers()); }
NamedTensors Kernel::named_hyperparameters() const { return detail::values_named(hypers()); }

Tensor Kernel::hyperparameter(const std::string& name) const {
  for (const auto& h : hypers())
    if (h.name == name) return h.value();
  std::string known;
  for (const auto& h : hypers()) known += (known.empty() ? "" : ", ") + h.name;
  KILN_CHECK(false, "gp::Kernel: no hyperparameter \"", name, "\" (it has: ", known, ")");
  return {};
}

}  // namespace kiln::gp
