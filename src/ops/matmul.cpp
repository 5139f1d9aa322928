// Matrix products and their derivatives. One recorded primitive, product(),
// multiplies [..., m, k] by [..., k, n] with broadcast batch dims; every other
// product (mm, mv, dot, bmm, matmul's cases, tensordot) is views of its
// operands around it, so the derivative is written once:
//   a: g @ b^T      b: a^T @ g      (the engine sums over broadcast batch dims)
//   forward mode:   ta @ b + a @ tb
#include "autograd/derivative.h"
#include "core/broadcast.h"
#include "core/dims.h"
#include "core/tensor_impl.h"
#include "kernels/blas.h"
#include "kernels/elementwise.h"
#include "kiln/functions.h"

namespace kiln {
namespace {

using autograd::BackwardArgs;
using autograd::ForwardArgs;
using autograd::Grads;

// The tangent of a product f(a, b), linear in each operand, from the
// operands' tangents (either may be missing): f(ta, b) + f(a, tb).
template <class F>
Tensor product_tangent(const ForwardArgs& args, F f) {
  const Tensor &ta = args.tangent(0), &tb = args.tangent(1);
  Tensor t;
  if (ta.defined()) t = f(ta, args.primal(1));
  if (tb.defined()) t = t.defined() ? t + f(args.primal(0), tb) : f(args.primal(0), tb);
  return t;
}

Tensor product(const Tensor& a, const Tensor& b, const char* node) {
  Shape shape = core::broadcast_shape(core::batch_of(a.sizes()), core::batch_of(b.sizes()), "matmul");
  shape.push_back(a.size(-2));
  shape.push_back(b.size(-1));
  Tensor r = core::empty(shape, a.dtype());
  kernels::matmul_out(r, a, b);
  // Each operand's gradient reads the other.
  Tensor none;
  return autograd::differentiable(
      std::move(r), {node, {a, b}, {autograd::needs_grad(b) ? a : none, autograd::needs_grad(a) ? b : none}},
      [node](const BackwardArgs& g) -> Grads {
        const Tensor &a = g.saved[0], &b = g.saved[1];
        return {g.needs_grad(0) ? product(g.grad(), b.mT(), node) : Tensor(),
                g.needs_grad(1) ? product(a.mT(), g.grad(), node) : Tensor()};
      },
      [node](const ForwardArgs& f) {
        return product_tangent(f, [node](const Tensor& x, const Tensor& y) { return product(x, y, node); });
      });
}

void check_same_dtype(const char* op, const Tensor& a, const Tensor& b) {
  KILN_CHECK(a.dtype() == b.dtype(), op, ": expected scalar type ", a.dtype(), " but found ", b.dtype(),
             " (operands ", a.sizes(), " ", a.dtype(), " and ", b.sizes(), " ", b.dtype(), ")");
  KILN_CHECK(a.dtype() != kBool, op, ": not implemented for 'Bool' (operands ", a.sizes(), " and ", b.sizes(), ")");
}

void check_inner(const char* op, const Tensor& a, int64_t ka, const Tensor& b, int64_t kb) {
  KILN_CHECK(ka == kb, op, ": shapes ", a.sizes(), " and ", b.sizes(), " cannot be multiplied (", ka, " != ", kb, ")");
}

void check_vectors(const char* op, const Tensor& a, const Tensor& b) {
  KILN_CHECK(a.dim() == 1 && b.dim() == 1, op, ": 1D tensors expected, but got ", a.dim(), "D and ", b.dim(),
             "D tensors");
  KILN_CHECK(a.dtype() == b.dtype(), op, ": expected both vectors to have same dtype, but found ", a.dtype(), " and ",
             b.dtype());
  KILN_CHECK(a.numel() == b.numel(), op, ": inconsistent tensor size, expected tensor [", a.numel(), "] and src [",
             b.numel(), "] to have the same number of elements, but got ", a.numel(), " and ", b.numel(),
             " elements respectively");
  check_same_dtype(op, a, b);
}

// a [k] or [m, k] times b [k] with one node (DotBackward0, VdotBackward0,
// MvBackward0, as in PyTorch); the kernel is product()'s, on views that are
// not recorded.
//   a: g (x) b (g * b for a dot)      b: a^T @ g (g * a for a dot)
Tensor vector_product(const Tensor& a, const Tensor& b, const char* node) {
  bool is_mv = a.dim() == 2;
  int64_t m = is_mv ? a.size(0) : 1, k = b.size(0);
  Tensor r = is_mv ? core::empty({m}, a.dtype()) : core::empty({}, a.dtype());
  if (is_mv)
    kernels::matmul_out(core::make_view(r, {m, 1}, {1, 1}, 0), a,
                        core::make_view(b, {k, 1}, {b.stride(0), 1}, b.storage_offset()));
  else
    kernels::dot_out(r, a, b);
  Tensor none;
  return autograd::differentiable(
      std::move(r), {node, {a, b}, {autograd::needs_grad(b) ? a : none, autograd::needs_grad(a) ? b : none}},
      [is_mv](const BackwardArgs& g) -> Grads {
        const Tensor &a = g.saved[0], &b = g.saved[1];
        return {g.needs_grad(0) ? (is_mv ? g.grad().unsqueeze(1) : g.grad()) * b : Tensor(),
                g.needs_grad(1) ? (is_mv ? mv(a.mT(), g.grad()) : g.grad() * a) : Tensor()};
      },
      [node](const ForwardArgs& f) {
        return product_tangent(f, [node](const Tensor& x, const Tensor& y) { return vector_product(x, y, node); });
      });
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
  int64_t da = a.dim(), db = b.dim();
  KILN_CHECK(da >= 1 && db >= 1, "matmul: both arguments to matmul need to be at least 1D, but they are ", da,
             "D and ", db, "D");
  check_same_dtype("matmul", a, b);
  check_inner("matmul", a, a.size(-1), b, db == 1 ? b.size(0) : b.size(-2));
  if (da == 1 && db == 1) return vector_product(a, b, "DotBackward0");
  if (da == 2 && db == 1) return vector_product(a, b, "MvBackward0");
  if (da == 1 && db == 2) return product(a.unsqueeze(0), b, "MmBackward0").squeeze(0);
  if (da == 2 && db == 2) return product(a, b, "MmBackward0");
  if (da >= 3 && db <= 2) {
    // Fold a's batch into its rows: one large gemm instead of many small ones.
    Shape out(a.sizes());
    out.resize(da - 1);
    if (db == 2) out.push_back(b.size(1));
    Tensor rows = a.reshape({-1, a.size(-1)});
    return product(rows, db == 2 ? b : b.unsqueeze(1), "MmBackward0").reshape(out);
  }
  // Batched, with broadcast batch dims; a vector operand becomes a row / column.
  Tensor r = product(da == 1 ? a.unsqueeze(0) : a, db == 1 ? b.unsqueeze(1) : b, "BmmBackward0");
  if (da == 1) r = r.squeeze(-2);
  if (db == 1) r = r.squeeze(-1);
  return r;
}

Tensor mm(const Tensor& a, const Tensor& b) {
  KILN_CHECK(a.dim() == 2 && b.dim() == 2, "mm: expected 2-D tensors (matrices), but got ", a.dim(), "-D ",
             a.sizes(), " and ", b.dim(), "-D ", b.sizes());
  check_same_dtype("mm", a, b);
  check_inner("mm", a, a.size(1), b, b.size(0));
  return product(a, b, "MmBackward0");
}

Tensor mv(const Tensor& a, const Tensor& v) {
  KILN_CHECK(a.dim() == 2 && v.dim() == 1, "mv: expected a matrix and a vector, but got ", a.dim(), "-D ", a.sizes(),
             " and ", v.dim(), "-D ", v.sizes());
  check_same_dtype("mv", a, v);
  check_inner("mv", a, a.size(1), v, v.size(0));
  return vector_product(a, v, "MvBackward0");
}

Tensor dot(const Tensor& a, const Tensor& b) {
  check_vectors("dot", a, b);
  return vector_product(a, b, "DotBackward0");
}

// For real tensors vdot is dot (there is nothing to conjugate).
Tensor vdot(const Tensor& a, const Tensor& b) {
  check_vectors("vdot", a, b);
  return vector_product(a, b, "VdotBackward0");
}

Tensor bmm(const Tensor& a, const Tensor& b) {
  KILN_CHECK(a.dim() == 3 && b.dim() == 3, "bmm: expected 3-D tensors, but got ", a.dim(), "-D ", a.sizes(), " and ",
             b.dim(), "-D ", b.sizes());
  check_same_dtype("bmm", a, b);
  KILN_CHECK(a.size(0) == b.size(0), "bmm: shapes ", a.sizes(), " and ", b.sizes(),
             " cannot be multiplied (batch sizes ", a.size(0), " != ", b.size(0), ")");
  check_inner("bmm", a, a.size(2), b, b.size(1));
  return product(a, b, "BmmBackward0");
}

// outer and ger are a broadcast product (so they promote dtypes, as in PyTorch).
Tensor outer(const Tensor& a, const Tensor& b) {
  KILN_CHECK(a.dim() == 1, "outer: Expected 1-D argument self, but got ", a.dim(), "-D");
  KILN_CHECK(b.dim() == 1, "outer: Expected 1-D argument vec2, but got ", b.dim(), "-D");
  return a.unsqueeze(1) * b;
}
Tensor ger(const Tensor& a, const Tensor& b) {
  KILN_CHECK(a.dim() == 1 && b.dim() == 1, "ger: expected 1-D arguments, but got ", a.dim(), "-D and ", b.dim(), "-D");
  return outer(a, b);
}

// beta * bias + alpha * (a @ b) in one gemm: bias is copied into the result,
// which BLAS then scales by beta and accumulates into.
Tensor addmm(const Tensor& bias, const Tensor& a, const Tensor& b, Scalar beta_, Scalar alpha_) {
  KILN_CHECK(a.dim() == 2 && b.dim() == 2, "addmm: expected 2-D tensors (matrices), but got ", a.dim(), "-D ",
             a.sizes(), " and ", b.dim(), "-D ", b.sizes());
  check_same_dtype("addmm", a, b);
  check_same_dtype("addmm", bias, a);
  check_inner("addmm", a, a.size(1), b, b.size(0));
  Shape shape{a.size(0), b.size(1)};
  KILN_CHECK(core::is_expandable_to(bias.sizes(), shape), "addmm: bias of shape ", bias.sizes(),
             " cannot be broadcast to the product's shape ", shape);
  double beta = beta_.to_double(), alpha = alpha_.to_double();
  Tensor r = core::empty(shape, a.dtype());
  if (beta != 0) kernels::copy(r, bias);  // beta == 0 ignores bias, NaN included (as BLAS)
  kernels::matmul_out(r, a, b, beta, alpha);
  return autograd::differentiable(
      std::move(r), {"AddmmBackward0", {bias, a, b}, {a, b}},
      [beta, alpha](const BackwardArgs& g) -> Grads {
        const Tensor &a = g.saved[0], &b = g.saved[1];
        return {g.needs_grad(0) ? g.grad() * beta : Tensor(),
                g.needs_grad(1) ? product(g.grad(), b.mT(), "MmBackward0") * alpha : Tensor(),
                g.needs_grad(2) ? product(a.mT(), g.grad(), "MmBackward0") * alpha : Tensor()};
      },
      [beta, alpha](const ForwardArgs& f) {
        ForwardArgs ab{{f.tangent(1), f.tangent(2)}, {f.primal(1), f.primal(2)}, f.result};
        Tensor t = product_tangent(ab, [](const Tensor& x, const Tensor& y) { return product(x, y, "MmBackward0"); });
        t = t.defined() ? t * alpha : zeros_like(f.result);
        if (f.tangent(0).defined() && beta != 0) t = t + f.tangent(0) * beta;
        return t;
      });
}

// Contracts dims_a of a with dims_b of b: both are permuted and flattened to
// matrices (free dims x contracted dims), multiplied, and unflattened.
Tensor tensordot(const Tensor& a_, const Tensor& b_, IntArrayRef dims_a, IntArrayRef dims_b) {
  KILN_CHECK(dims_a.size() == dims_b.size(), "tensordot: both dimension lists should have same length (got ",
             dims_a.size(), " and ", dims_b.size(), ")");
  check_same_dtype("tensordot", a_, b_);
  uint64_t mask_a = core::dim_mask(dims_a, a_.dim(), "tensordot"), mask_b = core::dim_mask(dims_b, b_.dim(), "tensordot");
  Tensor a = a_, b = b_;
  std::vector<int64_t> perm_a, perm_b;
  Shape out;
  int64_t contracted = 1, free_a = 1, free_b = 1;
  for (int64_t d = 0; d < a.dim(); ++d)
    if (!(mask_a >> d & 1)) {
      perm_a.push_back(d);
      out.push_back(a.size(d));
      free_a *= a.size(d);
    }
  for (size_t i = 0; i < dims_a.size(); ++i) {
    int64_t da = core::wrap_dim(dims_a[i], a.dim(), "tensordot"), db = core::wrap_dim(dims_b[i], b.dim(), "tensordot");
    int64_t sa = a.size(da), sb = b.size(db);
    KILN_CHECK(sa == sb || sa == 1 || sb == 1, "tensordot: contracted dimensions need to match, but first has size ",
               sa, " in dim ", da, " and second has size ", sb, " in dim ", db);
    // A size-1 dim against a larger one broadcasts: the larger side is summed first.
    if (sa != sb) (sa == 1 ? b : a) = (sa == 1 ? b : a).sum({sa == 1 ? db : da}, true);
    perm_a.push_back(da);
    perm_b.push_back(db);
    contracted *= a.size(da);
  }
  for (int64_t d = 0; d < b.dim(); ++d)
    if (!(mask_b >> d & 1)) {
      perm_b.push_back(d);
      out.push_back(b.size(d));
      free_b *= b.size(d);
    }
  Tensor ma = a.permute(perm_a).reshape({free_a, contracted});
  Tensor mb = b.permute(perm_b).reshape({contracted, free_b});
  return product(ma, mb, "MmBackward0").reshape(out);
}

}  // namespace kiln
