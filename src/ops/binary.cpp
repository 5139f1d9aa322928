// Element-wise binary ops, with their derivatives, and the operators.
// A binary op's derivative is a partial per operand: da(g, a, b, r) and
// db(g, a, b, r), g times d op/da (d op/db) at (a, b), where r = op(a, b).
// The backward applies each to the gradient; forward mode sums them applied
// to the operands' tangents.
#include <cmath>
#include <utility>

#include "autograd/derivative.h"
#include "core/promotion.h"
#include "core/tensor_impl.h"
#include "kernels/elementwise.h"
#include "kiln/functions.h"
#include "ops/ops.h"

namespace kiln {
namespace {

using autograd::BackwardArgs;
using autograd::ForwardArgs;
using autograd::Grads;
using kernels::Binary;

// What a partial reads besides g.
enum Reads { kA = 1, kB = 2, kR = 4 };

// `alpha` scales b (add and sub only), inside the kernel and in b's partial.
template <class Da, class Db>
Tensor pointwise(Binary op, const Tensor& a, const Tensor& b, const char* node, int da_reads, int db_reads, Da da,
                 Db db, double alpha = 1) {
  // Save only what the partials that will run read.
  int reads = (autograd::needs_grad(a) ? da_reads : 0) | (autograd::needs_grad(b) ? db_reads : 0);
  Tensor none;
  return autograd::differentiable(
      kernels::binary(op, a, b, alpha), {node, {a, b}, {(reads & kA) ? a : none, (reads & kB) ? b : none}, (reads & kR) != 0},
      [da, db, alpha](const BackwardArgs& g) -> Grads {
        const Tensor& r = g.results.empty() ? Tensor() : g.results[0];
        Tensor gb = g.needs_grad(1) ? db(g.grad(), g.saved[0], g.saved[1], r) : Tensor();
        return {g.needs_grad(0) ? da(g.grad(), g.saved[0], g.saved[1], r) : Tensor(),
                alpha == 1 || !gb.defined() ? gb : gb * alpha};
      },
      [da, db, alpha](const ForwardArgs& f) {
        Tensor t;
        if (f.tangent(0).defined()) t = da(f.tangent(0), f.primal(0), f.primal(1), f.result);
        if (f.tangent(1).defined()) {
          Tensor tb = db(f.tangent(1), f.primal(0), f.primal(1), f.result);
          if (alpha != 1) tb = tb * alpha;
          t = t.defined() ? t + tb : tb;
        }
        return t;
      });
}

Tensor identity(const Tensor& g, const Tensor&, const Tensor&, const Tensor&) { return g; }
Tensor negated(const Tensor& g, const Tensor&, const Tensor&, const Tensor&) { return -g; }

// Gradient of max/min: to the operand that won, split evenly on ties.
Tensor winner_grad(const Tensor& g, const Tensor& self, const Tensor& other, bool is_max) {
  Tensor wins = is_max ? self > other : self < other;
  return g * (wins + (self == other) * 0.5);
}

Tensor wrap(Scalar s) { return core::wrap_scalar(s); }

// add/sub/mul/div with a C++ number keep the number in the node, not a
// tensor: self's partial is a constant factor. The nodes have the names
// PyTorch prints (MulBackward0: Python wraps the number in a tensor, and the
// API's repr of 2 * dot(x, x) is grad_fn=<MulBackward0>); libtorch's C++
// overloads would say MulBackward1.
struct ConstantPartial {
  Binary op;  // mul or div: how g meets the constant (g / s is not g * (1 / s) to the last ulp)
  double s;
  Tensor operator()(const Tensor& g) const { return op == Binary::div ? g / s : s == 1 ? g : g * s; }
};

Tensor with_constant_partial(const char* node, const Tensor& r, const Tensor& self, ConstantPartial d) {
  return autograd::differentiable(
      r, {node, {self}}, [d](const BackwardArgs& g) -> Grads { return {d(g.grad())}; },
      [d](const ForwardArgs& f) { return d(f.tangent()); });
}

// self + alpha * other.
Tensor add_scalar(const char* node, Binary op, const Tensor& self, Scalar other, Scalar alpha) {
  ops::check_alpha(op, core::result_type(self, other), alpha);
  return with_constant_partial(node, kernels::binary(op, self, other, alpha.to_double()), self, {Binary::mul, 1.0});
}

Tensor add_impl(Binary op, const char* node, const Tensor& a, const Tensor& b, Scalar alpha) {
  ops::check_alpha(op, core::result_type({&a, &b}), alpha);
  return pointwise(op, a, b, node, 0, 0, identity, op == Binary::add ? identity : negated, alpha.to_double());
}

}  // namespace

namespace ops {
void check_alpha(Binary op, ScalarType t, Scalar alpha) {
  if (alpha.type() == kInt64) return;  // fits every dtype
  KILN_CHECK(!(is_integral(t, true) && alpha.type() == kFloat64), kernels::name(op),
             ": For integral input tensors, argument alpha must not be a floating point number.");
  KILN_CHECK(t == kBool || alpha.type() != kBool, kernels::name(op),
             ": Boolean alpha only supported for Boolean results.");
}
}  // namespace ops

// ---------------------------------------------------------------- arithmetic
Tensor add(const Tensor& a, const Tensor& b, Scalar alpha) { return add_impl(Binary::add, "AddBackward0", a, b, alpha); }
Tensor sub(const Tensor& a, const Tensor& b, Scalar alpha) { return add_impl(Binary::sub, "SubBackward0", a, b, alpha); }
Tensor add(const Tensor& a, Scalar b, Scalar alpha) { return add_scalar("AddBackward0", Binary::add, a, b, alpha); }
Tensor sub(const Tensor& a, Scalar b, Scalar alpha) { return add_scalar("SubBackward0", Binary::sub, a, b, alpha); }
// b - alpha * a.
Tensor rsub(const Tensor& a, Scalar b, Scalar alpha) {
  Tensor number = wrap(b);
  ops::check_alpha(Binary::sub, core::result_type({&number, &a}), alpha);
  return with_constant_partial("RsubBackward1", kernels::binary(Binary::sub, number, a, alpha.to_double()), a,
                               {Binary::mul, -alpha.to_double()});
}
Tensor mul(const Tensor& a, const Tensor& b) {
  return pointwise(
      Binary::mul, a, b, "MulBackward0", kB, kA, [](auto& g, auto&, auto& b, auto&) { return g * b; },
      [](auto& g, auto& a, auto&, auto&) { return g * a; });
}
Tensor mul(const Tensor& a, Scalar b) {
  return with_constant_partial("MulBackward0", kernels::binary(Binary::mul, a, b), a, {Binary::mul, b.to_double()});
}
Tensor div(const Tensor& a, const Tensor& b) {
  return pointwise(
      Binary::div, a, b, "DivBackward0", kB, kA | kB, [](auto& g, auto&, auto& b, auto&) { return g / b; },
      [](auto& g, auto& a, auto& b, auto&) { return -g * a / (b * b); });
}
Tensor div(const Tensor& a, Scalar b) {
  return with_constant_partial("DivBackward0", kernels::binary(Binary::div, a, b), a, {Binary::div, b.to_double()});
}
Tensor true_divide(const Tensor& a, const Tensor& b) { return div(a, b); }

namespace {
// a^b: d/da = b a^(b-1) (0 where b == 0); d/db = a^b log a, taken as 0 where
// a == 0 (the limit for b >= 0). `node` names the node (pow(Scalar, Tensor)
// is PowBackward2).
Tensor pow_impl(const Tensor& a, const Tensor& b, const char* node) {
  return pointwise(
      Binary::pow, a, b, node, kA | kB, kA | kR,
      [](auto& g, auto& a, auto& b, auto&) { return where(b == 0, zeros_like(g), g * b * pow(a, b - 1)); },
      [](auto& g, auto& a, auto&, auto& r) { return where(a == 0, zeros_like(g), g * r * log(a)); });
}
}  // namespace
Tensor pow(const Tensor& a, const Tensor& exponent) { return pow_impl(a, exponent, "PowBackward1"); }
Tensor pow(Scalar a, const Tensor& exponent) { return pow_impl(wrap(a), exponent, "PowBackward2"); }
Tensor pow(const Tensor& a, Scalar exponent) {
  // A scalar exponent has its own node, as in PyTorch (PowBackward0).
  double e = exponent.to_double();
  auto d = [e](const Tensor& g, const Tensor& x) { return e == 0 ? zeros_like(g) : g * (e * pow(x, e - 1)); };
  return autograd::differentiable(
      kernels::binary(Binary::pow, a, exponent), {"PowBackward0", {a}, {a}},
      [d](const BackwardArgs& g) -> Grads { return {d(g.grad(), g.saved[0])}; },
      [d](const ForwardArgs& f) { return d(f.tangent(), f.primal()); });
}

Tensor maximum(const Tensor& a, const Tensor& b) {
  return pointwise(
      Binary::maximum, a, b, "MaximumBackward0", kA | kB, kA | kB,
      [](auto& g, auto& a, auto& b, auto&) { return winner_grad(g, a, b, true); },
      [](auto& g, auto& a, auto& b, auto&) { return winner_grad(g, b, a, true); });
}
Tensor minimum(const Tensor& a, const Tensor& b) {
  return pointwise(
      Binary::minimum, a, b, "MinimumBackward0", kA | kB, kA | kB,
      [](auto& g, auto& a, auto& b, auto&) { return winner_grad(g, a, b, false); },
      [](auto& g, auto& a, auto& b, auto&) { return winner_grad(g, b, a, false); });
}
Tensor atan2(const Tensor& a, const Tensor& b) {
  return pointwise(
      Binary::atan2, a, b, "Atan2Backward0", kA | kB, kA | kB,
      [](auto& g, auto& a, auto& b, auto&) { return g * b / (a * a + b * b); },
      [](auto& g, auto& a, auto& b, auto&) { return g * -a / (a * a + b * b); });
}
Tensor fmod(const Tensor& a, Scalar b) {
  ops::check_integer_divisor(a, b, "fmod");
  return pointwise(
      Binary::fmod, a, wrap(b), "FmodBackward0", 0, kA | kB, identity,
      [](auto& g, auto& a, auto& b, auto&) { return -g * trunc(a / b); });
}
Tensor remainder(const Tensor& a, Scalar b) {
  ops::check_integer_divisor(a, b, "remainder");
  return pointwise(
      Binary::remainder, a, wrap(b), "RemainderBackward0", 0, kA | kB, identity,
      [](auto& g, auto& a, auto& b, auto&) { return -g * floor(a / b); });
}

// With a tensor divisor: d/db fmod = -trunc(a / b), d/db remainder = -floor(a / b).
Tensor fmod(const Tensor& a, const Tensor& b) {
  ops::check_integer_divisor(a, b, "fmod");
  return pointwise(
      Binary::fmod, a, b, "FmodBackward1", 0, kA | kB, identity,
      [](auto& g, auto& a, auto& b, auto&) { return -g * trunc(a / b); });
}
Tensor remainder(const Tensor& a, const Tensor& b) {
  ops::check_integer_divisor(a, b, "remainder");
  return pointwise(
      Binary::remainder, a, b, "RemainderBackward1", 0, kA | kB, identity,
      [](auto& g, auto& a, auto& b, auto&) { return -g * floor(a / b); });
}
Tensor remainder(Scalar a, const Tensor& b) { return remainder(wrap(a), b); }
Tensor operator%(const Tensor& a, const Tensor& b) { return remainder(a, b); }
Tensor operator%(const Tensor& a, Scalar b) { return remainder(a, b); }
Tensor operator%(Scalar a, const Tensor& b) { return remainder(a, b); }

namespace ops {
void check_integer_divisor(const Tensor& a, const Tensor& b, const char* op) {
  KILN_CHECK(a.defined() && b.defined(), op, ": called on an undefined tensor");
  if (!is_floating_point(core::result_type({&a, &b})))
    KILN_CHECK(!(b == 0).any().item<bool>(), op, ": ZeroDivisionError (integer division by zero)");
}
void check_integer_divisor(const Tensor& a, Scalar b, const char* op) {
  KILN_CHECK(a.defined(), op, ": called on an undefined tensor");
  if (!is_floating_point(core::result_type(a, b)))
    KILN_CHECK(b.to_double() != 0, op, ": ZeroDivisionError (integer division by zero)");
}
}  // namespace ops

// ---------------------------------------------------------------- comparisons and logic
#define KILN_DEFINE_COMPARISON(name, op)                                                          \
  Tensor name(const Tensor& a, const Tensor& b) { return kernels::binary(Binary::name, a, b); }    \
  Tensor name(const Tensor& a, Scalar b) { return kernels::binary(Binary::name, a, b); }           \
  Tensor operator op(const Tensor& a, const Tensor& b) { return name(a, b); }                       \
  Tensor operator op(const Tensor& a, Scalar b) { return name(a, b); }
KILN_COMPARISON_OPS(KILN_DEFINE_COMPARISON)
#undef KILN_DEFINE_COMPARISON
Tensor logical_and(const Tensor& a, const Tensor& b) { return kernels::binary(Binary::logical_and, a, b); }
Tensor logical_or(const Tensor& a, const Tensor& b) { return kernels::binary(Binary::logical_or, a, b); }
Tensor logical_xor(const Tensor& a, const Tensor& b) { return kernels::binary(Binary::logical_xor, a, b); }

ScalarType result_type(const Tensor& a, const Tensor& b) { return core::result_type({&a, &b}); }
ScalarType result_type(const Tensor& a, Scalar b) { return core::result_type(a, b); }

// ---------------------------------------------------------------- selection
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
  return autograd::differentiable(
      kernels::where(condition, a, b), {"WhereBackward0", {a, b}, {condition}},
      [](const BackwardArgs& g) -> Grads {
        const Tensor& c = g.saved[0];
        Tensor zero = zeros({}, g.grad().dtype());
        return {g.needs_grad(0) ? where(c, g.grad(), zero) : Tensor(),
                g.needs_grad(1) ? where(c, zero, g.grad()) : Tensor()};
      },
      [condition](const ForwardArgs& f) { return where(condition, f.tangent_or_zeros(0), f.tangent_or_zeros(1)); });
}
Tensor where(const Tensor& c, const Tensor& a, Scalar b) { return where(c, a, wrap(b)); }
Tensor where(const Tensor& c, Scalar a, const Tensor& b) { return where(c, wrap(a), b); }
Tensor where(const Tensor& c, Scalar a, Scalar b) { return where(c, wrap(a), wrap(b)); }

