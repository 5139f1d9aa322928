// Jacobians read off an existing graph, one vector-Jacobian product per
// output element: shared by autograd::functional and GradientTape.
#pragma once
#include "kiln/autograd.h"

namespace kiln::autograd {

// The `e`-th standard basis tensor shaped like t (a one at flat index e).
Tensor basis_like(const Tensor& t, int64_t e);

// d out / d x with shape out.shape + x.shape. `out` must have been computed
// from x with x requiring grad; the graph is retained. An element of out that
// does not depend on x gives zeros, or an error naming `op` when strict.
Tensor jacobian_from_graph(const Tensor& out, const Tensor& x, bool create_graph, bool strict, const char* op);

}  // namespace kiln::autograd
