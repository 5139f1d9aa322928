#include "calculus/jacobian.h"

#include "kiln/autograd.h"
#include "kiln/functions.h"

namespace kiln::autograd {

Tensor basis_like(const Tensor& t, int64_t e) {
  NoGradGuard no_grad;
  Tensor b = zeros({t.numel()}, t.dtype());
  b.select(0, e).fill_(1);
  return b.reshape(t.sizes());
}

Tensor jacobian_from_graph(const Tensor& out, const Tensor& x, bool create_graph, bool strict, const char* op) {
  Shape shape(out.sizes());
  for (int64_t d : x.sizes()) shape.push_back(d);
  const ScalarType dtype = x.dtype();
  if (out.numel() == 0 || x.numel() == 0) return zeros(shape, dtype);
  if (!out.requires_grad()) {
    KILN_CHECK(!strict, op, ": output is independent of input. This is not allowed in strict mode.");
    return zeros(shape, dtype);
  }
  variable_list rows;
  rows.reserve(static_cast<size_t>(out.numel()));
  for (int64_t e = 0; e < out.numel(); ++e) {
    Tensor g = grad({out}, {x}, {basis_like(out, e)}, /*retain_graph=*/true, create_graph, /*allow_unused=*/true)[0];
    if (!g.defined()) {
      KILN_CHECK(!strict, op, ": output ", e, " is independent of the input. This is not allowed in strict mode.");
      g = zeros(x.sizes(), dtype);
    }
    rows.push_back(g);
  }
  return stack(rows).reshape(shape);
}

}  // namespace kiln::autograd
