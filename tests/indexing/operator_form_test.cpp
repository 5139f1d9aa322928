// libtorch's operator form of indexing, index(List) and index_put_(List,
// values, accumulate), against torch; uint8 masks with libtorch's deprecation
// warning; and TensorIndex printed as libtorch prints it.
#include <sstream>

#include "indexing/check.h"
#include "linalg/oracle.h"

using namespace kiln;
using namespace kiln::indexing;
using kiln_test::longs;
using kiln_test::values;

namespace {

// Collects the warnings raised while it lives.
class Warnings : public WarningHandler {
 public:
  Warnings() : previous_(Warning::get_warning_handler()) { Warning::set_warning_handler(this); }
  ~Warnings() override { Warning::set_warning_handler(previous_); }
  void process(const SourceLocation&, const std::string& msg, bool) override { messages.push_back(msg); }
  std::vector<std::string> messages;

 private:
  WarningHandler* previous_;
};

TEST(IndexOperatorForm, AccumulateMatchesTorch) {
  auto ref = linalg_test::torch_eval(R"PY(
x = mk(4, 3)
i = torch.tensor([0, 2, 0, 0, 3])
out.append(x.index_put((i,), mk(5, 3, seed=1.0), accumulate=True))
out.append(torch.ops.aten.index_put(x, [None, torch.tensor([2, 2, 1])], mk(4, 3, seed=2.0), True))
out.append(x.index_put((i,), mk(5, 3, seed=1.0)))
m = x > 0.3
out.append(x.index_put((m,), torch.tensor(10.0), accumulate=True))
out.append(torch.ops.aten.index(x, [None, torch.tensor([2, 0])]))
)PY");
  Tensor x = linalg_test::mk({4, 3});
  Tensor i = longs({0, 2, 0, 0, 3});
  Tensor y = x.clone();
  Tensor& same = y.index_put_({i}, linalg_test::mk({5, 3}, 1.0), /*accumulate=*/true);
  EXPECT_TRUE(same.is_same(y));
  linalg_test::expect_close(y, ref[0]);
  linalg_test::expect_close(x.index_put({std::nullopt, longs({2, 2, 1})}, linalg_test::mk({4, 3}, 2.0), true), ref[1]);
  linalg_test::expect_close(kiln::index_put(x, {i}, linalg_test::mk({5, 3}, 1.0)), ref[2]);
  Tensor z = x.clone();
  kiln::index_put_(z, {x > 0.3}, scalar_tensor(10.0, kFloat64), true);
  linalg_test::expect_close(z, ref[3]);
  linalg_test::expect_close(kiln::index(x, {std::nullopt, longs({2, 0})}), ref[4]);
  using Indices = List<std::optional<Tensor>>;
  EXPECT_TRUE(kiln::equal(x.index(Indices{None, longs({2, 0})}), x.index({Slice(), longs({2, 0})})));
  // In a braced list None is a new axis (TensorIndex), as in libtorch, where None is nullopt.
  EXPECT_EQ(x.index({None, longs({2, 0})}).sizes(), std::vector<int64_t>({1, 2, 3}));
  // The operator form always copies: a 0-d index is an advanced index, not a select.
  Tensor row = x.index(Indices{scalar_tensor(1, kInt64)});
  EXPECT_EQ(row.sizes(), std::vector<int64_t>({3}));
  EXPECT_TRUE(kiln::equal(row, x.index({1})));
  EXPECT_NE(row.data_ptr(), x.index({1}).data_ptr());
}

TEST(IndexOperatorForm, AccumulateGradients) {
  kiln_test::Fn put = [](const std::vector<Tensor>& in) {
    return in[0].index_put({longs({1, 0, 1})}, in[1], /*accumulate=*/true);
  };
  kiln_test::expect_gradients(put, {values({3, 2}), values({3, 2}, 1.0)});
  kiln_test::expect_second_order(put, {values({3, 2}), values({3, 2}, 1.0)});
  kiln_test::Fn inplace = [](const std::vector<Tensor>& in) {
    Tensor y = in[0] * 1;
    y.index_put_({std::nullopt, longs({2, 2})}, in[1], true);
    return y;
  };
  kiln_test::expect_gradients(inplace, {values({2, 3}), values({2})});
  Tensor base = values({3}).requires_grad_();
  Tensor r = base.index_put({longs({0, 0})}, values({2}, 1.0), true);
  EXPECT_EQ(r.grad_fn()->name(), "IndexPutBackward0");
  r.sum().backward();
  EXPECT_TRUE(kiln::equal(base.grad(), ones({3}, kFloat64)));  // self passes through whole
}

TEST(IndexOperatorForm, Errors) {
  Tensor x = zeros({3});
  kiln_test::expect_error([&] { x.index_put_({longs({0})}, zeros({1}, kFloat64), true); },
                          {"index_put_", "dtypes match", "Float", "Double"});
  kiln_test::expect_error([&] { x.index_put_({longs({5})}, zeros({1}), true); },
                          {"index 5 is out of bounds for dimension 0 with size 3"});
  kiln_test::expect_error([&] { x.index_put_({longs({0, 1})}, zeros({3}), true); }, {"shape mismatch"});
  kiln_test::expect_error([&] { x.index(List<std::optional<Tensor>>()); }, {"empty index list"});
  kiln_test::expect_error([&] { x.index(List<std::optional<Tensor>>{None}); }, {"index", "must be a tensor"});
  kiln_test::expect_error([] { Slice(0, 2, 0); }, {"slice step cannot be zero"});
  kiln_test::expect_error([] { empty({10, 0}).index({Slice(), longs({0, 1})}); },
                          {"index is out of bounds for dimension with size 0"});
}

TEST(IndexOperatorForm, Uint8IndicesAreDeprecatedMasks) {
  Tensor v = values({5, 2});
  Tensor bytes = tensor({1, 0, 1, 1, 0}, kUInt8);
  Warnings warnings;
  Tensor picked = v.index({bytes});
  EXPECT_TRUE(kiln::equal(picked, v.index({bytes.to(kBool)})));
  EXPECT_EQ(picked.sizes(), std::vector<int64_t>({3, 2}));
  Tensor y = zeros({5});
  y.index_put_({tensor({0, 1, 0, 0, 1}, kUInt8)}, ones({2}), /*accumulate=*/true);
  EXPECT_TRUE(kiln::equal(y, tensor({0.0f, 1.0f, 0.0f, 0.0f, 1.0f})));
  ASSERT_EQ(warnings.messages.size(), 2u);
  EXPECT_NE(warnings.messages[0].find("indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                                      "torch.bool instead."),
            std::string::npos);
  // int8 stays an integer index.
  EXPECT_EQ(v.index({tensor({1, 0}, kInt8)}).sizes(), std::vector<int64_t>({2, 2}));
  EXPECT_EQ(warnings.messages.size(), 2u);
}

TEST(TensorIndexPrinting, AsLibtorch) {
  auto text = [](const auto& x) {
    std::ostringstream os;
    os << x;
    return os.str();
  };
  std::vector<TensorIndex> indices = {None, "...", Ellipsis, 0, true, Slice(1, None, 2)};
  EXPECT_EQ(text(indices), kiln::str("(None, ..., ..., 0, true, 1:", INDEX_MAX, ":2)"));
  EXPECT_EQ(text(Slice()), kiln::str("0:", INDEX_MAX, ":1"));
  EXPECT_EQ(text(Slice(None, 3)), "0:3:1");
  EXPECT_EQ(text(TensorIndex(false)), "false");
  EXPECT_EQ(Slice(None, None, -1).start(), INDEX_MAX);
  EXPECT_EQ(Slice(None, None, -1).stop(), INDEX_MIN);
  EXPECT_TRUE(indices[1].is_ellipsis() && indices[0].is_none() && indices[3].is_integer() &&
              indices[4].is_boolean() && indices[5].is_slice() && TensorIndex(longs({1})).is_tensor());
  EXPECT_NE(text(TensorIndex(longs({7, 8}))).find("7"), std::string::npos);
  kiln_test::expect_error([] { TensorIndex(".."); },
                          {"Expected \"...\" to represent an ellipsis index, but got \"..\""});
}

}  // namespace
