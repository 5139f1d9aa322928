// Test support for compiling libtorch's own frontend tests against kiln:
// what their test/cpp/api/support.h provides, written for kiln.
#pragma once
#include <gtest/gtest.h>

#include <kiln/kiln.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace kiln {
// c10::irange(n) and c10::irange(a, b) for range-for loops.
template <class I>
struct IntRange {
  struct It {
    I v;
    I operator*() const { return v; }
    It& operator++() { ++v; return *this; }
    bool operator!=(const It& o) const { return v != o.v; }
  };
  I b, e;
  It begin() const { return {b}; }
  It end() const { return {e}; }
};
template <class I> IntRange<I> irange(I end) { return {I(0), end < I(0) ? I(0) : end}; }
template <class I, class J> IntRange<J> irange(I begin, J end) { return {J(begin), end}; }
}  // namespace kiln

namespace kiln::test {

#define ASSERT_THROWS_WITH(statement, substring)                                     \
  {                                                                                  \
    std::string assert_throws_with_error_message;                                    \
    try {                                                                            \
      (void)statement;                                                               \
      FAIL() << "Expected statement `" #statement "` to throw an exception, but it did not"; \
    } catch (const std::exception& e) {                                              \
      assert_throws_with_error_message = e.what();                                   \
    }                                                                                \
    if (assert_throws_with_error_message.find(substring) == std::string::npos) {     \
      FAIL() << "Error message \"" << assert_throws_with_error_message               \
             << "\" did not contain expected substring \"" << substring << "\"";     \
    }                                                                                \
  }

inline void assert_tensor_equal(const Tensor& a, const Tensor& b, bool allow_inf = false) {
  ASSERT_TRUE(a.sizes() == b.sizes());
  if (a.numel() > 0) {
    if ((a.scalar_type() == kFloat || a.scalar_type() == kDouble) && !allow_inf) {
      ASSERT_TRUE(isfinite(a).all().item<bool>());
    }
    ASSERT_TRUE(a.to(kDouble).sub(b.to(kDouble)).abs().max().item<double>() < 1e-5);
  }
}

inline void assert_tensor_not_equal(const Tensor& x, const Tensor& y) {
  if (x.sizes() != y.sizes()) return;
  ASSERT_GT(x.numel(), 0);
  ASSERT_GE(x.to(kDouble).sub(y.to(kDouble)).abs().max().item<double>(), 1e-5);
}

inline int count_substr_occurrences(const std::string& str, const std::string& substr) {
  int count = 0;
  for (size_t pos = str.find(substr); pos != std::string::npos; pos = str.find(substr, pos + substr.size()))
    ++count;
  return count;
}

#if __has_include(<kiln/warning.h>)
// Collects the warnings raised while it lives.
class WarningCapture : public WarningHandler {
 public:
  WarningCapture() : prev_(Warning::get_warning_handler()) { Warning::set_warning_handler(this); }
  ~WarningCapture() override { Warning::set_warning_handler(prev_); }
  const std::vector<std::string>& messages() { return messages_; }
  std::string str() {
    std::string all;
    for (size_t i = 0; i < messages_.size(); ++i) all += (i ? "\n" : "") + messages_[i];
    return all;
  }
  void process(const SourceLocation&, const std::string& msg, const bool) override { messages_.push_back(msg); }

 private:
  WarningHandler* prev_;
  std::vector<std::string> messages_;
};
#endif

// Sets the default dtype while it lives.
struct AutoDefaultDtypeMode {
  explicit AutoDefaultDtypeMode(ScalarType dtype) : prev_(get_default_dtype()) { set_default_dtype(dtype); }
  ~AutoDefaultDtypeMode() { set_default_dtype(prev_); }
  ScalarType prev_;
};

}  // namespace kiln::test
