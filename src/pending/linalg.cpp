// TEMPORARY: placeholders until src/ops/matmul.cpp and src/linalg/ land. Delete this file then.
#include "kiln/linalg.h"
namespace kiln {
#define PENDING(op) throw Error(op ": not implemented yet")
Tensor det(const Tensor&) { PENDING("det"); }
Tensor inverse(const Tensor&) { PENDING("inverse"); }
Tensor linalg::cholesky(const Tensor&, bool) { PENDING("cholesky"); }
Tensor norm(const Tensor&, Scalar) { PENDING("norm"); }
Tensor norm(const Tensor&, std::optional<Scalar>, IntArrayRef, bool) { PENDING("norm"); }
}  // namespace kiln
