// Higher-order derivatives of a function of one tensor, as
// torch.autograd.functional. f is any callable taking a Tensor and
// returning a Tensor; x is not modified (f sees a fresh leaf that requires
// grad; with create_graph and an x that requires grad, results stay
// differentiable w.r.t. x).
#pragma once
#include <optional>
#include <tuple>

#include "kiln/callable.h"
#include "kiln/tensor.h"

namespace kiln::autograd::functional {

using TensorFn = Callable<Tensor(const Tensor&)>;

// d f(x) / d x, shape f(x).shape + x.shape (reverse mode, one pass per
// output element). strict: error when an output does not depend on x
// instead of returning zeros.
Tensor jacobian(const TensorFn& f, const Tensor& x, bool create_graph = false, bool strict = false);
// The Hessian of a scalar (single-element) f, shape x.shape + x.shape.
Tensor hessian(const TensorFn& f, const Tensor& x, bool create_graph = false, bool strict = false);
// (f(x), vᵀ J). v may be omitted when f(x) has one element.
std::tuple<Tensor, Tensor> vjp(const TensorFn& f, const Tensor& x, const std::optional<Tensor>& v = std::nullopt,
                               bool create_graph = false, bool strict = false);
// (f(x), J v), by forward mode (one pass with a dual tensor). v may be
// omitted when x has one element.
std::tuple<Tensor, Tensor> jvp(const TensorFn& f, const Tensor& x, const std::optional<Tensor>& v = std::nullopt,
                               bool create_graph = false, bool strict = false);
// (f(x), H v) for a scalar f. v may be omitted when x has one element.
std::tuple<Tensor, Tensor> hvp(const TensorFn& f, const Tensor& x, const std::optional<Tensor>& v = std::nullopt,
                               bool create_graph = false, bool strict = false);
// (f(x), vᵀ H), equal to hvp for the symmetric Hessians of smooth f.
std::tuple<Tensor, Tensor> vhp(const TensorFn& f, const Tensor& x, const std::optional<Tensor>& v = std::nullopt,
                               bool create_graph = false, bool strict = false);

}  // namespace kiln::autograd::functional
