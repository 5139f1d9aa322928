#include "kernels/elementwise.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/broadcast.h"
#include "core/promotion.h"
#include "core/dispatch.h"
#include "kernels/loops.h"
#include "kernels/math.h"
#include "kernels/special_math.h"
#include "kernels/unary_math.h"

namespace kiln::kernels {
namespace {

struct Dtypes {
  ScalarType compute, out;
};

// An input ready for a loop in the compute dtype: its own memory when the
// dtype matches, a converted one-element buffer, or a converted copy.
struct Input {
  Tensor holder;
  alignas(8) char scalar[8];
  char* data = nullptr;
  IntArrayRef sizes, strides;
  int64_t numel;
  bool contiguous;

  Input(const Tensor& t, ScalarType compute) {
    TensorImpl* i = impl(t);
    sizes = i->sizes;
    strides = i->strides;
    numel = i->numel;
    contiguous = i->contiguous;
    if (i->dtype == compute) {
      data = i->data();
    } else if (i->numel == 1) {
      core::dispatch(i->dtype, [&](auto in) {
        using From = typename decltype(in)::type;
        From v = *reinterpret_cast<const From*>(i->data());
        core::dispatch(compute, [&](auto out) {
          using To = typename decltype(out)::type;
          *reinterpret_cast<To*>(scalar) = convert<To>(v);
        });
      });
      data = scalar;
    } else {
      holder = core::empty(i->sizes, compute);
      copy(holder, t);
      data = impl(holder)->data();
      strides = impl(holder)->strides;
      contiguous = true;
    }
  }
  // A C++ number, converted to the compute dtype.
  Input(Scalar s, ScalarType compute) : numel(1), contiguous(true) {
    core::dispatch(compute, [&](auto out) {
      using To = typename decltype(out)::type;
      *reinterpret_cast<To*>(scalar) = s.is_floating_point() ? convert<To>(s.to_double()) : convert<To>(s.to_long());
    });
    data = scalar;
  }
};

// The loop over `out`, whose elements may share memory (fill writes one value).
template <size_t N>
LoopPlan<N> plan_allowing_overlap(const Tensor& out) {
  LoopPlan<N> plan = make_plan<N>(out.sizes());
  set_operand(plan, 0, impl(out)->data(), out.sizes(), out.strides());
  return plan;
}

// The loop over `out`. As in torch, an output holding one memory location at
// several elements (a dim of stride 0, as expand makes) is refused: the loop
// would write each result over the others.
template <size_t N>
LoopPlan<N> plan_for(const Tensor& out) {
  const TensorImpl* o = impl(out);
  if (!o->contiguous)
    for (size_t d = 0; d < o->sizes.size(); ++d)
      KILN_CHECK(o->strides[d] != 0 || o->sizes[d] <= 1,
                 "unsupported operation: more than one element of the written-to tensor refers to a single memory "
                 "location. Please clone() the tensor before performing the operation.");
  return plan_allowing_overlap<N>(out);
}

// The loop over a contiguous output and its inputs. When every input is a
// single element (stride 0) or contiguous with as many elements (stride 1:
// it broadcasts to the output, so its memory is in the output's order), one
// flat dim serves, and most small ops skip the per-dim geometry.
template <size_t N>
LoopPlan<N> plan_for(const Tensor& out, const std::array<const Input*, N - 1>& inputs) {
  const TensorImpl* o = impl(out);
  bool flat = o->contiguous;
  for (const Input* in : inputs) flat &= in->numel == 1 || (in->contiguous && in->numel == o->numel);
  if (!flat) {
    LoopPlan<N> plan = plan_for<N>(out);
    for (size_t k = 0; k + 1 < N; ++k) set_operand(plan, k + 1, inputs[k]->data, inputs[k]->sizes, inputs[k]->strides);
    return plan;
  }
  LoopPlan<N> plan;
  plan.ndim = 1;
  plan.numel = plan.shape[0] = o->numel;
  plan.data[0] = o->data();
  plan.strides[0][0] = 1;
  for (size_t k = 0; k + 1 < N; ++k) {
    plan.data[k + 1] = inputs[k]->data;
    plan.strides[k + 1][0] = inputs[k]->numel == 1 ? 0 : 1;
  }
  return plan;
}

bool can_cast(ScalarType from, ScalarType to) {
  if (is_floating_point(from) && is_integral(to, true)) return false;
  if (from != kBool && to == kBool) return false;
  return true;
}

void check_out(const char* op, const Tensor& out, IntArrayRef shape, ScalarType dtype) {
  KILN_CHECK(out.sizes() == shape, op, ": output with shape ", out.sizes(), " doesn't match the broadcast shape ",
             shape);
  KILN_CHECK(can_cast(dtype, out.dtype()), op, ": result type ", dtype, " can't be cast to the desired output type ",
             out.dtype());
}

// ---------------------------------------------------------------- unary
enum class Kind { Floating, Same, Predicate };
constexpr Kind kind_of(Unary op) {
  constexpr Kind kinds[] = {
#define KILN_UNARY_KIND(name, kind) Kind::kind,
      KILN_UNARY_OPS(KILN_UNARY_KIND)
#undef KILN_UNARY_KIND
#define KILN_SPECIAL_KIND(name) Kind::Floating,
      KILN_SPECIAL_UNARY_OPS(KILN_SPECIAL_KIND)
#undef KILN_SPECIAL_KIND
  };
  return kinds[static_cast<int>(op)];
}

Dtypes unary_dtypes(Unary op, ScalarType in) {
  switch (kind_of(op)) {
    case Kind::Floating: return {core::to_floating(in), core::to_floating(in)};
    case Kind::Predicate: return {in, kBool};
    case Kind::Same: break;
  }
  if (op == Unary::frac)
    KILN_CHECK(is_floating_point(in), name(op), ": not implemented for dtype ", in, " (expected a floating type)");
  if (op == Unary::neg)
    KILN_CHECK(in != kBool, "neg: negation, the `-` operator, on a bool tensor is not supported; use logical_not()");
  if (op == Unary::square && in == kBool) return {kInt64, kInt64};
  KILN_CHECK(in != kBool || op == Unary::sign, name(op), ": not implemented for dtype Bool");
  return {in, in};
}

// Runs op's functor (kernels/unary_math.h) over the plan, for the types it
// is defined for (unary_dtypes has rejected the others).
template <class T>
void unary_loop(Unary op, LoopPlan<2>& p) {
  switch (op) {
#define KILN_UNARY_CASE(name, kind)                                      \
  case Unary::name:                                                       \
    if constexpr (std::is_invocable_v<unary_math::name, T>)              \
      return run<std::invoke_result_t<unary_math::name, T>, T>(p, unary_math::name{}); \
    break;
    KILN_UNARY_OPS(KILN_UNARY_CASE)
#define KILN_SPECIAL_CASE(name) KILN_UNARY_CASE(name, Floating)
    KILN_SPECIAL_UNARY_OPS(KILN_SPECIAL_CASE)
#undef KILN_SPECIAL_CASE
#undef KILN_UNARY_CASE
  }
  KILN_CHECK(false, name(op), ": not implemented for this dtype");
}

// ---------------------------------------------------------------- binary
// The compute and result dtypes of op on operands of dtypes a and b, whose
// promoted dtype is `common`.
Dtypes binary_dtypes(Binary op, ScalarType a, ScalarType b, ScalarType common) {
  switch (op) {
    case Binary::div:
    case Binary::atan2: return {core::to_floating(common), core::to_floating(common)};
    case Binary::eq:
    case Binary::ne:
    case Binary::lt:
    case Binary::le:
    case Binary::gt:
    case Binary::ge: return {common, kBool};
    case Binary::logical_and:
    case Binary::logical_or:
    case Binary::logical_xor: return {kBool, kBool};
    case Binary::sub:
      KILN_CHECK(!(a == kBool && b == kBool),
                 "sub: subtraction, the `-` operator, with two bool tensors is not supported; use logical_xor()");
      KILN_CHECK(a != kBool && b != kBool, "sub: subtraction, the `-` operator, with a bool tensor (", a, " and ", b,
                 ") is not supported; use logical_not() to invert a mask");
      return {common, common};
    case Binary::pow:
      KILN_CHECK(common != kBool, "pow: not implemented for dtype Bool (base ", a, ", exponent ", b, ")");
      return {common, common};
    default: return {common, common};
  }
}

template <class T>
void binary_loop(Binary op, LoopPlan<3>& p, double alpha) {
  if constexpr (std::is_floating_point_v<T>) {
    switch (op) {
      case Binary::div: return run<T, T, T>(p, [](T a, T b) { return a / b; });
      case Binary::pow: return run<T, T, T>(p, [](T a, T b) { return std::pow(a, b); });
      case Binary::atan2: return run<T, T, T>(p, [](T a, T b) { return std::atan2(a, b); });
      case Binary::fmod: return run<T, T, T>(p, [](T a, T b) { return std::fmod(a, b); });
      case Binary::remainder:
        return run<T, T, T>(p, [](T a, T b) {
          T r = std::fmod(a, b);
          return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
        });
      default: break;
    }
  } else if constexpr (!std::is_same_v<T, bool>) {
    switch (op) {
      case Binary::pow: return run<T, T, T>(p, [](T a, T b) { return int_pow(a, b); });
      case Binary::fmod: return run<T, T, T>(p, [](T a, T b) -> T { return a % b; });
      case Binary::remainder:
        return run<T, T, T>(p, [](T a, T b) -> T {
          T r = a % b;
          return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
        });
      default: break;
    }
  } else if (op == Binary::pow) {
    return run<T, T, T>(p, [](T a, T b) -> T { return a || !b; });
  }
  if constexpr (!std::is_same_v<T, bool>) {
    const T s = static_cast<T>(alpha);
    if (op == Binary::add && alpha != 1) return run<T, T, T>(p, [s](T a, T b) -> T { return a + s * b; });
    if (op == Binary::sub && alpha != 1) return run<T, T, T>(p, [s](T a, T b) -> T { return a - s * b; });
  }
  switch (op) {
    case Binary::add: return run<T, T, T>(p, [](T a, T b) -> T { return a + b; });
    case Binary::sub: return run<T, T, T>(p, [](T a, T b) -> T { return a - b; });
    case Binary::mul: return run<T, T, T>(p, [](T a, T b) -> T {
        if constexpr (std::is_same_v<T, bool>)
          return a && b;
        else
          return a * b;
      });
    case Binary::maximum: return run<T, T, T>(p, [](T a, T b) { return nan_max(a, b); });
    case Binary::minimum: return run<T, T, T>(p, [](T a, T b) { return nan_min(a, b); });
    case Binary::eq: return run<bool, T, T>(p, [](T a, T b) { return a == b; });
    case Binary::ne: return run<bool, T, T>(p, [](T a, T b) { return a != b; });
    case Binary::lt: return run<bool, T, T>(p, [](T a, T b) { return a < b; });
    case Binary::le: return run<bool, T, T>(p, [](T a, T b) { return a <= b; });
    case Binary::gt: return run<bool, T, T>(p, [](T a, T b) { return a > b; });
    case Binary::ge: return run<bool, T, T>(p, [](T a, T b) { return a >= b; });
    case Binary::logical_and: return run<bool, T, T>(p, [](T a, T b) { return a && b; });
    case Binary::logical_or: return run<bool, T, T>(p, [](T a, T b) { return a || b; });
    case Binary::logical_xor: return run<bool, T, T>(p, [](T a, T b) { return bool(a) != bool(b); });
    default: KILN_CHECK(false, name(op), ": not implemented for this dtype");
  }
}

// True if any element of the integer tensor t satisfies pred.
template <class Pred>
bool any_integer(const Tensor& t, Pred pred) {
  Tensor c = core::empty(t.sizes(), kInt64);
  copy(c, t);
  const int64_t* p = reinterpret_cast<const int64_t*>(impl(c)->data());
  for (int64_t i = 0; i < impl(c)->numel; ++i)
    if (pred(p[i])) return true;
  return false;
}

bool any_integer(Scalar b, bool (*pred)(int64_t)) { return pred(b.to_long()); }

// Integer division by zero would trap (PyTorch raises ZeroDivisionError), and
// integers have no negative powers. b is a tensor or a C++ number.
template <class B>
void check_integer_operand(Binary op, const B& b, ScalarType compute) {
  if (is_floating_point(compute)) return;
  if (op == Binary::fmod || op == Binary::remainder)
    KILN_CHECK(!any_integer(b, [](int64_t v) { return v == 0; }), name(op),
               ": ZeroDivisionError (integer division by zero)");
  if (op == Binary::pow && compute != kBool)
    KILN_CHECK(!any_integer(b, [](int64_t v) { return v < 0; }),
               "pow: integers to negative integer powers are not allowed");
}

// The dtype the loop reads its operands in.
ScalarType input_type(Binary op, ScalarType compute) { return op >= Binary::logical_and ? kBool : compute; }

void binary_into(Binary op, const Tensor& out, const Input& ia, const Input& ib, ScalarType in_type, double alpha) {
  LoopPlan<3> plan = plan_for<3>(out, {&ia, &ib});
  core::dispatch(in_type, [&](auto t) { binary_loop<typename decltype(t)::type>(op, plan, alpha); });
}

}  // namespace

const char* name(Unary op) {
  static const char* names[] = {
#define KILN_UNARY_NAME(name, kind) #name,
      KILN_UNARY_OPS(KILN_UNARY_NAME)
#undef KILN_UNARY_NAME
#define KILN_SPECIAL_NAME(name) "special_" #name,
      KILN_SPECIAL_UNARY_OPS(KILN_SPECIAL_NAME)
#undef KILN_SPECIAL_NAME
  };
  return names[static_cast<int>(op)];
}

const char* name(Binary op) {
  static const char* names[] = {
#define KILN_BINARY_NAME(name) #name,
      KILN_BINARY_KERNELS(KILN_BINARY_NAME)
#undef KILN_BINARY_NAME
  };
  return names[static_cast<int>(op)];
}

Tensor unary(Unary op, const Tensor& x) {
  Dtypes d = unary_dtypes(op, x.dtype());
  Tensor out = core::empty(x.sizes(), d.out);
  unary_out(op, out, x);
  return out;
}

void unary_out(Unary op, const Tensor& out, const Tensor& x) {
  Dtypes d = unary_dtypes(op, x.dtype());
  check_out(name(op), out, core::broadcast_shape(out.sizes(), x.sizes(), name(op)), d.out);
  if (out.dtype() != d.out) return copy(out, unary(op, x));
  Input in(x, d.compute);
  LoopPlan<2> plan = plan_for<2>(out, {&in});
  core::dispatch(d.compute, [&](auto t) { unary_loop<typename decltype(t)::type>(op, plan); });
}

Tensor binary(Binary op, const Tensor& a, const Tensor& b, double alpha) {
  Dtypes d = binary_dtypes(op, a.dtype(), b.dtype(), core::result_type({&a, &b}));
  check_integer_operand(op, b, d.compute);
  Tensor out = core::empty(core::broadcast_shape(a.sizes(), b.sizes(), name(op)), d.out);
  ScalarType in = input_type(op, d.compute);
  binary_into(op, out, Input(a, in), Input(b, in), in, alpha);
  return out;
}

void binary_out(Binary op, const Tensor& out, const Tensor& a, const Tensor& b, double alpha) {
  Dtypes d = binary_dtypes(op, a.dtype(), b.dtype(), core::result_type({&a, &b}));
  Shape shape = core::broadcast_shape(a.sizes(), b.sizes(), name(op));
  check_out(name(op), out, core::broadcast_shape(out.sizes(), shape, name(op)), d.out);
  if (out.dtype() != d.out) return copy(out, binary(op, a, b, alpha));
  check_integer_operand(op, b, d.compute);
  ScalarType in = input_type(op, d.compute);
  binary_into(op, out, Input(a, in), Input(b, in), in, alpha);
}

Tensor binary(Binary op, const Tensor& a, Scalar b, double alpha) {
  Dtypes d = binary_dtypes(op, a.dtype(), b.type(), core::result_type(a, b));
  check_integer_operand(op, b, d.compute);
  Tensor out = core::empty(a.sizes(), d.out);
  ScalarType in = input_type(op, d.compute);
  binary_into(op, out, Input(a, in), Input(b, in), in, alpha);
  return out;
}

void binary_out(Binary op, const Tensor& out, const Tensor& a, Scalar b, double alpha) {
  Dtypes d = binary_dtypes(op, a.dtype(), b.type(), core::result_type(a, b));
  check_out(name(op), out, core::broadcast_shape(out.sizes(), a.sizes(), name(op)), d.out);
  if (out.dtype() != d.out) return copy(out, binary(op, a, b, alpha));
  check_integer_operand(op, b, d.compute);
  ScalarType in = input_type(op, d.compute);
  binary_into(op, out, Input(a, in), Input(b, in), in, alpha);
}

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  KILN_CHECK(cond.dtype() == kBool, "where: expected condition to be a boolean tensor, but got a tensor with dtype ",
             cond.dtype());
  ScalarType t = core::result_type({&a, &b});
  Shape shape = core::broadcast_shape(core::broadcast_shape(cond.sizes(), a.sizes(), "where"), b.sizes(), "where");
  Tensor out = core::empty(shape, t);
  Input ic(cond, kBool), ia(a, t), ib(b, t);
  LoopPlan<4> plan = plan_for<4>(out, {&ic, &ia, &ib});
  core::dispatch(t, [&](auto tag) {
    using T = typename decltype(tag)::type;
    run<T, bool, T, T>(plan, [](bool c, T x, T y) { return c ? x : y; });
  });
  return out;
}