namespace {
// Where clamp's gradient goes, as torch's clamp_backward: to x where it lies
// within both bounds (a NaN on either side sends it nowhere), to a bound where
// it bit; when min > max, max wins.
struct ClampRoutes {
  Tensor x, lo, hi;
};
ClampRoutes clamp_routes(const Tensor& x, const Tensor& l, const Tensor& h) {
  const bool has_l = l.defined(), has_h = h.defined();
  return {has_l && has_h ? logical_and(x >= l, x <= h) : has_l ? x >= l : x <= h,
          !has_l ? Tensor() : has_h ? logical_and(x < l, l < h) : x < l,
          !has_h ? Tensor() : has_l ? logical_or(x > h, h < l) : x > h};
}

// `value` (clamp's output) recorded against x and the bounds it is differentiated by.
Tensor record_clamp(Tensor value, const Tensor& t, const Tensor& lo, const Tensor& hi, const char* node) {
  return autograd::differentiable(
      std::move(value), {node, {t, lo, hi}, {t, lo, hi}},
      [](const BackwardArgs& g) -> Grads {
        ClampRoutes m = clamp_routes(g.saved[0], g.saved[1], g.saved[2]);
        Tensor zero = zeros({}, g.grad().dtype());  // where, not a product: an inf gradient elsewhere stays out
        return {g.needs_grad(0) ? where(m.x, g.grad(), zero) : Tensor(),
                g.needs_grad(1) ? where(m.lo, g.grad(), zero) : Tensor(),
                g.needs_grad(2) ? where(m.hi, g.grad(), zero) : Tensor()};
      },
      [](const ForwardArgs& f) {
        ClampRoutes m = clamp_routes(f.primal(0), f.primal(1), f.primal(2));
        Tensor zero = zeros({}, f.result.dtype());
        Tensor tangent = where(m.x, f.tangent_or_zeros(0), zero);
        if (f.tangent(1).defined()) tangent = tangent + where(m.lo, f.tangent(1), zero);
        if (f.tangent(2).defined()) tangent = tangent + where(m.hi, f.tangent(2), zero);
        return tangent;
      });
}
Tensor bound(const std::optional<Scalar>& b) { return b ? wrap(*b) : Tensor(); }
}  // namespace

