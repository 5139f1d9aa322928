// Warnings: a program installs a WarningHandler to collect them; the default
// prints. libtorch's warnings: .grad() of a non-leaf, backward(create_graph).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kiln/kiln.h"

namespace {
using kiln::Tensor;

struct Collect : kiln::WarningHandler {
  std::vector<std::string> messages;
  void process(const kiln::SourceLocation&, const std::string& msg, const bool) override { messages.push_back(msg); }
};

size_t count(const std::vector<std::string>& messages, const std::string& fragment) {
  size_t n = 0;
  for (const auto& m : messages) n += m.find(fragment) != std::string::npos;
  return n;
}

TEST(Warning, HandlerGuardInstallsAndRestores) {
  kiln::WarningHandler* before = kiln::Warning::get_warning_handler();
  Collect c;
  {
    kiln::Warning::WarningHandlerGuard guard(&c);
    EXPECT_EQ(kiln::Warning::get_warning_handler(), &c);
    KILN_WARN("op: ", 3, " things");
  }
  EXPECT_EQ(kiln::Warning::get_warning_handler(), before);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0], "op: 3 things");
  kiln::Warning::set_warning_handler(nullptr);  // back to the default
  EXPECT_NE(kiln::Warning::get_warning_handler(), nullptr);
  kiln::Warning::set_warning_handler(before);
}

TEST(Warning, GradOfANonLeafWarnsUnlessRetained) {
  Collect c;
  kiln::Warning::WarningHandlerGuard guard(&c);
  Tensor x = kiln::rand({3}, kiln::requires_grad());
  Tensor h = x * 3;
  EXPECT_FALSE(h.grad().defined());
  EXPECT_EQ(count(c.messages, "is not a leaf"), 1u);
  EXPECT_FALSE(x.grad().defined());  // a leaf: no warning
  h.retain_grad();
  EXPECT_FALSE(h.grad().defined());
  EXPECT_EQ(count(c.messages, "is not a leaf"), 1u);
}

TEST(Warning, CreateGraphWarnsOnceUnlessWarnAlways) {
  Collect c;
  kiln::Warning::WarningHandlerGuard guard(&c);
  Tensor x = kiln::randn({2}, kiln::requires_grad());
  {
    kiln::WarningUtils::WarnAlways always(true);
    EXPECT_TRUE(kiln::Warning::get_warnAlways());
    (x * x).sum().backward({}, std::nullopt, true);
    kiln::autograd::backward({(x * x).sum()}, {}, std::nullopt, true);
  }
  EXPECT_FALSE(kiln::Warning::get_warnAlways());
  EXPECT_EQ(count(c.messages, "create_graph=True"), 2u);
  (x * x).sum().backward({}, std::nullopt, false);
  EXPECT_EQ(count(c.messages, "create_graph=True"), 2u);
}

}  // namespace