Tensor threshold_backward(const Tensor& grad, const Tensor& x, double threshold) {
  ScalarType t = core::result_type({&grad, &x});
  Tensor out = core::empty(core::broadcast_shape(grad.sizes(), x.sizes(), "threshold_backward"), t);
  Input ig(grad, t), ix(x, t);
  LoopPlan<3> plan = plan_for<3>(out, {&ig, &ix});
  core::dispatch(t, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T th = static_cast<T>(threshold);
    run<T, T, T>(plan, [th](T g, T v) { return v <= th ? T(0) : g; });  // NaN passes the gradient, as in torch
  });
  return out;
}

Tensor softplus(const Tensor& x, double beta, double threshold) {
  ScalarType t = core::to_floating(x.dtype());
  Tensor out = core::empty(x.sizes(), t);
  Input ix(x, t);
  LoopPlan<2> plan = plan_for<2>(out, {&ix});
  core::dispatch_floating(t, "softplus", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T b = static_cast<T>(beta), th = static_cast<T>(threshold);
    run<T, T>(plan, [b, th](T v) { return v * b > th ? v : std::log1p(std::exp(v * b)) / b; });
  });
  return out;
}

Tensor polygamma(int64_t n, const Tensor& x) {
  ScalarType t = core::to_floating(x.dtype());
  Tensor out = core::empty(x.sizes(), t);
  Input ix(x, t);
  LoopPlan<2> plan = plan_for<2>(out, {&ix});
  core::dispatch_floating(t, "polygamma", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const int order = static_cast<int>(n);
    run<T, T>(plan, [order](T v) { return static_cast<T>(special::polygamma(order, v)); });
  });
  return out;
}

