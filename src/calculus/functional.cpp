// torch.autograd.functional over kiln's engine: each entry point runs f on a
// fresh leaf, then reads derivatives off the recorded graph (reverse mode)
// or off a dual tensor's tangent (jvp, forward mode).
#include "kiln/functional.h"

#include "calculus/jacobian.h"
#include "kiln/autograd.h"
#include "kiln/forward_ad.h"
#include "kiln/functions.h"

namespace kiln::autograd::functional {
namespace {

// The tensor f is called with: connected to x's own graph only when the
// caller wants differentiable results and x has a history to connect to.
Tensor prepare(const Tensor& x, bool create_graph, const char* op) {
  KILN_CHECK(x.defined(), op, ": got an undefined input");
  KILN_CHECK(x.is_floating_point(), op, ": expected a floating-point input, got ", x.dtype());
  if (create_graph && x.requires_grad()) return x.view_as(x);
  return x.detach().requires_grad_(true);
}

Tensor finish(const Tensor& t, bool create_graph) { return create_graph ? t : t.detach(); }

Tensor call(const TensorFn& f, const Tensor& x, const char* op) {
  Tensor out = f(x);
  KILN_CHECK(out.defined(), op, ": the function returned an undefined tensor");
  return out;
}

// The vector for a product, defaulting to ones where torch allows None.
Tensor vector_for(const std::optional<Tensor>& v, const Tensor& like, const char* op, const char* what) {
  if (!v || !v->defined()) {
    KILN_CHECK(like.numel() == 1, op, ": the vector v can only be omitted if the ", what,
               " has a single element (got shape ", like.sizes(), ")");
    return ones_like(like);
  }
  KILN_CHECK(v->sizes() == like.sizes(), op, ": v has shape ", v->sizes(), " but the ", what, " has shape ",
             like.sizes());
  return v->to(like.dtype());
}

// d out / d x contracted with v, or zeros (an error when strict) if out does
// not depend on x.
Tensor vector_jacobian(const Tensor& out, const Tensor& x, const Tensor& v, bool retain, bool create_graph,
                       bool strict, const char* op) {
  Tensor g = out.requires_grad() ? grad({out}, {x}, {v}, retain, create_graph, /*allow_unused=*/true)[0] : Tensor();
  if (g.defined()) return g;
  KILN_CHECK(!strict, op, ": the output of the user-provided function is independent of the input. This is not "
             "allowed in strict mode.");
  return zeros_like(x);
}

Tensor scalar_output(const TensorFn& f, const Tensor& xp, const char* op) {
  Tensor out = call(f, xp, op);
  KILN_CHECK(out.numel() == 1, op, ": the function given to ", op,
             " should return a Tensor with a single element (got shape ", out.sizes(), ")");
  return out;
}

// (f(x), vᵀ H): the gradient with a graph, then its vector-Jacobian product.
std::tuple<Tensor, Tensor> second_order(const TensorFn& f, const Tensor& x, const std::optional<Tensor>& v,
                                        bool create_graph, bool strict, const char* op) {
  EnableGradGuard grad_mode;
  Tensor xp = prepare(x, create_graph, op);
  Tensor vec = vector_for(v, xp, op, "input");
  Tensor out = scalar_output(f, xp, op);
  Tensor g = vector_jacobian(out, xp, ones_like(out), true, /*create_graph=*/true, strict, op);
  Tensor hv = vector_jacobian(g, xp, vec, create_graph, create_graph, strict, op);
  return {finish(out, create_graph), finish(hv, create_graph)};
}

}  // namespace

Tensor jacobian(const TensorFn& f, const Tensor& x, bool create_graph, bool strict) {
  EnableGradGuard grad_mode;
  Tensor xp = prepare(x, create_graph, "jacobian");
  Tensor out = call(f, xp, "jacobian");
  return finish(jacobian_from_graph(out, xp, create_graph, strict, "jacobian"), create_graph);
}

Tensor hessian(const TensorFn& f, const Tensor& x, bool create_graph, bool strict) {
  EnableGradGuard grad_mode;
  Tensor xp = prepare(x, create_graph, "hessian");
  Tensor out = scalar_output(f, xp, "hessian");
  Tensor g = vector_jacobian(out, xp, ones_like(out), true, /*create_graph=*/true, strict, "hessian");
  return finish(jacobian_from_graph(g, xp, create_graph, strict, "hessian"), create_graph);
}

std::tuple<Tensor, Tensor> vjp(const TensorFn& f, const Tensor& x, const std::optional<Tensor>& v, bool create_graph,
                               bool strict) {
  EnableGradGuard grad_mode;
  Tensor xp = prepare(x, create_graph, "vjp");
  Tensor out = call(f, xp, "vjp");
  Tensor vec = vector_for(v, out, "vjp", "output");
  Tensor g = vector_jacobian(out, xp, vec, create_graph, create_graph, strict, "vjp");
  return {finish(out, create_graph), finish(g, create_graph)};
}

std::tuple<Tensor, Tensor> jvp(const TensorFn& f, const Tensor& x, const std::optional<Tensor>& v, bool create_graph,
                               bool strict) {
  KILN_CHECK(x.defined() && x.is_floating_point(), "jvp: expected a floating-point input");
  Tensor vec = vector_for(v, x, "jvp", "input");
  Tensor primal, tangent;
  {
    forward_ad::dual_level level;
    Tensor xp = create_graph ? x : x.detach();
    Tensor out = call(f, forward_ad::make_dual(xp, vec), "jvp");
    std::tie(primal, tangent) = forward_ad::unpack_dual(out);
  }
  if (!tangent.defined()) {
    KILN_CHECK(!strict, "jvp: the output of the user-provided function is independent of the input. This is not "
               "allowed in strict mode.");
    tangent = zeros_like(primal);
  }
  return {finish(primal, create_graph), finish(tangent, create_graph)};
}

std::tuple<Tensor, Tensor> hvp(const TensorFn& f, const Tensor& x, const std::optional<Tensor>& v, bool create_graph,
                               bool strict) {
  // H is symmetric for the twice continuously differentiable functions
  // hvp is meant for, so H v = (vᵀ H)ᵀ: one double backward.
  return second_order(f, x, v, create_graph, strict, "hvp");
}

std::tuple<Tensor, Tensor> vhp(const TensorFn& f, const Tensor& x, const std::optional<Tensor>& v, bool create_graph,
                               bool strict) {
  return second_order(f, x, v, create_graph, strict, "vhp");
}

}  // namespace kiln::autograd::functional
