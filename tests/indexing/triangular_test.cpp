// tril, triu, diag, diag_embed, trace.
#include "indexing/check.h"

using namespace kiln;
using namespace kiln::indexing;
using kiln_test::expect_error;
using kiln_test::expect_values;
using kiln_test::values;

TEST(Triangular, MatchesPyTorch) {
  Tensor m = values({3, 4});
  expect_values(tril(m, 1), {3, 4},
                {1.5, 2.1676144758, 0.0, 0.0, 1.7158796698, 1.0088518499, 0.5527937012, 0.0, 1.0784215563,
                 1.7915192534, 2.3556547866, 2.4825629773});
  expect_values(triu(m, -1), {3, 4},
                {1.5, 2.1676144758, 2.4940875151, 2.3125960699, 1.7158796698, 1.0088518499, 0.5527937012,
                 0.5807444068, 0.0, 1.7915192534, 2.3556547866, 2.4825629773});
  expect_values(ones({2, 2, 3}).triu(1).index({1}), {2, 3}, {0, 1, 1, 0, 0, 1});
  expect_values(arange(4).view({2, 2}).tril(), {2, 2}, {0, 0, 2, 3});
  EXPECT_EQ(arange(4).view({2, 2}).tril().dtype(), kInt64);
  Tensor inf = full({2, 2}, std::numeric_limits<double>::infinity());
  expect_values(tril(inf).isnan().to(kInt64), {2, 2}, {0, 0, 0, 0});  // no inf * 0
  expect_error([&] { tril(zeros({2})); }, {"tril", "at least 2 dimensions"});
  expect_error([&] { triu(tensor(1.0)); }, {"triu", "at least 2 dimensions"});
}

TEST(Diag, VectorAndMatrix) {
  Tensor v = arange(3.0);
  expect_values(diag(v, 1), {4, 4}, {0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0});
  expect_values(diag(v, -2).index({Slice(3)}), {2, 5}, {0, 1, 0, 0, 0, 0, 0, 2, 0, 0});
  Tensor m = arange(12.0).view({3, 4});
  expect_values(diag(m, 1), {3}, {1, 6, 11});
  expect_values(m.diag(), {3}, {0, 5, 10});
  expect_values(m.diag(-2), {1}, {8});
  EXPECT_EQ(diag(m, -5).sizes(), std::vector<int64_t>({0}));
  Tensor d = diag(m);
  d.fill_(-1);  // a copy, not a view
  EXPECT_EQ(m.index({0, 0}).item<double>(), 0.0);
  expect_error([&] { diag(zeros({2, 2, 2})); }, {"diag", "matrix or a vector expected"});
  expect_error([&] { diag(tensor(1.0)); }, {"diag", "matrix or a vector expected"});

  expect_values(diag_embed(values({2, 2}), 1, 0, 2), {3, 2, 3},
                {0.0, 1.5, 0.0, 0.0, 2.4940875151, 0.0, 0.0, 0.0, 2.1676144758, 0.0, 0.0, 2.3125960699, 0.0, 0.0,
                 0.0, 0.0, 0.0, 0.0});
  EXPECT_EQ(diag_embed(ones({2, 2}), -1, 0, 2).sizes(), std::vector<int64_t>({3, 2, 3}));
  expect_values(diag_embed(arange(1.0, 3.0)), {2, 2}, {1, 0, 0, 2});
  expect_error([&] { diag_embed(zeros({2, 3}), 1, 0, 0); }, {"diag_embed", "cannot be identical"});
}

TEST(Trace, ValuesDtypesErrors) {
  expect_values(trace(values({3, 4})).reshape({1}), {1}, {4.8645066365});
  Tensor t = trace(arange(6).view({2, 3}));
  EXPECT_EQ(t.item<int64_t>(), 4);
  EXPECT_EQ(t.dtype(), kInt64);
  EXPECT_EQ(trace(zeros({0, 3})).item<double>(), 0.0);
  expect_error([&] { trace(zeros({2, 2, 2})); }, {"trace", "expected a matrix", "dim 3"});
  expect_error([&] { trace(ones({2, 2}, kBool)); }, {"trace", "Bool"});
}

TEST(TriangularGradients, All) {
  auto lower = [](const std::vector<Tensor>& in) { return tril(in[0], -1) + triu(in[0], 2); };
  kiln_test::expect_gradients(lower, {values({2, 3, 4})});
  kiln_test::expect_second_order(lower, {values({3, 3})});
  kiln_test::expect_gradients([](const std::vector<Tensor>& in) { return diag(in[0], -1); }, {values({3})});
  kiln_test::expect_gradients([](const std::vector<Tensor>& in) { return diag(in[0], 1); }, {values({3, 3})});
  auto embed = [](const std::vector<Tensor>& in) { return diag_embed(in[0], 1, 0, 2); };
  kiln_test::expect_gradients(embed, {values({2, 2})});
  kiln_test::expect_second_order(embed, {values({2, 2})});
  kiln_test::expect_gradients([](const std::vector<Tensor>& in) { return trace(in[0]); }, {values({3, 4})});
}