Tensor normal_log_prob(const Tensor& v, const Tensor& loc, const Tensor& scale) {
  ScalarType t = core::to_floating(core::result_type({&v, &loc, &scale}));
  Shape shape = core::broadcast_shape(core::broadcast_shape(v.sizes(), loc.sizes(), "_normal_log_prob"), scale.sizes(),
                                      "_normal_log_prob");
  Tensor out = core::empty(shape, t);
  Input iv(v, t), il(loc, t), is(scale, t);
  LoopPlan<4> plan = plan_for<4>(out, {&iv, &il, &is});
  core::dispatch_floating(t, "_normal_log_prob", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T half_log_2pi = static_cast<T>(0.91893853320467274178);
    run<T, T, T, T>(plan, [half_log_2pi](T x, T m, T s) {
      T z = (x - m) / s;
      return T(-0.5) * z * z - std::log(s) - half_log_2pi;
    });
  });
  return out;
}

Tensor clamp(const Tensor& x, const Tensor& lo, const Tensor& hi) {
  ScalarType t = core::result_type({&x, &lo, &hi});
  Shape shape = x.sizes();
  if (lo.defined()) shape = core::broadcast_shape(shape, lo.sizes(), "clamp");
  if (hi.defined()) shape = core::broadcast_shape(shape, hi.sizes(), "clamp");
  Tensor out = core::empty(shape, t);
  clamp_out(out, x, lo, hi);
  return out;
}

