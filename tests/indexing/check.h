// Derivative checks for the indexing tests, on kiln::autograd::gradcheck
// (reverse mode), gradgradcheck (second order) and the shared forward-mode
// check, all against float64 central differences.
#pragma once
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <functional>
#include <string>
#include <vector>

#include "common/derivative_checks.h"
#include "common/expect_error.h"

namespace kiln_test {

using Fn = std::function<kiln::Tensor(const std::vector<kiln::Tensor>&)>;

// Deterministic, distinct float64 values of a shape (no two equal, none zero).
inline kiln::Tensor values(kiln::IntArrayRef shape, double phase = 0.0) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return ((kiln::arange(n, kiln::kFloat64) * 0.731 + phase).sin() + 1.5).reshape(shape);
}

inline std::vector<kiln::Tensor> leaves(std::vector<kiln::Tensor> inputs) {
  for (kiln::Tensor& x : inputs) x = x.detach().clone().requires_grad_(true);
  return inputs;
}

// gradcheck and gradgradcheck raise with the mismatching Jacobians: report them.
template <class Check>
void expect_check(Check&& check) {
  try {
    EXPECT_TRUE(check());
  } catch (const kiln::Error& e) {
    ADD_FAILURE() << e.what();
  }
}

// Reverse mode always; forward mode unless `forward` is false.
inline void expect_gradients(const Fn& f, std::vector<kiln::Tensor> inputs, bool forward = true, double eps = 1e-6,
                             double atol = 1e-5, double rtol = 1e-3) {
  inputs = leaves(std::move(inputs));
  expect_check([&] { return kiln::autograd::gradcheck(f, inputs, eps, atol, rtol); });
  if (forward) EXPECT_EQ(kiln::test::forward_mode_mismatch(f, inputs, eps, atol, rtol), "");
}

// Second order: the gradient map itself, through the graph built with create_graph.
inline void expect_second_order(const Fn& f, const std::vector<kiln::Tensor>& inputs) {
  expect_check([&] { return kiln::autograd::gradgradcheck(f, leaves(inputs)); });
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
