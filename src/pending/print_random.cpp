// TEMPORARY: placeholders until src/core/print.cpp and src/random/ land. Delete this file then.
#include <ostream>
#include "kiln/functions.h"
namespace kiln {
#define PENDING(op) throw Error(op ": not implemented yet")
std::ostream& operator<<(std::ostream&, const Tensor&) { PENDING("operator<<"); }
Tensor rand(IntArrayRef, const TensorOptions&) { PENDING("rand"); }
Tensor randn(IntArrayRef, const TensorOptions&) { PENDING("randn"); }
}  // namespace kiln