void clamp_out(const Tensor& out, const Tensor& x, const Tensor& lo, const Tensor& hi) {
  KILN_CHECK(lo.defined() || hi.defined(), "clamp: at least one of 'min' or 'max' must not be None");
  ScalarType t = core::result_type({&x, &lo, &hi});
  // As libtorch: bool tensors clamp against tensor bounds, not C++ numbers.
  bool number_bound = (lo.defined() && impl(lo)->wrapped_number) || (hi.defined() && impl(hi)->wrapped_number);
  KILN_CHECK(t != kBool || !number_bound, "clamp: not implemented for dtype Bool with a number as bound");
  if (out.dtype() != t) {
    check_out("clamp", out, out.sizes(), t);
    return copy(out, clamp(x, lo, hi));
  }
  // A missing bound reads the input in its place and is skipped in the loop.
  Input ix(x, t), il(lo.defined() ? lo : x, t), ih(hi.defined() ? hi : x, t);
  const bool has_lo = lo.defined(), has_hi = hi.defined();
  LoopPlan<4> plan = plan_for<4>(out, {&ix, &il, &ih});
  core::dispatch(t, [&](auto tag) {
    using T = typename decltype(tag)::type;
    run<T, T, T, T>(plan, [has_lo, has_hi](T v, T l, T h) -> T {
      if constexpr (std::is_floating_point_v<T>) {  // NaN in the input or a bound propagates, as in torch
        if (v != v) return v;
        if (has_lo && l != l) return l;
        if (has_hi && h != h) return h;
      }
      if (has_lo && v < l) v = l;  // min first, then max: max wins when min > max, as in PyTorch
      if (has_hi && v > h) v = h;
      return v;
    });
  });
}

