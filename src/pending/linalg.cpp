// TEMPORARY: placeholders until src/ops/matmul.cpp and src/linalg/ land. Delete this file then.
#include "kiln/linalg.h"
namespace kiln {
#define PENDING(op) throw Error(op ": not implemented yet")
Tensor bmm(const Tensor&, const Tensor&) { PENDING("bmm"); }
Tensor det(const Tensor&) { PENDING("det"); }
Tensor dot(const Tensor&, const Tensor&) { PENDING("dot"); }
Tensor inverse(const Tensor&) { PENDING("inverse"); }
Tensor linalg::cholesky(const Tensor&, bool) { PENDING("cholesky"); }
Tensor matmul(const Tensor&, const Tensor&) { PENDING("matmul"); }
Tensor mm(const Tensor&, const Tensor&) { PENDING("mm"); }
Tensor mv(const Tensor&, const Tensor&) { PENDING("mv"); }
Tensor norm(const Tensor&, Scalar) { PENDING("norm"); }
Tensor norm(const Tensor&, std::optional<Scalar>, IntArrayRef, bool) { PENDING("norm"); }
Tensor outer(const Tensor&, const Tensor&) { PENDING("outer"); }
}  // namespace kiln