Tensor clamp(const Tensor& t, const std::optional<Tensor>& min, const std::optional<Tensor>& max) {
  Tensor lo = min.value_or(Tensor()), hi = max.value_or(Tensor());
  return record_clamp(kernels::clamp(t, lo, hi), t, lo, hi, "ClampBackward0");
}
namespace ops {
std::pair<std::optional<Scalar>, std::optional<Scalar>> clamp_number_bounds(std::optional<Scalar> min,
                                                                            std::optional<Scalar> max) {
  auto is_nan = [](const std::optional<Scalar>& b) { return b && b->is_floating_point() && std::isnan(b->to_double()); };
  if (is_nan(min) && !max) return {-INFINITY, max};
  if (is_nan(max) && !min) return {min, INFINITY};
  return {min, max};
}
}  // namespace ops

// torch ignores a lone NaN number bound in the values but not in the gradient.
Tensor clamp(const Tensor& t, std::optional<Scalar> min, std::optional<Scalar> max) {
  auto [lo, hi] = ops::clamp_number_bounds(min, max);
  return record_clamp(kernels::clamp(t, bound(lo), bound(hi)), t, bound(min), bound(max), "ClampBackward1");
}
Tensor clamp_min(const Tensor& t, const Tensor& min) {
  return record_clamp(kernels::clamp(t, min, Tensor()), t, min, Tensor(), "ClampMinBackward1");
}
Tensor clamp_max(const Tensor& t, const Tensor& max) {
  return record_clamp(kernels::clamp(t, Tensor(), max), t, Tensor(), max, "ClampMaxBackward1");
}
Tensor clamp_min(const Tensor& t, Scalar min) {
  Tensor lo = wrap(min);
  return record_clamp(kernels::clamp(t, lo, Tensor()), t, lo, Tensor(), "ClampMinBackward0");
}
Tensor clamp_max(const Tensor& t, Scalar max) {
  Tensor hi = wrap(max);
  return record_clamp(kernels::clamp(t, Tensor(), hi), t, Tensor(), hi, "ClampMaxBackward0");
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
Tensor operator&&(const Tensor& a, const Tensor& b) { return logical_and(a, b); }
Tensor operator||(const Tensor& a, const Tensor& b) { return logical_or(a, b); }
Tensor operator!(const Tensor& a) { return logical_not(a); }
Tensor operator~(const Tensor& a) {
  KILN_CHECK(a.dtype() == kBool, "bitwise_not: only implemented for bool tensors in kiln, got ", a.dtype());
  return logical_not(a);
}

}  // namespace kiln
