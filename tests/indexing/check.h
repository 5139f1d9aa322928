// Derivative checks for the indexing tests: a small central-difference
// checker (kiln::autograd::gradcheck was still unimplemented when these tests
// were written). It compares the full Jacobian from reverse mode (one
// backward per output element) and from forward mode (one JVP per input
// element) with float64 central differences.
#pragma once
#include <gtest/gtest.h>
#include <kiln/forward_ad.h>
#include <kiln/kiln.h>

#include <functional>
#include <string>
#include <vector>

#include "common/expect_error.h"

namespace kiln_test {

using Fn = std::function<kiln::Tensor(const std::vector<kiln::Tensor>&)>;

// Deterministic, distinct float64 values of a shape (no two equal, none zero).
inline kiln::Tensor values(kiln::IntArrayRef shape, double phase = 0.0) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return ((kiln::arange(n, kiln::kFloat64) * 0.731 + phase).sin() + 1.5).reshape(shape);
}

// d f(xs) (flattened) / d xs[k][j] by central differences.
inline kiln::Tensor numeric_column(const Fn& f, const std::vector<kiln::Tensor>& xs, size_t k, int64_t j, double eps) {
  // Detached copies record nothing (grad mode stays on for expect_second_order).
  auto shifted = [&](double h) {
    std::vector<kiln::Tensor> ys;
    for (const kiln::Tensor& x : xs) ys.push_back(x.detach().clone());
    ys[k].data_ptr<double>()[j] += h;
    return f(ys).to(kiln::kFloat64).reshape({-1});
  };
  return (shifted(eps) - shifted(-eps)) / (2 * eps);
}

inline void expect_close(const kiln::Tensor& analytic, const kiln::Tensor& numeric, const std::string& what,
                         double atol, double rtol) {
  ASSERT_EQ(analytic.sizes(), numeric.sizes()) << what;
  EXPECT_TRUE(kiln::allclose(analytic.to(kiln::kFloat64), numeric, rtol, atol))
      << what << "\nanalytic: " << analytic << "\nnumeric: " << numeric;
}

// Reverse mode always; forward mode unless `forward` is false.
inline void expect_gradients(const Fn& f, std::vector<kiln::Tensor> inputs, bool forward = true, double eps = 1e-6,
                             double atol = 1e-5, double rtol = 1e-3) {
  for (kiln::Tensor& x : inputs) x = x.detach().clone().requires_grad_(true);
  kiln::Tensor y = f(inputs).reshape({-1});
  const int64_t m = y.numel();
  // numeric[k] is [numel(x_k), m]: row j = d y / d x_k[j].
  std::vector<kiln::Tensor> numeric;
  for (size_t k = 0; k < inputs.size(); ++k) {
    std::vector<kiln::Tensor> cols;
    for (int64_t j = 0; j < inputs[k].numel(); ++j) cols.push_back(numeric_column(f, inputs, k, j, eps));
    numeric.push_back(kiln::stack(cols, 0));
  }
  for (int64_t i = 0; i < m; ++i) {
    kiln::variable_list g = kiln::autograd::grad({y[i]}, inputs, {}, true, false, true);
    for (size_t k = 0; k < inputs.size(); ++k) {
      kiln::Tensor row = g[k].defined() ? g[k].reshape({-1}) : kiln::zeros({inputs[k].numel()}, kiln::kFloat64);
      expect_close(row, numeric[k].select(1, i), "reverse mode, output " + std::to_string(i) + ", input " +
                                                      std::to_string(k), atol, rtol);
    }
  }
  if (!forward) return;
  namespace fwd = kiln::autograd::forward_ad;
  for (size_t k = 0; k < inputs.size(); ++k)
    for (int64_t j = 0; j < inputs[k].numel(); ++j) {
      fwd::dual_level level;
      std::vector<kiln::Tensor> duals;
      for (size_t q = 0; q < inputs.size(); ++q) {
        kiln::Tensor t = kiln::zeros(inputs[q].sizes(), kiln::kFloat64);
        if (q == k) t.reshape({-1})[j].fill_(1.0);
        duals.push_back(fwd::make_dual(inputs[q].detach(), t));
      }
      auto [primal, tangent] = fwd::unpack_dual(f(duals));
      ASSERT_TRUE(tangent.defined()) << "forward mode: no tangent for input " << k;
      expect_close(tangent.reshape({-1}), numeric[k].select(0, j),
                   "forward mode, input " + std::to_string(k) + " element " + std::to_string(j), atol, rtol);
    }
}

// Second order: checks the gradient map xs -> d/dxs sum(f(xs) * w) itself,
// through the graph built with create_graph.
inline void expect_second_order(const Fn& f, const std::vector<kiln::Tensor>& inputs) {
  Fn gradient = [f](const std::vector<kiln::Tensor>& inputs) {
    // Under the numeric check the inputs are plain copies: make them leaves.
    std::vector<kiln::Tensor> xs;
    for (const kiln::Tensor& x : inputs) xs.push_back(x.requires_grad() ? x : x.detach().requires_grad_(true));
    kiln::Tensor y = f(xs);
    kiln::Tensor w = values(y.sizes(), 0.5);
    kiln::variable_list g = kiln::autograd::grad({(y * y * w).sum()}, xs, {}, true, true, true);
    std::vector<kiln::Tensor> flat;
    for (size_t k = 0; k < g.size(); ++k)
      flat.push_back(g[k].defined() ? g[k].reshape({-1}) : kiln::zeros({xs[k].numel()}, kiln::kFloat64));
    return kiln::cat(flat, 0);
  };
  expect_gradients(gradient, inputs, /*forward=*/false);
}

// Integer index tensors from a list.
inline kiln::Tensor longs(std::vector<int64_t> v) { return kiln::tensor(v); }

inline std::vector<double> to_vector(const kiln::Tensor& t) {
  kiln::Tensor c = t.to(kiln::kFloat64).contiguous();
  const double* p = c.data_ptr<double>();
  return std::vector<double>(p, p + c.numel());
}

}  // namespace kiln_test

namespace kiln_test {
// t has `shape` and, row-major, these values (to 1e-9: the references were
// printed by PyTorch 1.13 to 10 decimals).
inline void expect_values(const kiln::Tensor& t, std::vector<int64_t> shape, std::vector<double> expected) {
  ASSERT_EQ(t.sizes(), shape);
  std::vector<double> got = to_vector(t);
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected[i], 1e-9) << "at flat index " << i;
}
}  // namespace kiln_test
