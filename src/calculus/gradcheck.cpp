// gradcheck: the analytic Jacobian (one autograd::grad per output element,
// seeded with a one-hot gradient) against float64 central differences (two
// evaluations of f per input element). gradgradcheck runs gradcheck on the
// function inputs -> vector-Jacobian product with fixed pseudo-random
// cotangents, which exercises every backward formula's own backward.
#include <cmath>
#include <cstdint>
#include <sstream>

#include "calculus/jacobian.h"
#include "kiln/autograd.h"
#include "kiln/functions.h"

namespace kiln::autograd {
namespace {

using Fn = Callable<variable_list(const variable_list&)>;

// The values of t, flattened in row-major order, as doubles.
std::vector<double> values_of(const Tensor& t) {
  Tensor c = t.detach().to(kFloat64).contiguous();
  const double* p = c.data_ptr<double>();
  return std::vector<double>(p, p + c.numel());
}

// A detached contiguous copy of x with element j moved by delta.
Tensor perturbed(const Tensor& x, int64_t j, double delta) {
  NoGradGuard no_grad;
  Tensor c = x.detach().to(kFloat64).contiguous().clone();
  c.data_ptr<double>()[j] += delta;
  return c.to(x.dtype());
}

bool close(double analytic, double numeric, double atol, double rtol) {
  if (std::isnan(analytic) || std::isnan(numeric)) return std::isnan(analytic) && std::isnan(numeric);
  return std::abs(analytic - numeric) <= atol + rtol * std::abs(numeric);
}

// jac[k][e * n_in + j]: d output k element e / d input element j.
using Jacobians = std::vector<std::vector<double>>;

Jacobians numeric_jacobian(const Fn& f, const variable_list& inputs, size_t i, const variable_list& outputs,
                           double eps) {
  const Tensor& x = inputs[i];
  const int64_t n = x.numel();
  Jacobians jac(outputs.size());
  for (size_t k = 0; k < outputs.size(); ++k) jac[k].assign(static_cast<size_t>(outputs[k].numel() * n), 0.0);
  NoGradGuard no_grad;
  variable_list args = inputs;
  for (int64_t j = 0; j < n; ++j) {
    args[i] = perturbed(x, j, eps);
    variable_list plus = f(args);
    args[i] = perturbed(x, j, -eps);
    variable_list minus = f(args);
    KILN_CHECK(plus.size() == outputs.size() && minus.size() == outputs.size(),
               "gradcheck: the function returned a different number of outputs when an input was perturbed");
    for (size_t k = 0; k < outputs.size(); ++k) {
      if (!is_floating_point(outputs[k].dtype())) continue;
      KILN_CHECK(plus[k].sizes() == outputs[k].sizes(), "gradcheck: output ", k, " changed shape from ",
                 outputs[k].sizes(), " to ", plus[k].sizes(), " when input ", i, " was perturbed");
      std::vector<double> p = values_of(plus[k]), m = values_of(minus[k]);
      for (size_t e = 0; e < p.size(); ++e) jac[k][e * n + j] = (p[e] - m[e]) / (2 * eps);
    }
  }
  return jac;
}

// Analytic Jacobians of every output w.r.t. the inputs listed in `diff`,
// indexed [input][output].
std::vector<Jacobians> analytic_jacobians(const variable_list& outputs, const variable_list& diff) {
  std::vector<Jacobians> jac(diff.size(), Jacobians(outputs.size()));
  for (size_t i = 0; i < diff.size(); ++i)
    for (size_t k = 0; k < outputs.size(); ++k)
      jac[i][k].assign(static_cast<size_t>(outputs[k].numel() * diff[i].numel()), 0.0);
  for (size_t k = 0; k < outputs.size(); ++k) {
    const Tensor& out = outputs[k];
    if (!out.requires_grad()) continue;  // constant in the inputs: a zero Jacobian
    for (int64_t e = 0; e < out.numel(); ++e) {
      Tensor seed = basis_like(out, e);
      variable_list g = grad({out}, diff, {seed}, /*retain_graph=*/true, /*create_graph=*/false,
                             /*allow_unused=*/true);
      for (size_t i = 0; i < diff.size(); ++i) {
        if (!g[i].defined()) continue;
        KILN_CHECK(g[i].sizes() == diff[i].sizes(), "gradcheck: the gradient for input ", i, " has shape ",
                   g[i].sizes(), " but the input has shape ", diff[i].sizes());
        std::vector<double> v = values_of(g[i]);
        const size_t n = v.size();
        for (size_t j = 0; j < n; ++j) jac[i][k][static_cast<size_t>(e) * n + j] = v[j];
      }
    }
  }
  return jac;
}

std::string index_string(IntArrayRef sizes, int64_t flat) {
  std::vector<int64_t> idx(sizes.size());
  for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d >= 0; --d) {
    idx[d] = sizes[d] ? flat % sizes[d] : 0;
    flat = sizes[d] ? flat / sizes[d] : 0;
  }
  std::ostringstream os;
  os << '[';
  for (size_t d = 0; d < idx.size(); ++d) os << (d ? ", " : "") << idx[d];
  os << ']';
  return os.str();
}

bool check(const Fn& f, const variable_list& inputs, double eps, double atol, double rtol, bool raise,
           const char* what) {
  variable_list diff;
  std::vector<size_t> diff_pos;
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].defined() && inputs[i].requires_grad()) {
      KILN_CHECK(is_floating_point(inputs[i].dtype()), what, ": input ", i, " requires grad but has dtype ",
                 inputs[i].dtype());
      diff.push_back(inputs[i]);
      diff_pos.push_back(i);
    }
  KILN_CHECK(!diff.empty(), what, ": at least one input tensor should require grad");

  variable_list outputs = f(inputs);
  std::vector<Jacobians> analytic = analytic_jacobians(outputs, diff);
  for (size_t d = 0; d < diff.size(); ++d) {
    const size_t i = diff_pos[d];
    Jacobians numeric = numeric_jacobian(f, inputs, i, outputs, eps);
    const int64_t n = inputs[i].numel();
    for (size_t k = 0; k < outputs.size(); ++k) {
      if (!is_floating_point(outputs[k].dtype())) continue;
      for (size_t idx = 0; idx < numeric[k].size(); ++idx) {
        const double a = analytic[d][k][idx], num = numeric[k][idx];
        if (close(a, num, atol, rtol)) continue;
        if (!raise) return false;
        const int64_t e = static_cast<int64_t>(idx) / n, j = static_cast<int64_t>(idx) % n;
        std::ostringstream os;
        os.precision(10);
        os << what << ": Jacobian mismatch for output " << k << " with respect to input " << i << " (shape "
           << inputs[i].sizes() << "), input element " << index_string(inputs[i].sizes(), j) << ", output element "
           << index_string(outputs[k].sizes(), e) << ": numerical = " << num << ", analytical = " << a
           << " (atol " << atol << ", rtol " << rtol << ")";
        throw Error(os.str());
      }
    }
  }
  return true;
}

