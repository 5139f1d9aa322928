// TEMPORARY: placeholders until src/ops/indexing.cpp lands. Delete this file then.
#include "kiln/functions.h"
namespace kiln {
#define PENDING(op) throw Error(op ": not implemented yet")
Tensor cat(const std::vector<Tensor>&, int64_t) { PENDING("cat"); }
Tensor diag(const Tensor&, int64_t) { PENDING("diag"); }
Tensor flip(const Tensor&, IntArrayRef) { PENDING("flip"); }
Tensor gather(const Tensor&, int64_t, const Tensor&) { PENDING("gather"); }
Tensor index_select(const Tensor&, int64_t, const Tensor&) { PENDING("index_select"); }
Tensor masked_fill(const Tensor&, const Tensor&, Scalar) { PENDING("masked_fill"); }
Tensor masked_select(const Tensor&, const Tensor&) { PENDING("masked_select"); }
Tensor roll(const Tensor&, IntArrayRef, IntArrayRef) { PENDING("roll"); }
Tensor trace(const Tensor&) { PENDING("trace"); }
Tensor tril(const Tensor&, int64_t) { PENDING("tril"); }
Tensor triu(const Tensor&, int64_t) { PENDING("triu"); }
}  // namespace kiln
