// The goldens of tools/golden/gen_distributions.py (torch 1.13's
// torch.distributions): a parser, and a factory that builds the kiln
// distribution each case names.
#pragma once
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace dist_test {

using kiln::Tensor;
using Args = std::map<std::string, Tensor>;

struct Case {
  int id;
  std::string cls;
  Args args;
};
struct MethodCall {
  int id;
  std::string method;
  Tensor input;     // undefined for properties
  Tensor expected;  // undefined when torch raised
};
struct KLCall {
  int p, q;
  Tensor expected;  // undefined when torch raised
};
struct Goldens {
  std::map<int, Case> cases;
  std::vector<MethodCall> methods;
  std::vector<KLCall> kls;
};

// Loads tests/distributions/data/golden.txt (fails the test if it is missing).
const Goldens& goldens();
// "[2,3]:1.0,2.0,..." as a float64 tensor.
Tensor parse_tensor(const std::string& text);
// The kiln distribution of a case (its class spelling as the generator's).
std::shared_ptr<kiln::distributions::Distribution> make(const Case& c);

// Same shape; equal where torch gives nan or +-inf; else within rel (and 1e-13 absolute).
void expect_matches(const Tensor& actual, const Tensor& expected, const std::string& what, double rel = 1e-10);

}  // namespace dist_test
