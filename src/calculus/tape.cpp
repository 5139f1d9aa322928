#include "kiln/tape.h"

#include "calculus/jacobian.h"
#include "kiln/autograd.h"
#include "kiln/functions.h"

namespace kiln {
namespace {
thread_local int live_tapes = 0;
}  // namespace

GradientTape::GradientTape(bool persistent) : persistent_(persistent), nested_(live_tapes > 0) { ++live_tapes; }

GradientTape::~GradientTape() {
  --live_tapes;
  for (Tensor& t : switched_on_)
    if (t.is_leaf()) t.requires_grad_(false);
}

void GradientTape::watch(const Tensor& t) {
  KILN_CHECK(t.defined(), "GradientTape.watch: got an undefined tensor");
  KILN_CHECK(t.is_floating_point(), "GradientTape.watch: only floating-point tensors can be watched (got ", t.dtype(),
             ")");
  watched_.push_back(t);
  if (!t.requires_grad()) {
    Tensor leaf = t;
    leaf.requires_grad_(true);
    switched_on_.push_back(leaf);
  }
}

void GradientTape::watch(const std::vector<Tensor>& ts) {
  for (const Tensor& t : ts) watch(t);
}

void GradientTape::use(const char* op) {
  KILN_CHECK(persistent_ || !used_, "GradientTape.", op,
             ": a non-persistent GradientTape can only be used to compute one set of gradients (or jacobians); "
             "create it with GradientTape(/*persistent=*/true) to call it more than once");
  used_ = true;
}

std::vector<Tensor> GradientTape::gradient(const Tensor& target, const std::vector<Tensor>& sources,
                                           const Tensor& output_gradients) {
  use("gradient");
  KILN_CHECK(target.defined(), "GradientTape.gradient: got an undefined target");
  if (output_gradients.defined())
    KILN_CHECK(output_gradients.sizes() == target.sizes(), "GradientTape.gradient: output_gradients has shape ",
               output_gradients.sizes(), " but the target has shape ", target.sizes());
  std::vector<Tensor> result(sources.size());
  if (!target.requires_grad()) return result;
  // Sources nothing can flow to (not watched, not requiring grad) stay None.
  variable_list inputs;
  std::vector<size_t> where;
  for (size_t i = 0; i < sources.size(); ++i) {
    KILN_CHECK(sources[i].defined(), "GradientTape.gradient: source ", i, " is undefined");
    if (sources[i].requires_grad()) {
      inputs.push_back(sources[i]);
      where.push_back(i);
    }
  }
  if (inputs.empty()) return result;
  Tensor seed = output_gradients.defined() ? output_gradients.to(target.dtype()) : ones_like(target);
  variable_list g = autograd::grad({target}, inputs, {seed}, /*retain_graph=*/persistent_ || nested_,
                                   /*create_graph=*/nested_, /*allow_unused=*/true);
  for (size_t k = 0; k < g.size(); ++k) result[where[k]] = g[k];
  return result;
}

Tensor GradientTape::gradient(const Tensor& target, const Tensor& source, const Tensor& output_gradients) {
  return gradient(target, std::vector<Tensor>{source}, output_gradients)[0];
}

Tensor GradientTape::jacobian(const Tensor& target, const Tensor& source) {
  use("jacobian");
  KILN_CHECK(target.defined() && source.defined(), "GradientTape.jacobian: got an undefined tensor");
  if (!target.requires_grad() || !source.requires_grad()) return Tensor();
  // One backward pass per target element: the graph must outlive them all.
  Tensor j = autograd::jacobian_from_graph(target, source, /*create_graph=*/nested_, /*strict=*/false,
                                           "GradientTape.jacobian");
  return nested_ ? j : j.detach();
}

Tensor stop_gradient(const Tensor& t) { return t.detach(); }

}  // namespace kiln