void copy(const Tensor& dst, const Tensor& src) {
  KILN_CHECK(core::is_expandable_to(src.sizes(), dst.sizes()), "copy_: the source of shape ", src.sizes(),
             " cannot be broadcast to the destination of shape ", dst.sizes());
  TensorImpl *d = impl(dst), *s = impl(src);
  if (d->storage.get() == s->storage.get() && d->numel > 0 && core::is_dense(*d) && core::is_dense(*s)) {
    // As torch: dense tensors over the same bytes must be the same elements, or apart.
    const char *d0 = d->data(), *s0 = s->data();
    const char *d1 = d0 + d->numel * element_size(d->dtype), *s1 = s0 + s->numel * element_size(s->dtype);
    const bool identical = d0 == s0 && d1 == s1 && IntArrayRef(d->strides) == IntArrayRef(s->strides);
    KILN_CHECK(identical || d1 <= s0 || s1 <= d0,
               "copy_: unsupported operation: some elements of the input tensor and the written-to tensor refer to a "
               "single memory location. Please clone() the tensor before performing the operation.");
  }
  const bool same_layout = d->contiguous && s->contiguous ? d->numel == s->numel
                                                           : IntArrayRef(d->sizes) == IntArrayRef(s->sizes) &&
                                                                 IntArrayRef(d->strides) == IntArrayRef(s->strides) &&
                                                                 core::is_dense(*d);
  if (d->dtype == s->dtype && same_layout) {
    if (d->data() == s->data()) return;
    size_t bytes = d->numel * element_size(d->dtype);
    char *to = d->data(), *from = s->data();
    parallel_for(static_cast<int64_t>(bytes), 1 << 20,
                 [&](int64_t b, int64_t e) { std::memcpy(to + b, from + b, static_cast<size_t>(e - b)); });
    return;
  }
  LoopPlan<2> plan = plan_for<2>(dst);
  set_operand(plan, 1, s->data(), s->sizes, s->strides);
  core::dispatch(d->dtype, [&](auto out) {
    using To = typename decltype(out)::type;
    core::dispatch(s->dtype, [&](auto in) {
      using From = typename decltype(in)::type;
      run<To, From>(plan, [](From v) { return convert<To>(v); });
    });
  });
}

void fill(const Tensor& dst, Scalar value) {
  core::dispatch(dst.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T v = value.to<T>();  // a number outside the dtype's range is an error, as in torch
    if (impl(dst)->contiguous) {
      T* p = static_cast<T*>(static_cast<void*>(impl(dst)->data()));
      parallel_for(impl(dst)->numel, kGrainSize, [&](int64_t begin, int64_t end) { std::fill(p + begin, p + end, v); });
      return;
    }
    LoopPlan<2> plan = plan_allowing_overlap<2>(dst);
    set_operand(plan, 1, reinterpret_cast<char*>(&v), {}, {});
    run<T, T>(plan, [](T x) { return x; });
  });
}

}  // namespace kiln::kernels
