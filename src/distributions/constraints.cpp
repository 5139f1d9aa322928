// torch.distributions.constraints: each a name (torch's repr) and a check.
#include "common.h"
#include "kiln/linalg.h"

namespace kiln::distributions::constraints {
namespace {

using detail::format_number;

std::string bound(const Tensor& t) {
  return t.numel() == 1 ? format_number(t.item<double>()) : kiln::detail::concat("tensor of shape ", t.sizes());
}

Tensor is_integer(const Tensor& x) { return x.eq(x.floor()); }

}  // namespace

Constraint real() { return {"Real()", [](const Tensor& x) { return x.eq(x); }}; }
Constraint positive() { return greater_than(0.0); }
Constraint greater_than(double lb) {
  return {"GreaterThan(lower_bound=" + format_number(lb) + ")", [lb](const Tensor& x) { return x.gt(lb); }};
}
Constraint nonnegative() { return {"GreaterThanEq(lower_bound=0.0)", [](const Tensor& x) { return x.ge(0); }}; }
Constraint unit_interval() {
  return {"Interval(lower_bound=0.0, upper_bound=1.0)", [](const Tensor& x) { return x.ge(0).logical_and(x.le(1)); }};
}
Constraint boolean() {
  return {"Boolean()", [](const Tensor& x) { return x.eq(0).logical_or(x.eq(1)); }, 0, true};
}
Constraint nonnegative_integer() {
  return {"IntegerGreaterThan(lower_bound=0)", [](const Tensor& x) { return is_integer(x).logical_and(x.ge(0)); },
          0, true};
}
Constraint interval(const Tensor& lower, const Tensor& upper) {
  return {"Interval(lower_bound=" + bound(lower) + ", upper_bound=" + bound(upper) + ")",
          [lower, upper](const Tensor& x) { return x.ge(lower).logical_and(x.le(upper)); }};
}
Constraint integer_interval(double lower, const Tensor& upper) {
  return {"IntegerInterval(lower_bound=" + std::to_string(static_cast<int64_t>(lower)) + ", upper_bound=" +
              bound(upper) + ")",
          [lower, upper](const Tensor& x) { return is_integer(x).logical_and(x.ge(lower)).logical_and(x.le(upper)); },
          0, true};
}
Constraint simplex() {
  return {"Simplex()",
          [](const Tensor& x) {
            return x.ge(0).all(-1).logical_and((x.sum({-1}) - 1).abs().lt(1e-6));
          },
          1};
}
Constraint one_hot() {
  return {"OneHot()",
          [](const Tensor& x) { return x.eq(0).logical_or(x.eq(1)).all(-1).logical_and(x.sum({-1}).eq(1)); }, 1,
          true};
}
Constraint multinomial(int64_t upper_bound) {
  return {"Multinomial(upper_bound=" + std::to_string(upper_bound) + ")",
          [upper_bound](const Tensor& x) { return x.ge(0).all(-1).logical_and(x.sum({-1}).le(upper_bound)); }, 1,
          true};
}
Constraint lower_cholesky() {
  return {"LowerCholesky()",
          [](const Tensor& x) {
            Tensor lower = x.tril().eq(x).flatten(-2).all(-1);
            Tensor positive_diagonal = x.diagonal(0, -2, -1).gt(0).all(-1);
            return lower.logical_and(positive_diagonal);
          },
          2};
}
Constraint positive_definite() {
  return {"PositiveDefinite()",
          [](const Tensor& x) {
            Tensor symmetric = isclose(x, x.mT(), 1e-5, 1e-6).flatten(-2).all(-1);
            // Symmetric with positive eigenvalues (torch: cholesky_ex succeeds).
            if (!symmetric.all().item<bool>()) return symmetric;
            return linalg::eigvalsh(x).gt(0).all(-1);
          },
          2};
}
Constraint independent(const Constraint& base, int64_t reinterpreted) {
  Callable<Tensor(const Tensor&)> check = base.check;
  return {"IndependentConstraint(" + base.name + ", " + std::to_string(reinterpreted) + ")",
          [check, reinterpreted](const Tensor& x) {
            Tensor r = check(x);
            for (int64_t i = 0; i < reinterpreted; ++i) r = r.all(-1);
            return r;
          },
          base.event_dim + reinterpreted, base.is_discrete};
}

}  // namespace kiln::distributions::constraints