// Deterministic values in [-1, 1) for the fixed cotangents of gradgradcheck
// (a splitmix64 stream: no dependence on the global random generator).
Tensor pseudo_random_like(const Tensor& t, uint64_t seed) {
  std::vector<double> v(static_cast<size_t>(t.numel()));
  uint64_t s = seed;
  for (double& x : v) {
    s += 0x9E3779B97F4A7C15ull;
    uint64_t z = s;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    x = static_cast<double>(z >> 11) / static_cast<double>(uint64_t{1} << 53) * 2.0 - 1.0;
  }
  return tensor(v).to(t.dtype()).reshape(t.sizes());
}

}  // namespace

bool gradcheck(const Callable<variable_list(const variable_list&)>& f, const variable_list& inputs, double eps,
               double atol, double rtol, bool raise_exception) {
  return check(f, inputs, eps, atol, rtol, raise_exception, "gradcheck");
}

bool gradcheck(const Callable<Tensor(const variable_list&)>& f, const variable_list& inputs, double eps,
               double atol, double rtol, bool raise_exception) {
  Fn wrapped = [&f](const variable_list& xs) { return variable_list{f(xs)}; };
  return check(wrapped, inputs, eps, atol, rtol, raise_exception, "gradcheck");
}

bool gradgradcheck(const Callable<Tensor(const variable_list&)>& f, const variable_list& inputs, double eps,
                   double atol, double rtol, bool raise_exception) {
  // The cotangent v is an extra input that requires grad, as in PyTorch:
  // the checked function is (inputs..., v) -> grad(f(inputs), inputs, v).
  Tensor out;
  {
    NoGradGuard no_grad;
    out = f(inputs);
  }
  KILN_CHECK(is_floating_point(out.dtype()), "gradgradcheck: the function's output has dtype ", out.dtype());
  Tensor v = pseudo_random_like(out, 0x6b696c6eull).requires_grad_(true);
  variable_list all = inputs;
  all.push_back(v);
  const size_t n_inputs = inputs.size();
  // Which inputs are differentiated, fixed now: perturbed copies do not
  // require grad.
  std::vector<bool> differentiable;
  for (const Tensor& x : inputs) differentiable.push_back(x.defined() && x.requires_grad());
  Fn vjp = [&f, n_inputs, differentiable](const variable_list& xs) {
    variable_list ins(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(n_inputs));
    const Tensor& cot = xs[n_inputs];
    bool all_tracked = GradMode::is_enabled();
    variable_list diff;
    for (size_t i = 0; i < n_inputs; ++i)
      if (differentiable[i]) {
        diff.push_back(ins[i]);
        all_tracked = all_tracked && ins[i].requires_grad();
      }
    Tensor y = all_tracked ? f(ins) : Tensor();
    variable_list result;
    if (!all_tracked || !y.requires_grad()) {
      // Numeric evaluations (no graph): recompute the VJP with a graph on
      // detached copies, then drop it.
      EnableGradGuard grad_mode;
      variable_list fresh;
      variable_list fresh_diff;
      for (size_t i = 0; i < n_inputs; ++i) {
        const Tensor& x = ins[i];
        if (differentiable[i]) {
          fresh.push_back(x.detach().requires_grad_(true));
          fresh_diff.push_back(fresh.back());
        } else {
          fresh.push_back(x);
        }
      }
      Tensor yy = f(fresh);
      variable_list g = yy.requires_grad()
                            ? grad({yy}, fresh_diff, {cot.detach()}, false, false, /*allow_unused=*/true)
                            : variable_list(fresh_diff.size());
      for (size_t d = 0; d < g.size(); ++d)
        result.push_back(g[d].defined() ? g[d].detach() : zeros_like(fresh_diff[d]));
      return result;
    }
    variable_list g = grad({y}, diff, {cot}, /*retain_graph=*/true, /*create_graph=*/true, /*allow_unused=*/true);
    for (size_t d = 0; d < g.size(); ++d) result.push_back(g[d].defined() ? g[d] : zeros_like(diff[d]));
    return result;
  };
  return check(vjp, all, eps, atol, rtol, raise_exception, "gradgradcheck");
}

}  // namespace kiln::autograd
