// Element-wise ops and their derivatives: the pointwise part of kiln's
// derivative table. Each entry names the node, the kernel, and the partial
// derivative(s) as differentiable kiln expressions in (grad, inputs, result).
// For an element-wise op the forward-mode rule is the same partial applied to
// the tangent, so one formula serves both modes.
#include <cmath>
#include <numbers>

#include "autograd/forward_grad.h"
#include "autograd/record.h"
#include "core/promotion.h"
#include "core/tensor_impl.h"
#include "kernels/elementwise.h"
#include "kiln/functions.h"
#include "ops/ops.h"

namespace kiln {
namespace {

using autograd::BackwardArgs;
using autograd::any_needs_grad;
using kernels::Binary;
using kernels::Unary;
namespace fw = autograd::forward;

// ---------------------------------------------------------------- unary
// d(grad, x, result): the partial derivative applied to grad (or a tangent).
using UnaryPartial = Tensor (*)(const Tensor& g, const Tensor& x, const Tensor& r);
enum Uses { kX = 1, kResult = 2 };

struct UnaryRule {
  Unary op;
  const char* node;
  int uses;
  UnaryPartial d;
};

Tensor zeros_grad(const Tensor& g, const Tensor&, const Tensor&) { return zeros_like(g); }

// clang-format off
const UnaryRule unary_rules[] = {
  {Unary::Exp,        "ExpBackward0",        kResult, [](auto& g, auto&, auto& r) { return g * r; }},
  {Unary::Log,        "LogBackward0",        kX,      [](auto& g, auto& x, auto&) { return g / x; }},
  {Unary::Log1p,      "Log1PBackward0",      kX,      [](auto& g, auto& x, auto&) { return g / (x + 1); }},
  {Unary::Expm1,      "Expm1Backward0",      kResult, [](auto& g, auto&, auto& r) { return g * (r + 1); }},
  {Unary::Log2,       "Log2Backward0",       kX,      [](auto& g, auto& x, auto&) { return g / (x * std::numbers::ln2); }},
  {Unary::Log10,      "Log10Backward0",      kX,      [](auto& g, auto& x, auto&) { return g / (x * std::numbers::ln10); }},
  {Unary::Sqrt,       "SqrtBackward0",       kResult, [](auto& g, auto&, auto& r) { return g / (2 * r); }},
  {Unary::Rsqrt,      "RsqrtBackward0",      kResult, [](auto& g, auto&, auto& r) { return g * (-0.5 * r * r * r); }},
  {Unary::Sin,        "SinBackward0",        kX,      [](auto& g, auto& x, auto&) { return g * cos(x); }},
  {Unary::Cos,        "CosBackward0",        kX,      [](auto& g, auto& x, auto&) { return g * -sin(x); }},
  {Unary::Tan,        "TanBackward0",        kResult, [](auto& g, auto&, auto& r) { return g * (1 + r * r); }},
  {Unary::Asin,       "AsinBackward0",       kX,      [](auto& g, auto& x, auto&) { return g * rsqrt(1 - x * x); }},
  {Unary::Acos,       "AcosBackward0",       kX,      [](auto& g, auto& x, auto&) { return -g * rsqrt(1 - x * x); }},
  {Unary::Atan,       "AtanBackward0",       kX,      [](auto& g, auto& x, auto&) { return g / (1 + x * x); }},
  {Unary::Sinh,       "SinhBackward0",       kX,      [](auto& g, auto& x, auto&) { return g * cosh(x); }},
  {Unary::Cosh,       "CoshBackward0",       kX,      [](auto& g, auto& x, auto&) { return g * sinh(x); }},
  {Unary::Tanh,       "TanhBackward0",       kResult, [](auto& g, auto&, auto& r) { return g * (1 - r * r); }},
  {Unary::Sigmoid,    "SigmoidBackward0",    kResult, [](auto& g, auto&, auto& r) { return g * (r * (1 - r)); }},
  {Unary::Erf,        "ErfBackward0",        kX,      [](auto& g, auto& x, auto&) { return g * (std::numbers::inv_sqrtpi * 2 * exp(-(x * x))); }},
  {Unary::Erfc,       "ErfcBackward0",       kX,      [](auto& g, auto& x, auto&) { return g * (-std::numbers::inv_sqrtpi * 2 * exp(-(x * x))); }},
  {Unary::Lgamma,     "LgammaBackward0",     kX,      [](auto& g, auto& x, auto&) { return g * digamma(x); }},
  {Unary::Digamma,    "DigammaBackward0",    kX,      [](auto&, auto&, auto&) -> Tensor {
     KILN_CHECK(false, "digamma: the derivative (polygamma(1, x)) is not implemented"); }},
  {Unary::Reciprocal, "ReciprocalBackward0", kResult, [](auto& g, auto&, auto& r) { return g * -(r * r); }},
  {Unary::Softplus,   "SoftplusBackward0",   kX,      [](auto& g, auto& x, auto&) { return g * sigmoid(x); }},
  {Unary::Abs,        "AbsBackward0",        kX,      [](auto& g, auto& x, auto&) { return g * sign(x); }},
  {Unary::Neg,        "NegBackward0",        0,       [](auto& g, auto&, auto&) { return -g; }},
  {Unary::Sign,       "SignBackward0",       0,       zeros_grad},
  {Unary::Square,     "PowBackward0",        kX,      [](auto& g, auto& x, auto&) { return g * (2 * x); }},
  {Unary::Relu,       "ReluBackward0",       kResult, [](auto& g, auto&, auto& r) { return threshold_backward(g, r, 0); }},
  {Unary::Floor,      "FloorBackward0",      0,       zeros_grad},
  {Unary::Ceil,       "CeilBackward0",       0,       zeros_grad},
  {Unary::Round,      "RoundBackward0",      0,       zeros_grad},
  {Unary::Trunc,      "TruncBackward0",      0,       zeros_grad},
  {Unary::Frac,       "FracBackward0",       0,       [](auto& g, auto&, auto&) { return g; }},
};
// clang-format on

const UnaryRule& rule_of(Unary op) {
  for (const UnaryRule& r : unary_rules)
    if (r.op == op) return r;
  throw Error(std::string("no derivative rule for ") + kernels::name(op));
}

Tensor unary_op(Unary op, const Tensor& x) {
  Tensor r = kernels::unary(op, x);
  if (op >= Unary::IsNan || !is_floating_point(r.dtype())) return r;
  if (any_needs_grad(x)) {
    const UnaryRule& rule = rule_of(op);
    autograd::record({rule.node, {x}, (rule.uses & kX) ? std::initializer_list<Tensor>{x} : std::initializer_list<Tensor>{},
                      (rule.uses & kResult) != 0},
                     r, [d = rule.d, uses = rule.uses](const BackwardArgs& a) -> variable_list {
                       Tensor none;
                       return {d(a.grad(), (uses & kX) ? a.saved[0] : none, (uses & kResult) ? a.results[0] : none)};
                     });
  }
  if (fw::any_tangent(x)) {
    Tensor t = fw::tangent(x);
    fw::set_tangent(r, fw::unaliased(rule_of(op).d(t, fw::primal(x), r), t));
  }
  return r;
}

// ---------------------------------------------------------------- binary
using BinaryPartial = Tensor (*)(const Tensor& g, const Tensor& a, const Tensor& b, const Tensor& r);
enum BinaryUses { kA = 1, kB = 2, kR = 4 };

struct BinaryRule {
  Binary op;
  const char* node;
  int da_uses, db_uses;
  BinaryPartial da, db;
};

// Gradient of max/min: to the input that won, split evenly on ties.
Tensor winner_grad(const Tensor& g, const Tensor& self, const Tensor& other, bool is_max) {
  Tensor wins = is_max ? self > other : self < other;
  return g * (wins + (self == other) * 0.5);
}

// clang-format off
const BinaryRule binary_rules[] = {
  {Binary::Add, "AddBackward0", 0, 0,
   [](auto& g, auto&, auto&, auto&) { return g; },
   [](auto& g, auto&, auto&, auto&) { return g; }},
  {Binary::Sub, "SubBackward0", 0, 0,
   [](auto& g, auto&, auto&, auto&) { return g; },
   [](auto& g, auto&, auto&, auto&) { return -g; }},
  {Binary::Mul, "MulBackward0", kB, kA,
   [](auto& g, auto&, auto& b, auto&) { return g * b; },
   [](auto& g, auto& a, auto&, auto&) { return g * a; }},
  {Binary::Div, "DivBackward0", kB, kA | kB,
   [](auto& g, auto&, auto& b, auto&) { return g / b; },
   [](auto& g, auto& a, auto& b, auto&) { return -g * a / (b * b); }},
  {Binary::Pow, "PowBackward1", kA | kB, kA | kR,
   [](auto& g, auto& a, auto& b, auto&) { return where(b == 0, zeros_like(g), g * b * pow(a, b - 1)); },
   // d/db a^b = a^b log a, taken as 0 where a == 0 and b >= 0 (the limit).
   [](auto& g, auto& a, auto&, auto& r) { return where(a == 0, zeros_like(g), g * r * log(a)); }},
  {Binary::Maximum, "MaximumBackward0", kA | kB, kA | kB,
   [](auto& g, auto& a, auto& b, auto&) { return winner_grad(g, a, b, true); },
   [](auto& g, auto& a, auto& b, auto&) { return winner_grad(g, b, a, true); }},
  {Binary::Minimum, "MinimumBackward0", kA | kB, kA | kB,
   [](auto& g, auto& a, auto& b, auto&) { return winner_grad(g, a, b, false); },
   [](auto& g, auto& a, auto& b, auto&) { return winner_grad(g, b, a, false); }},
  {Binary::Atan2, "Atan2Backward0", kA | kB, kA | kB,
   [](auto& g, auto& a, auto& b, auto&) { return g * b / (a * a + b * b); },
   [](auto& g, auto& a, auto& b, auto&) { return g * -a / (a * a + b * b); }},
  {Binary::Fmod, "FmodBackward0", 0, kA | kB,
   [](auto& g, auto&, auto&, auto&) { return g; },
   [](auto& g, auto& a, auto& b, auto&) { return -g * trunc(a / b); }},
  {Binary::Remainder, "RemainderBackward0", 0, kA | kB,
   [](auto& g, auto&, auto&, auto&) { return g; },
   [](auto& g, auto& a, auto& b, auto&) { return -g * floor(a / b); }},
};
// clang-format on

const BinaryRule* binary_rule_of(Binary op) {
  for (const BinaryRule& r : binary_rules)
    if (r.op == op) return &r;
  return nullptr;
}

// alpha scales b (add and sub only), inside the kernel and in b's partial.
// `node` renames the rule's node (pow(Scalar, Tensor) is PowBackward2).
Tensor binary_op(Binary op, const Tensor& a, const Tensor& b, double alpha = 1, const char* node = nullptr) {
  Tensor r = kernels::binary(op, a, b, alpha);
  const BinaryRule* rule = binary_rule_of(op);
  if (!rule || !is_floating_point(r.dtype())) return r;
  if (any_needs_grad(a, b)) {
    bool need_a = autograd::needs_grad(a), need_b = autograd::needs_grad(b);
    // Save only what the partials that will run actually read.
    int uses = (need_a ? rule->da_uses : 0) | (need_b ? rule->db_uses : 0);
    Tensor none;
    autograd::record({node ? node : rule->node, {a, b}, {(uses & kA) ? a : none, (uses & kB) ? b : none},
                      (uses & kR) != 0},
                     r,
                     [rule, alpha](const BackwardArgs& g) -> variable_list {
                       const Tensor& r = g.results.empty() ? Tensor() : g.results[0];
                       Tensor db = g.needs_grad(1) ? rule->db(g.grad(), g.saved[0], g.saved[1], r) : Tensor();
                       return {g.needs_grad(0) ? rule->da(g.grad(), g.saved[0], g.saved[1], r) : Tensor(),
                               alpha == 1 || !db.defined() ? db : db * alpha};
                     });
  }
  if (fw::any_tangent(a, b)) {
    Tensor ta = fw::tangent(a), tb = fw::tangent(b), t;
    Tensor ap = fw::primal(a), bp = fw::primal(b);
    if (ta.defined()) t = rule->da(ta, ap, bp, r);
    if (tb.defined()) {
      Tensor db = alpha == 1 ? rule->db(tb, ap, bp, r) : rule->db(tb, ap, bp, r) * alpha;
      t = t.defined() ? t + db : db;
    }
    fw::set_tangent(r, fw::unaliased(t, ta, tb));
  }
  return r;
}

Tensor wrap(Scalar s) { return core::wrap_scalar(s); }

// ---------------------------------------------------------------- a Scalar operand
// add/sub/mul/div with a Scalar keep the number in the node, not a tensor:
// self's partial is a constant factor. The nodes have the names PyTorch
// prints (MulBackward0: Python wraps the number in a tensor, and the API's
// repr of 2 * dot(x, x) is grad_fn=<MulBackward0>); libtorch's C++ overloads
// would say MulBackward1.
struct ConstantPartial {
  Binary op;  // Mul or Div: how grad meets the constant (g / s is not g * (1 / s) to the last ulp)
  double s;
  Tensor operator()(const Tensor& g) const { return op == Binary::Div ? g / s : s == 1 ? g : g * s; }
};

Tensor with_constant_partial(const char* node, Tensor r, const Tensor& self, ConstantPartial d) {
  if (!is_floating_point(r.dtype())) return r;
  if (any_needs_grad(self))
    autograd::record({node, {self}}, r, [d](const BackwardArgs& g) -> variable_list { return {d(g.grad())}; });
  if (fw::any_tangent(self)) {
    Tensor t = fw::tangent(self);
    fw::set_tangent(r, fw::unaliased(d(t), t));
  }
  return r;
}

// self + alpha * other or, flipped, other - alpha * self (rsub).
Tensor add_scalar(const char* node, Binary op, const Tensor& self, Scalar other, Scalar alpha, bool flipped = false) {
  Tensor b = wrap(other);
  const Tensor& x = flipped ? b : self;
  const Tensor& y = flipped ? self : b;
  ops::check_alpha(op, x, y, alpha);
  return with_constant_partial(node, kernels::binary(op, x, y, alpha.to_double()), self,
                               {Binary::Mul, flipped ? -alpha.to_double() : 1.0});
}

}  // namespace

namespace ops {
// Shared with the in-place methods in core/tensor_methods.cpp.
Tensor unary(Unary op, const Tensor& x) { return unary_op(op, x); }
void check_alpha(Binary op, const Tensor& a, const Tensor& b, Scalar alpha) {
  if (alpha.type() == kInt64) return;  // fits every dtype
  ScalarType t = core::result_type({&a, &b});
  KILN_CHECK(!(is_integral(t, true) && alpha.type() == kFloat64), kernels::name(op),
             ": For integral input tensors, argument alpha must not be a floating point number.");
  KILN_CHECK(t == kBool || alpha.type() != kBool, kernels::name(op),
             ": Boolean alpha only supported for Boolean results.");
}
Tensor binary(Binary op, const Tensor& a, const Tensor& b, Scalar alpha) {
  if (op != Binary::Add && op != Binary::Sub) return binary_op(op, a, b);
  check_alpha(op, a, b, alpha);
  return binary_op(op, a, b, alpha.to_double());
}
}  // namespace ops

// ---------------------------------------------------------------- public API
#define KILN_DEFINE_UNARY(fn, op) \
  Tensor fn(const Tensor& t) { return unary_op(Unary::op, t); }
KILN_DEFINE_UNARY(exp, Exp)
KILN_DEFINE_UNARY(log, Log)
KILN_DEFINE_UNARY(log1p, Log1p)
KILN_DEFINE_UNARY(expm1, Expm1)
KILN_DEFINE_UNARY(log2, Log2)
KILN_DEFINE_UNARY(log10, Log10)
KILN_DEFINE_UNARY(sqrt, Sqrt)
KILN_DEFINE_UNARY(rsqrt, Rsqrt)
KILN_DEFINE_UNARY(sin, Sin)
KILN_DEFINE_UNARY(cos, Cos)
KILN_DEFINE_UNARY(tan, Tan)
KILN_DEFINE_UNARY(asin, Asin)
KILN_DEFINE_UNARY(acos, Acos)
KILN_DEFINE_UNARY(atan, Atan)
KILN_DEFINE_UNARY(sinh, Sinh)
KILN_DEFINE_UNARY(cosh, Cosh)
KILN_DEFINE_UNARY(tanh, Tanh)
KILN_DEFINE_UNARY(sigmoid, Sigmoid)
KILN_DEFINE_UNARY(erf, Erf)
KILN_DEFINE_UNARY(erfc, Erfc)
KILN_DEFINE_UNARY(lgamma, Lgamma)
KILN_DEFINE_UNARY(digamma, Digamma)
KILN_DEFINE_UNARY(reciprocal, Reciprocal)
KILN_DEFINE_UNARY(softplus, Softplus)
KILN_DEFINE_UNARY(abs, Abs)
KILN_DEFINE_UNARY(neg, Neg)
KILN_DEFINE_UNARY(sign, Sign)
KILN_DEFINE_UNARY(square, Square)
KILN_DEFINE_UNARY(relu, Relu)
KILN_DEFINE_UNARY(floor, Floor)
KILN_DEFINE_UNARY(ceil, Ceil)
KILN_DEFINE_UNARY(round, Round)
KILN_DEFINE_UNARY(trunc, Trunc)
KILN_DEFINE_UNARY(frac, Frac)
KILN_DEFINE_UNARY(isnan, IsNan)
KILN_DEFINE_UNARY(isinf, IsInf)
KILN_DEFINE_UNARY(isfinite, IsFinite)
KILN_DEFINE_UNARY(logical_not, LogicalNot)
#undef KILN_DEFINE_UNARY

Tensor add(const Tensor& a, const Tensor& b, Scalar alpha) { return ops::binary(Binary::Add, a, b, alpha); }
Tensor add(const Tensor& a, Scalar b, Scalar alpha) { return add_scalar("AddBackward0", Binary::Add, a, b, alpha); }
Tensor sub(const Tensor& a, const Tensor& b, Scalar alpha) { return ops::binary(Binary::Sub, a, b, alpha); }
Tensor sub(const Tensor& a, Scalar b, Scalar alpha) { return add_scalar("SubBackward0", Binary::Sub, a, b, alpha); }
Tensor rsub(const Tensor& a, Scalar b, Scalar alpha) {
  return add_scalar("RsubBackward1", Binary::Sub, a, b, alpha, /*flipped=*/true);
}
Tensor mul(const Tensor& a, const Tensor& b) { return binary_op(Binary::Mul, a, b); }
Tensor mul(const Tensor& a, Scalar b) {
  return with_constant_partial("MulBackward0", kernels::binary(Binary::Mul, a, wrap(b)), a, {Binary::Mul, b.to_double()});
}
Tensor div(const Tensor& a, const Tensor& b) { return binary_op(Binary::Div, a, b); }
Tensor div(const Tensor& a, Scalar b) {
  return with_constant_partial("DivBackward0", kernels::binary(Binary::Div, a, wrap(b)), a, {Binary::Div, b.to_double()});
}
Tensor true_divide(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor maximum(const Tensor& a, const Tensor& b) { return binary_op(Binary::Maximum, a, b); }
Tensor minimum(const Tensor& a, const Tensor& b) { return binary_op(Binary::Minimum, a, b); }
Tensor atan2(const Tensor& a, const Tensor& b) { return binary_op(Binary::Atan2, a, b); }
Tensor fmod(const Tensor& a, Scalar b) { return binary_op(Binary::Fmod, a, wrap(b)); }
Tensor remainder(const Tensor& a, Scalar b) { return binary_op(Binary::Remainder, a, wrap(b)); }

Tensor pow(const Tensor& a, const Tensor& exponent) { return binary_op(Binary::Pow, a, exponent); }
Tensor pow(Scalar a, const Tensor& exponent) { return binary_op(Binary::Pow, wrap(a), exponent, 1, "PowBackward2"); }
Tensor pow(const Tensor& a, Scalar exponent) {
  // A scalar exponent has its own node, as in PyTorch (PowBackward0).
  Tensor r = kernels::binary(Binary::Pow, a, wrap(exponent));
  if (!is_floating_point(r.dtype())) return r;
  double e = exponent.to_double();
  auto d = [e](const Tensor& g, const Tensor& x) { return e == 0 ? zeros_like(g) : g * (e * pow(x, e - 1)); };
  if (any_needs_grad(a))
    autograd::record({"PowBackward0", {a}, {a}}, r, [d](const BackwardArgs& g) -> variable_list {
      return {d(g.grad(), g.saved[0])};
    });
  if (fw::any_tangent(a)) fw::set_tangent(r, d(fw::tangent(a), fw::primal(a)));
  return r;
}

#define KILN_DEFINE_COMPARISON(fn, op)                                                       \
  Tensor fn(const Tensor& a, const Tensor& b) { return kernels::binary(Binary::op, a, b); } \
  Tensor fn(const Tensor& a, Scalar b) { return kernels::binary(Binary::op, a, wrap(b)); }
KILN_DEFINE_COMPARISON(eq, Eq)
KILN_DEFINE_COMPARISON(ne, Ne)
KILN_DEFINE_COMPARISON(lt, Lt)
KILN_DEFINE_COMPARISON(le, Le)
KILN_DEFINE_COMPARISON(gt, Gt)
KILN_DEFINE_COMPARISON(ge, Ge)
#undef KILN_DEFINE_COMPARISON
Tensor logical_and(const Tensor& a, const Tensor& b) { return kernels::binary(Binary::LogicalAnd, a, b); }
Tensor logical_or(const Tensor& a, const Tensor& b) { return kernels::binary(Binary::LogicalOr, a, b); }
Tensor logical_xor(const Tensor& a, const Tensor& b) { return kernels::binary(Binary::LogicalXor, a, b); }

Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
  Tensor r = kernels::where(condition, a, b);
  if (!is_floating_point(r.dtype())) return r;
  if (any_needs_grad(a, b))
    autograd::record({"WhereBackward0", {a, b}, {condition}}, r, [](const BackwardArgs& g) -> variable_list {
      const Tensor& c = g.saved[0];
      Tensor zero = zeros({}, g.grad().dtype());
      return {g.needs_grad(0) ? where(c, g.grad(), zero) : Tensor(),
              g.needs_grad(1) ? where(c, zero, g.grad()) : Tensor()};
    });
  if (fw::any_tangent(a, b)) fw::set_tangent(r, where(condition, fw::tangent_or_zeros(a), fw::tangent_or_zeros(b)));
  return r;
}
Tensor where(const Tensor& c, const Tensor& a, Scalar b) { return where(c, a, wrap(b)); }
Tensor where(const Tensor& c, Scalar a, const Tensor& b) { return where(c, wrap(a), b); }
Tensor where(const Tensor& c, Scalar a, Scalar b) { return where(c, wrap(a), wrap(b)); }

Tensor threshold_backward(const Tensor& grad_output, const Tensor& self, Scalar threshold) {
  double th = threshold.to_double();
  Tensor r = kernels::threshold_backward(grad_output, self, th);
  if (!is_floating_point(r.dtype())) return r;
  // Linear in grad_output; piecewise constant in self (zero derivative).
  if (any_needs_grad(grad_output, self))
    autograd::record({"ThresholdBackwardBackward0", {grad_output, self}, {self}}, r,
                     [th](const BackwardArgs& g) -> variable_list {
                       return {g.needs_grad(0) ? threshold_backward(g.grad(), g.saved[0], th) : Tensor(),
                               g.needs_grad(1) ? zeros_like(g.saved[0]) : Tensor()};
                     });
  if (fw::any_tangent(grad_output))
    fw::set_tangent(r, threshold_backward(fw::tangent(grad_output), fw::primal(self), th));
  return r;
}

Tensor clamp(const Tensor& t, const std::optional<Tensor>& min, const std::optional<Tensor>& max) {
  Tensor lo = min.value_or(Tensor()), hi = max.value_or(Tensor());
  Tensor r = kernels::clamp(t, lo, hi);
  if (!is_floating_point(r.dtype())) return r;
  // The gradient goes to whichever of x, min, max the output took: x where
  // it was inside the bounds, a bound where that bound bit.
  struct Routes {
    Tensor x, lo, hi;
  };
  auto route = [](const Tensor& x, const Tensor& l, const Tensor& h) {
    Tensor below = l.defined() ? x < l : Tensor();
    Tensor above = h.defined() ? (below.defined() ? where(below, l, x) : x) > h : Tensor();
    if (above.defined() && below.defined()) below = logical_and(below, logical_not(above));  // max wins
    Tensor inside = ones_like(x, kBool);
    if (below.defined()) inside = logical_and(inside, logical_not(below));
    if (above.defined()) inside = logical_and(inside, logical_not(above));
    return Routes{inside, below, above};
  };
  if (any_needs_grad(t, lo, hi))
    autograd::record({"ClampBackward1", {t, lo, hi}, {t, lo, hi}}, r, [route](const BackwardArgs& g) -> variable_list {
      Routes m = route(g.saved[0], g.saved[1], g.saved[2]);
      return {g.needs_grad(0) ? g.grad() * m.x : Tensor(), g.needs_grad(1) ? g.grad() * m.lo : Tensor(),
              g.needs_grad(2) ? g.grad() * m.hi : Tensor()};
    });
  if (fw::any_tangent(t, lo, hi)) {
    Routes m = route(fw::primal(t), fw::primal(lo), fw::primal(hi));
    Tensor tangent = fw::tangent_or_zeros(t) * m.x;
    if (lo.defined() && fw::tangent(lo).defined()) tangent = tangent + fw::tangent(lo) * m.lo;
    if (hi.defined() && fw::tangent(hi).defined()) tangent = tangent + fw::tangent(hi) * m.hi;
    fw::set_tangent(r, tangent);
  }
  return r;
}
Tensor clamp(const Tensor& t, std::optional<Scalar> min, std::optional<Scalar> max) {
  return clamp(t, min ? std::optional<Tensor>(wrap(*min)) : std::nullopt,
               max ? std::optional<Tensor>(wrap(*max)) : std::nullopt);
}
Tensor clamp_min(const Tensor& t, Scalar min) { return clamp(t, min, std::nullopt); }
Tensor clamp_max(const Tensor& t, Scalar max) { return clamp(t, std::nullopt, max); }

Tensor lerp(const Tensor& start, const Tensor& end, Scalar weight) { return start + (end - start) * weight; }
Tensor xlogy(const Tensor& x, const Tensor& y) { return where(x == 0, zeros({}, result_type(x, y)), x * log(y)); }

ScalarType result_type(const Tensor& a, const Tensor& b) { return core::result_type({&a, &b}); }
ScalarType result_type(const Tensor& a, Scalar b) {
  Tensor w = wrap(b);
  return core::result_type({&a, &w});
}

// ---------------------------------------------------------------- operators
Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
Tensor operator+(const Tensor& a, Scalar b) { return add(a, b); }
Tensor operator+(Scalar a, const Tensor& b) { return add(b, a); }  // as libtorch: b.add(a)
Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
Tensor operator-(const Tensor& a, Scalar b) { return sub(a, b); }
// As libtorch: a number on the left of - and / is first cast to b's dtype
// (empty_like(b).fill_(a)), so 2.5 - int64 is int64 and 2 / int64 is an error.
Tensor operator-(Scalar a, const Tensor& b) { return sub(full_like(b, a), b); }
Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor operator*(const Tensor& a, Scalar b) { return mul(a, b); }
Tensor operator*(Scalar a, const Tensor& b) { return mul(b, a); }
Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor operator/(const Tensor& a, Scalar b) { return div(a, b); }
Tensor operator/(Scalar a, const Tensor& b) {
  Tensor r = full_like(b, a);
  return r.div_(b);
}
Tensor operator-(const Tensor& a) { return neg(a); }
Tensor operator==(const Tensor& a, const Tensor& b) { return eq(a, b); }
Tensor operator==(const Tensor& a, Scalar b) { return eq(a, b); }
Tensor operator!=(const Tensor& a, const Tensor& b) { return ne(a, b); }
Tensor operator!=(const Tensor& a, Scalar b) { return ne(a, b); }
Tensor operator<(const Tensor& a, const Tensor& b) { return lt(a, b); }
Tensor operator<(const Tensor& a, Scalar b) { return lt(a, b); }
Tensor operator<=(const Tensor& a, const Tensor& b) { return le(a, b); }
Tensor operator<=(const Tensor& a, Scalar b) { return le(a, b); }
Tensor operator>(const Tensor& a, const Tensor& b) { return gt(a, b); }
Tensor operator>(const Tensor& a, Scalar b) { return gt(a, b); }
Tensor operator>=(const Tensor& a, const Tensor& b) { return ge(a, b); }
Tensor operator>=(const Tensor& a, Scalar b) { return ge(a, b); }
Tensor operator&&(const Tensor& a, const Tensor& b) { return logical_and(a, b); }
Tensor operator||(const Tensor& a, const Tensor& b) { return logical_or(a, b); }
Tensor operator!(const Tensor& a) { return logical_not(a); }
Tensor operator~(const Tensor& a) {
  KILN_CHECK(a.dtype() == kBool, "bitwise_not: only implemented for bool tensors in kiln, got ", a.dtype());
  return logical_not(a);
}

}  // namespace kiln
