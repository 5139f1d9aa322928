// The pairwise piece of every stationary kernel: squared distances between
// scaled inputs, one node whose backward is two products,
//   gZ1 = 2 (Z1 * rowsum(G) - G Z2),  gZ2 = 2 (Z2 * colsum(G) - G^T Z1),
// exact at zero distance (where it is 2 (z - z') = 0), and written in kiln
// ops so that it can be differentiated again. Values come from cdist's
// direct differences: ||z||^2 + ||z'||^2 - 2 z.z' would cancel
// catastrophically for close points.
#include "common.h"
#include "kiln/autograd_function.h"
#include "kiln/forward_ad.h"

namespace kiln::gp::detail {
namespace {
using autograd::AutogradContext;
using autograd::variable_list;

struct SquaredDistance : autograd::Function<SquaredDistance> {
  static Tensor forward(AutogradContext* ctx, const Tensor& Z1, const Tensor& Z2) {
    ctx->save_for_backward({Z1, Z2});
    return cdist(Z1, Z2).square();
  }
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    variable_list z = ctx->get_saved_variables();
    const Tensor &G = grads[0], &Z1 = z[0], &Z2 = z[1];
    Tensor g1, g2;
    if (ctx->needs_input_grad(0)) g1 = 2 * (Z1 * G.sum({1}, true) - G.matmul(Z2));
    if (ctx->needs_input_grad(1)) g2 = 2 * (Z2 * G.sum({0}).unsqueeze(1) - G.t().matmul(Z1));
    return {g1, g2};
  }
};

}  // namespace

bool has_tangent(const Tensor& t) { return std::get<1>(autograd::forward_ad::unpack_dual(t)).defined(); }

Tensor scaled_sq_dist(const Tensor& X1, const Tensor& X2, const Tensor& lengthscale, const char* op) {
  KILN_CHECK(X1.size(1) == X2.size(1), op, ": inputs with ", X1.size(1), " and ", X2.size(1), " features");
  check_features(lengthscale, X1, op, "lengthscale");
  Tensor l = like(lengthscale, X1);
  // Tangents do not pass through custom functions: under forward-mode AD the differences are recorded ops.
  if (has_tangent(X1) || has_tangent(X2) || has_tangent(l))
    return (X1.unsqueeze(1) / l - X2.unsqueeze(0) / l).square().sum({-1});
  if (X1.is_same(X2)) {
    Tensor Z = X1 / l;
    return SquaredDistance::apply(Z, Z);
  }
  return SquaredDistance::apply(X1 / l, X2 / l);
}

}  // namespace kiln::gp::detail
