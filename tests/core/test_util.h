// Helpers shared by the core tests: build tensors from double values, read
// them back, compare with libtorch's expected results, and check errors.
#pragma once
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <cmath>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

namespace core_test {

// A tensor of `shape` holding `values` (given as doubles), converted to `dtype`.
inline kiln::Tensor make(const std::vector<int64_t>& shape, const std::vector<double>& values,
                         kiln::ScalarType dtype = kiln::kFloat64) {
  kiln::Tensor t = kiln::tensor(values, kiln::kFloat64);
  if (values.empty()) t = kiln::empty({0}, kiln::kFloat64);
  return t.reshape(shape).to(dtype);
}

// Every element as a double, in row-major order (works for any strides).
inline std::vector<double> values_of(const kiln::Tensor& t) {
  kiln::Tensor c = t.to(kiln::kFloat64).contiguous();
  const double* p = c.data_ptr<double>();
  return std::vector<double>(p, p + c.numel());
}

inline std::vector<int64_t> shape_of(const kiln::Tensor& t) { return t.sizes().vec(); }

// Equal up to a relative tolerance; NaN matches NaN, infinities match exactly.
inline bool close(double got, double want, double rtol) {
  if (std::isnan(want)) return std::isnan(got);
  if (std::isinf(want)) return got == want;
  return std::fabs(got - want) <= rtol * std::max(1.0, std::fabs(want));
}

inline ::testing::AssertionResult values_match(const kiln::Tensor& t, const std::vector<double>& want,
                                               double rtol = 1e-6) {
  std::vector<double> got = values_of(t);
  if (got.size() != want.size())
    return ::testing::AssertionFailure() << "got " << got.size() << " values, want " << want.size();
  for (size_t i = 0; i < got.size(); ++i)
    if (!close(got[i], want[i], rtol))
      return ::testing::AssertionFailure() << "element " << i << ": got " << got[i] << ", want " << want[i];
  return ::testing::AssertionSuccess();
}

// dtype, shape and values all as expected.
inline ::testing::AssertionResult matches(const kiln::Tensor& t, kiln::ScalarType dtype,
                                          const std::vector<int64_t>& shape, const std::vector<double>& want,
                                          double rtol = 1e-6) {
  if (!t.defined()) return ::testing::AssertionFailure() << "undefined tensor";
  if (t.dtype() != dtype) return ::testing::AssertionFailure() << "dtype " << t.dtype() << ", want " << dtype;
  if (shape_of(t) != shape)
    return ::testing::AssertionFailure() << "shape " << t.sizes() << ", want " << kiln::IntArrayRef(shape);
  return values_match(t, want, rtol);
}

// f() throws kiln::Error whose message contains every one of `parts`.
inline ::testing::AssertionResult throws_error(const std::function<void()>& f,
                                               const std::vector<std::string>& parts) {
  try {
    f();
  } catch (const kiln::Error& e) {
    std::string msg = e.what();
    for (const std::string& p : parts)
      if (msg.find(p) == std::string::npos)
        return ::testing::AssertionFailure() << "message \"" << msg << "\" lacks \"" << p << "\"";
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw a non-kiln exception: " << e.what();
  }
  return ::testing::AssertionFailure() << "did not throw";
}

// True when a and b are views of the same memory (writes through one show in the other).
inline bool shares_storage(const kiln::Tensor& a, const kiln::Tensor& b) {
  auto lo = [](const kiln::Tensor& t) { return static_cast<const char*>(t.data_ptr()) - t.storage_offset() * t.element_size(); };
  return lo(a) == lo(b);
}

inline const char* dtype_label(kiln::ScalarType t) { return kiln::python_name(t); }

}  // namespace core_test
