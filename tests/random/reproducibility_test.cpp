// Same seed -> same numbers; the stream offset advances by the values drawn;
// and the numbers do not depend on how many threads computed them.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <functional>
#include <vector>

namespace {

using namespace kiln;

// The elements of t as doubles (any dtype), in row-major order.
std::vector<double> values(const Tensor& t) {
  Tensor c = t.to(kFloat64).contiguous();
  const double* p = c.data_ptr<double>();
  return std::vector<double>(p, p + c.numel());
}

struct Draw {
  const char* name;
  std::function<Tensor()> make;
};

// Large enough that every parallel kernel really splits across threads.
const std::vector<Draw>& draws() {
  static const std::vector<Draw> d = {
      {"rand", [] { return rand({50000}); }},
      {"rand_double", [] { return rand({50000}, kFloat64); }},
      {"randn", [] { return randn({200, 250}); }},
      {"randn_double", [] { return randn({50000}, kFloat64); }},
      {"randint", [] { return randint(-5, 17, {50000}); }},
      {"randperm", [] { return randperm(1000); }},
      {"bernoulli", [] { return bernoulli(full({50000}, 0.3)); }},
      {"normal", [] { return normal(zeros({50000}), full({1}, 2.0)); }},
      {"multinomial_replacement", [] { return multinomial(ones({400, 10}), 50, true); }},
      {"multinomial_no_replacement", [] { return multinomial(ones({400, 60}), 20, false); }},
      {"multinomial_alias", [] { return multinomial(arange(1, 31, kFloat64), 60000, true); }},
      {"standard_gamma", [] { return _standard_gamma(full({50000}, 0.7)); }},
      {"standard_gamma_double", [] { return _standard_gamma(full({50000}, 2.5, kFloat64)); }},
      {"dirichlet", [] { return _sample_dirichlet(full({10000, 5}, 1.5)); }},
      {"poisson", [] { return poisson(arange(0, 50000, kFloat64) / 1000.0); }},
      {"binomial", [] { return binomial(full({50000}, 40.0), linspace(0, 1, 50000)); }},
  };
  return d;
}

TEST(RandomReproducibility, SameSeedSameValues) {
  for (const Draw& d : draws()) {
    SCOPED_TRACE(d.name);
    manual_seed(123);
    std::vector<double> a = values(d.make());
    manual_seed(123);
    std::vector<double> b = values(d.make());
    EXPECT_EQ(a, b);
  }
}

TEST(RandomReproducibility, NextDrawDiffers) {
  for (const Draw& d : draws()) {
    SCOPED_TRACE(d.name);
    manual_seed(123);
    std::vector<double> a = values(d.make());
    std::vector<double> b = values(d.make());
    EXPECT_NE(a, b);
  }
}

TEST(RandomReproducibility, DifferentSeedsDiffer) {
  manual_seed(1);
  std::vector<double> a = values(rand({100}));
  manual_seed(2);
  std::vector<double> b = values(rand({100}));
  EXPECT_NE(a, b);
}

TEST(RandomReproducibility, SameValuesWithOneOrTwoThreads) {
  int before = get_num_threads();
  for (const Draw& d : draws()) {
    SCOPED_TRACE(d.name);
    set_num_threads(1);
    manual_seed(7);
    std::vector<double> serial = values(d.make());
    set_num_threads(2);
    manual_seed(7);
    std::vector<double> parallel = values(d.make());
    EXPECT_EQ(serial, parallel);
  }
  set_num_threads(before);
}

TEST(RandomReproducibility, OffsetAdvancesByValuesDrawn) {
  manual_seed(5);
  EXPECT_EQ(default_generator().get_offset(), 0u);
  rand({3, 4});
  EXPECT_EQ(default_generator().get_offset(), 12u);
  randn({5});
  EXPECT_EQ(default_generator().get_offset(), 17u);
  multinomial(ones({2, 6}), 4, true);  // one value per sample
  EXPECT_EQ(default_generator().get_offset(), 25u);
  multinomial(ones({2, 6}), 4, false);  // one value per category
  EXPECT_EQ(default_generator().get_offset(), 37u);
}

// Element i depends only on (seed, offset + i): draws of 3 and 7 (splitting
// a Box-Muller pair) are the two parts of one draw of 10.
TEST(RandomReproducibility, SplitDrawsConcatenate) {
  for (auto draw : {+[](int64_t n) { return randn({n}, kFloat64); }, +[](int64_t n) { return randn({n}); },
                    +[](int64_t n) { return rand({n}, kFloat64); },
                    +[](int64_t n) { return randint(0, 1000, {n}); }}) {
    manual_seed(99);
    std::vector<double> whole = values(draw(10));
    manual_seed(99);
    std::vector<double> first = values(draw(3));
    std::vector<double> second = values(draw(7));
    first.insert(first.end(), second.begin(), second.end());
    EXPECT_EQ(whole, first);
  }
}

// A parallel fill whose chunks start at odd positions still agrees with a serial one.
TEST(RandomReproducibility, OddOffsetsAgreeAcrossThreadCounts) {
  int before = get_num_threads();
  set_num_threads(1);
  manual_seed(21);
  rand({1});
  std::vector<double> serial = values(randn({30001}));
  set_num_threads(2);
  manual_seed(21);
  rand({1});
  std::vector<double> parallel = values(randn({30001}));
  set_num_threads(before);
  EXPECT_EQ(serial, parallel);
}

TEST(RandomReproducibility, OffsetCanBeReplayed) {
  manual_seed(3);
  rand({7});
  uint64_t offset = default_generator().get_offset();
  std::vector<double> a = values(rand({20}));
  default_generator().set_offset(offset);
  std::vector<double> b = values(rand({20}));
  EXPECT_EQ(a, b);
  EXPECT_EQ(default_generator().current_seed(), 3u);
}

TEST(RandomReproducibility, LikeFunctionsFollowTheStream) {
  Tensor proto = zeros({2, 3}, kFloat64);
  manual_seed(11);
  std::vector<double> a = values(rand_like(proto));
  manual_seed(11);
  std::vector<double> b = values(rand({2, 3}, kFloat64));
  EXPECT_EQ(a, b);
  EXPECT_EQ(rand_like(proto).dtype(), kFloat64);
  EXPECT_EQ(randn_like(proto).sizes(), proto.sizes());
}

}  // namespace
