// Anomaly mode reports where the failing node was recorded, as libtorch: a
// warning with the call stack that created it, then one per node whose
// backward (create_graph) created it; then the error itself.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include "common/expect_error.h"

namespace {
using kiln::Tensor;
namespace autograd = kiln::autograd;

class Warnings : public kiln::WarningHandler {
 public:
  Warnings() : previous_(kiln::Warning::get_warning_handler()) { kiln::Warning::set_warning_handler(this); }
  ~Warnings() override { kiln::Warning::set_warning_handler(previous_); }
  void process(const kiln::SourceLocation&, const std::string& msg, bool) override { messages.push_back(msg); }
  std::vector<std::string> messages;

 private:
  kiln::WarningHandler* previous_;
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Anomaly, AFailingBackwardWarnsWithTheForwardStack) {
  autograd::DetectAnomalyGuard anomaly;
  Warnings warnings;
  Tensor x = kiln::tensor({5.0}, kiln::requires_grad());
  Tensor y = x * x;
  Tensor z = y * y;
  y += 1;
  kiln_test::expect_error([&] { z.backward(); }, {"inplace"});
  ASSERT_EQ(warnings.messages.size(), 1u);
  const std::string& w = warnings.messages[0];
  EXPECT_TRUE(has(w, "Error detected in MulBackward0")) << w;
  EXPECT_TRUE(has(w, "Traceback of forward call that caused the error")) << w;
  EXPECT_TRUE(has(w, "frame #0")) << w;
  EXPECT_TRUE(has(w, "kiln::")) << w;  // demangled names of the recording calls
}

// d/dx of 1.5 x^0.5 at x = 0 is 0 * inf: the node that returns NaN was
// created by PowBackward0's own backward.
void second_derivative_at_zero() {
  Tensor x = kiln::tensor({0.0}, kiln::requires_grad());
  Tensor y = x.pow(1.5);
  auto first = autograd::grad({y}, {x}, {}, true, /*create_graph=*/true);
  autograd::grad({first[0]}, {x}, {kiln::tensor({0.0})});
}

TEST(Anomaly, NaNFromADoubleBackwardNamesBothRecordings) {
  autograd::DetectAnomalyGuard anomaly;
  Warnings warnings;
  kiln_test::expect_error([] { second_derivative_at_zero(); }, {"returned nan values in its 0th output"});
  ASSERT_EQ(warnings.messages.size(), 2u);
  EXPECT_TRUE(has(warnings.messages[0], "Traceback of forward call that caused the error"));
  EXPECT_TRUE(has(warnings.messages[1], "Previous calculation was induced by PowBackward0"));
  EXPECT_TRUE(has(warnings.messages[1], "Traceback of forward call that induced the previous calculation"));
}

TEST(Anomaly, CheckNanCanBeTurnedOffAndGuardsNest) {
  autograd::DetectAnomalyGuard outer;
  {
    autograd::DetectAnomalyGuard no_nan_check(/*check_nan=*/false);
    EXPECT_FALSE(autograd::AnomalyMode::should_check_nan());
    Warnings warnings;
    second_derivative_at_zero();
    EXPECT_TRUE(warnings.messages.empty());
    {
      autograd::DetectAnomalyGuard inner(true);
      kiln_test::expect_error([] { second_derivative_at_zero(); }, {"returned nan"});
    }
    EXPECT_FALSE(autograd::AnomalyMode::should_check_nan());
  }
  EXPECT_TRUE(autograd::AnomalyMode::should_check_nan());
  EXPECT_TRUE(autograd::AnomalyMode::is_enabled());
}

TEST(Anomaly, OffByDefaultAndNodesRecordNothing) {
  EXPECT_FALSE(autograd::AnomalyMode::is_enabled());
  Tensor x = kiln::ones({1}, kiln::requires_grad());
  EXPECT_EQ((x * 2).grad_fn()->anomaly_, nullptr);
}

}  // namespace
