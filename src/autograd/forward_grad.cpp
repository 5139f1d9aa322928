#include "autograd/forward_grad.h"

#include <vector>

#include "kiln/forward_ad.h"
#include "kiln/functions.h"

namespace kiln::autograd {
namespace forward {
namespace detail {
thread_local int depth = 0;
}
using detail::depth;
namespace {
// Tensors that got a tangent at the open level, cleared when it closes.
thread_local std::vector<Tensor>* tagged = nullptr;
}  // namespace

void set_tangent(const Tensor& t, const Tensor& tangent) {
  if (!active() || !tangent.defined()) return;
  meta(t).fw_grad = tangent;
  if (tagged) tagged->push_back(t);
}

Tensor tangent_or_zeros(const Tensor& t) {
  Tensor g = tangent(t);
  return g.defined() ? g : zeros_like(t);
}

}  // namespace forward

namespace forward_ad {

dual_level::dual_level() {
  KILN_CHECK(forward::detail::depth == 0, "dual_level: nested dual levels are not supported");
  ++forward::detail::depth;
  forward::tagged = new std::vector<Tensor>();
}

dual_level::~dual_level() {
  for (const Tensor& t : *forward::tagged)
    if (auto* m = meta_if(t)) m->fw_grad.reset();
  delete forward::tagged;
  forward::tagged = nullptr;
  --forward::detail::depth;
}

Tensor make_dual(const Tensor& primal, const Tensor& tangent) {
  KILN_CHECK(forward::active(), "make_dual: must be called inside a forward_ad::dual_level");
  KILN_CHECK(primal.sizes() == tangent.sizes(), "make_dual: expected primal and tangent of the same shape, got ",
             primal.sizes(), " and ", tangent.sizes());
  KILN_CHECK(is_floating_point(primal.dtype()), "make_dual: expected a floating-point primal, got ", primal.dtype());
  Tensor dual = primal.alias();
  forward::set_tangent(dual, tangent.to(primal.dtype()));
  return dual;
}

std::tuple<Tensor, Tensor> unpack_dual(const Tensor& t) {
  Tensor tangent = forward::tangent(t);
  Tensor primal = tangent.defined() ? t.alias() : t;
  if (tangent.defined()) meta(primal).fw_grad.reset();
  return {primal, tangent};
}

}  // namespace forward_ad
}  // namespace kiln::autograd
