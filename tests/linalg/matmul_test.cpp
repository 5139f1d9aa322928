// Products (matmul and friends): values against torch over every dimension
// case, layouts BLAS must read without copies, errors, and derivatives.
#include <kiln/autograd.h>
#include <kiln/forward_ad.h>

#include "linalg/oracle.h"

namespace {
using namespace linalg_test;
using kiln::Tensor;

// matmul over torch.matmul's dimension cases, including broadcast batches.
TEST(Matmul, AllDimensionCasesMatchTorch) {
  SKIP_WITHOUT_TORCH();
  std::vector<std::pair<std::vector<int64_t>, std::vector<int64_t>>> cases = {
      {{3}, {3}},          {{2, 3}, {3}},          {{3}, {3, 4}},        {{2, 3}, {3, 4}},
      {{2, 2, 3}, {3, 4}}, {{2, 2, 3}, {3}},       {{3}, {2, 3, 4}},     {{2, 3}, {5, 3, 4}},
      {{2, 1, 3, 4}, {5, 4, 2}}, {{5, 2, 3}, {5, 3, 4}}, {{1, 2, 3}, {4, 3, 2}}, {{0, 3}, {3, 2}},
      {{2, 0}, {0, 3}}};
  std::string code;
  for (auto& [a, b] : cases) {
    auto list = [](const std::vector<int64_t>& s) {
      std::string r;
      for (int64_t v : s) r += std::to_string(v) + ",";
      return r;
    };
    code += "out.append(mk(" + list(a) + "seed=0.1) @ mk(" + list(b) + "seed=0.7))\n";
  }
  auto expected = torch_eval(code);
  ASSERT_EQ(expected.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    Tensor r = kiln::matmul(mk(cases[i].first, 0.1), mk(cases[i].second, 0.7));
    expect_close(r, expected[i], 1e-12, "float64");
    Tensor r32 = kiln::matmul(mk(cases[i].first, 0.1, kiln::kFloat32), mk(cases[i].second, 0.7, kiln::kFloat32));
    EXPECT_EQ(r32.dtype(), kiln::kFloat32);
    expect_close(r32, expected[i], 1e-5, "float32");
  }
}

// Transposed, sliced and expanded operands give the same values as copies.
TEST(Matmul, StridedOperands) {
  Tensor a = mk({5, 6}, 0.2), b = mk({4, 6}, 0.9);
  Tensor ref = kiln::matmul(a.contiguous(), b.mT().contiguous());
  expect_close(kiln::matmul(a, b.mT()), ref);                      // b column-major: Trans flag
  expect_close(kiln::matmul(a.mT().contiguous().mT(), b.mT()), ref);  // both transposed layouts
  Tensor wide = mk({5, 12}, 0.2);
  Tensor sliced = wide.slice(1, 0, 12, 2);  // column stride 2: needs a copy
  expect_close(kiln::matmul(sliced, b.mT()), kiln::matmul(sliced.contiguous(), b.mT().contiguous()));
  Tensor batch = mk({3, 6}, 0.4).unsqueeze(0).expand({4, 3, 6});  // stride-0 batch
  expect_close(kiln::matmul(batch, mk({4, 6, 2}, 0.3)), kiln::matmul(batch.contiguous(), mk({4, 6, 2}, 0.3)));
  // Vectors with non-unit strides go through gemv.
  Tensor v = mk({12}, 0.5).slice(0, 0, 12, 2);
  expect_close(kiln::mv(mk({3, 6}, 0.1), v), kiln::mv(mk({3, 6}, 0.1), v.contiguous()));
  expect_close(kiln::matmul(v, mk({6, 3}, 0.1)), kiln::matmul(v.contiguous(), mk({6, 3}, 0.1)));
  // dot over strided, expanded and empty vectors, floating and integral.
  Tensor e = mk({1}, 0.8).expand({6});
  expect_close(kiln::dot(v, e), (v.contiguous() * e.contiguous()).sum());
  expect_close(kiln::dot(e, e), (e.contiguous() * e.contiguous()).sum());
  EXPECT_EQ(kiln::dot(mk({0}, 0.1), mk({0}, 0.2)).item<double>(), 0.0);
  Tensor i = kiln::arange(12).slice(0, 0, 12, 3);
  EXPECT_EQ(kiln::dot(i, i).item<int64_t>(), 0 * 0 + 3 * 3 + 6 * 6 + 9 * 9);
}

// Products large enough to be split across threads (by rows, or by columns
// when wider), in every layout, against a float64 sum computed here; and the
// same values on one thread.
TEST(Matmul, SplitAcrossThreadsInEveryLayout) {
  auto reference = [](const Tensor& a, const Tensor& b) {
    Tensor a64 = a.to(kiln::kFloat64).contiguous(), b64 = b.to(kiln::kFloat64).contiguous();
    int64_t m = a.size(0), k = a.size(1), n = b.size(1);
    std::vector<double> out(m * n, 0.0);
    const double* pa = a64.data_ptr<double>();
    const double* pb = b64.data_ptr<double>();
    for (int64_t i = 0; i < m; ++i)
      for (int64_t p = 0; p < k; ++p)
        for (int64_t j = 0; j < n; ++j) out[i * n + j] += pa[i * k + p] * pb[p * n + j];
    return kiln::tensor(out, kiln::dtype(kiln::kFloat64)).reshape({m, n});
  };
  int threads = kiln::get_num_threads();
  for (auto [m, k, n] : {std::array<int64_t, 3>{300, 70, 90}, {90, 70, 300}, {256, 128, 1}, {1, 128, 4096}}) {
    for (bool ta : {false, true})
      for (bool tb : {false, true})
        for (kiln::ScalarType t : {kiln::kFloat32, kiln::kFloat64}) {
          Tensor a = ta ? mk({k, m}, 0.3, t).mT() : mk({m, k}, 0.3, t);
          Tensor b = tb ? mk({n, k}, 0.6, t).mT() : mk({k, n}, 0.6, t);
          Tensor want = reference(a, b);
          double tol = t == kiln::kFloat32 ? 1e-4 : 1e-11;
          expect_close(kiln::matmul(a, b), want, tol, "split");
          kiln::set_num_threads(1);
          expect_close(kiln::matmul(a, b), want, tol, "one thread");
          kiln::set_num_threads(threads);
        }
  }
}

// An operand whose rows overlap in memory (a sliding window) needs a copy;
// a split product must not write any block before that is known, or addmm's
// beta would apply twice on the retry.
TEST(Matmul, OverlappingOperandWithBeta) {
  std::vector<double> buf(639 * 20 + 41);
  for (size_t i = 0; i < buf.size(); ++i) buf[i] = std::sin(0.1 * static_cast<double>(i));
  Tensor b = kiln::from_blob(buf.data(), {640, 41}, {20, 1}, kiln::dtype(kiln::kFloat64));
  Tensor a = mk({40, 640}, 0.3), bias = mk({40, 41}, 0.9);
  Tensor want = bias * 0.5 + kiln::matmul(a, b.contiguous()) * 2;
  expect_close(kiln::addmm(bias, a, b, 0.5, 2), want, 1e-10, "columns split");
  Tensor at = kiln::from_blob(buf.data(), {41, 640}, {1, 20}, kiln::dtype(kiln::kFloat64));
  Tensor b2 = mk({640, 40}, 0.4), bias2 = mk({41, 40}, 0.2);
  expect_close(kiln::addmm(bias2, at, b2, 0.5, 2), bias2 * 0.5 + kiln::matmul(at.contiguous(), b2) * 2, 1e-10,
               "rows split");
}

TEST(Matmul, IntegerDtypes) {
  Tensor a = kiln::arange(6).reshape({2, 3}), b = kiln::arange(12).reshape({3, 4});
  Tensor r = kiln::matmul(a, b);
  EXPECT_EQ(r.dtype(), kiln::kInt64);
  std::vector<int64_t> expected = {20, 23, 26, 29, 56, 68, 80, 92};
  for (int64_t i = 0; i < 8; ++i) EXPECT_EQ(r.reshape({-1})[i].item<int64_t>(), expected[i]);
  Tensor ai = kiln::tensor({1, 2, 3}).to(kiln::kInt32), bi = kiln::tensor({4, 5, 6}).to(kiln::kInt32);
  EXPECT_EQ(kiln::dot(ai, bi).item<int64_t>(), 32);
  EXPECT_EQ(kiln::dot(ai, bi).dtype(), kiln::kInt32);
}

TEST(Matmul, NamedProductsMatchTorch) {
  SKIP_WITHOUT_TORCH();
  auto e = torch_eval(R"PY(
out.append(torch.mm(mk(3, 4), mk(4, 2, seed=1)))
out.append(torch.mv(mk(3, 4), mk(4, seed=1)))
out.append(torch.dot(mk(5), mk(5, seed=1)))
out.append(torch.vdot(mk(5), mk(5, seed=1)))
out.append(torch.bmm(mk(2, 3, 4), mk(2, 4, 5, seed=1)))
out.append(torch.outer(mk(3), mk(4, seed=1)))
out.append(torch.ger(mk(3), mk(4, seed=1)))
out.append(torch.addmm(mk(3, 2, seed=2), mk(3, 4), mk(4, 2, seed=1)))
out.append(torch.addmm(mk(2, seed=2), mk(3, 4), mk(4, 2, seed=1), beta=0.5, alpha=-2))
out.append(torch.tensordot(mk(2, 3, 4), mk(4, 3, 5, seed=1), ([1, 2], [1, 0])))
out.append(torch.tensordot(mk(2, 3), mk(3, 2, seed=1), ([0, 1], [1, 0])))
out.append(torch.tensordot(mk(2, 1), mk(3, 5, seed=1), ([1], [0])))
)PY");
  expect_close(kiln::mm(mk({3, 4}), mk({4, 2}, 1)), e[0]);
  expect_close(kiln::mv(mk({3, 4}), mk({4}, 1)), e[1]);
  expect_close(kiln::dot(mk({5}), mk({5}, 1)), e[2]);
  expect_close(kiln::vdot(mk({5}), mk({5}, 1)), e[3]);
  expect_close(kiln::bmm(mk({2, 3, 4}), mk({2, 4, 5}, 1)), e[4]);
  expect_close(kiln::outer(mk({3}), mk({4}, 1)), e[5]);
  expect_close(kiln::ger(mk({3}), mk({4}, 1)), e[6]);
  expect_close(kiln::addmm(mk({3, 2}, 2), mk({3, 4}), mk({4, 2}, 1)), e[7]);
  expect_close(kiln::addmm(mk({2}, 2), mk({3, 4}), mk({4, 2}, 1), 0.5, -2), e[8]);
  expect_close(kiln::tensordot(mk({2, 3, 4}), mk({4, 3, 5}, 1), {1, 2}, {1, 0}), e[9]);
  expect_close(kiln::tensordot(mk({2, 3}), mk({3, 2}, 1), {0, 1}, {1, 0}), e[10]);
  expect_close(kiln::tensordot(mk({2, 1}), mk({3, 5}, 1), {1}, {0}), e[11]);
  // Tensor methods forward to the same functions.
  expect_close(mk({3, 4}).mm(mk({4, 2}, 1)), e[0]);
  expect_close(mk({3, 4}).matmul(mk({4}, 1)), e[1]);
}

TEST(Matmul, AddmmBetaZeroIgnoresNaNBias) {
  Tensor bias = kiln::full({3, 2}, std::nan(""), kiln::dtype(kiln::kFloat64));
  Tensor r = kiln::addmm(bias, mk({3, 4}), mk({4, 2}, 1), 0, 1);
  expect_close(r, kiln::mm(mk({3, 4}), mk({4, 2}, 1)));
}

TEST(Matmul, Errors) {
  auto f32 = [](kiln::IntArrayRef s) { return kiln::ones(s); };
  expect_error([&] { kiln::matmul(f32({2, 3}), f32({4, 5})); },
               {"matmul: shapes [2, 3] and [4, 5] cannot be multiplied (3 != 4)"});
  expect_error([&] { kiln::matmul(f32({3}), f32({4})); }, {"matmul", "cannot be multiplied (3 != 4)"});
  expect_error([&] { kiln::matmul(f32({2, 3}), f32({4})); }, {"matmul", "[2, 3]", "[4]"});
  expect_error([&] { kiln::matmul(f32({2, 2, 3}), f32({3, 3, 5})); }, {"matmul", "broadcast"});
  expect_error([&] { kiln::matmul(kiln::ones({}), f32({3})); },
               {"matmul: both arguments to matmul need to be at least 1D, but they are 0D and 1D"});
  expect_error([&] { kiln::matmul(f32({2, 3}), kiln::ones({3, 2}, kiln::kFloat64)); },
               {"matmul", "expected scalar type Float but found Double"});
  expect_error([&] { kiln::matmul(kiln::ones({2, 2}, kiln::kBool), kiln::ones({2, 2}, kiln::kBool)); },
               {"matmul", "Bool"});
  expect_error([&] { kiln::mm(f32({2, 3}), f32({4, 5})); }, {"mm: shapes [2, 3] and [4, 5] cannot be multiplied"});
  expect_error([&] { kiln::mm(f32({3}), f32({3, 5})); }, {"mm", "2-D"});
  expect_error([&] { kiln::mm(f32({2, 3}), kiln::ones({3, 5}, kiln::kFloat64)); },
               {"mm", "expected scalar type Float but found Double"});
  expect_error([&] { kiln::mv(f32({2, 3}), f32({4})); }, {"mv: shapes [2, 3] and [4] cannot be multiplied"});
  expect_error([&] { kiln::mv(f32({2, 3}), f32({3, 1})); }, {"mv", "vector"});
  expect_error([&] { kiln::dot(f32({3}), f32({4})); }, {"dot", "inconsistent tensor size"});
  expect_error([&] { kiln::dot(f32({3, 1}), f32({3})); }, {"dot: 1D tensors expected, but got 2D and 1D tensors"});
  expect_error([&] { kiln::dot(f32({3}), kiln::ones({3}, kiln::kFloat64)); },
               {"dot: expected both vectors to have same dtype, but found Float and Double"});
  expect_error([&] { kiln::vdot(f32({2}), f32({3})); }, {"vdot", "inconsistent tensor size"});
  expect_error([&] { kiln::bmm(f32({2, 2, 3}), f32({3, 3, 4})); }, {"bmm", "batch sizes 2 != 3"});
  expect_error([&] { kiln::bmm(f32({2, 2, 3}), f32({2, 4, 4})); }, {"bmm", "cannot be multiplied (3 != 4)"});
  expect_error([&] { kiln::bmm(f32({2, 3}), f32({2, 3, 4})); }, {"bmm", "3-D"});
  expect_error([&] { kiln::outer(f32({2, 3}), f32({3})); }, {"outer: Expected 1-D argument self, but got 2-D"});
  expect_error([&] { kiln::addmm(f32({4}), f32({2, 3}), f32({3, 3})); }, {"addmm", "bias of shape [4]"});
  expect_error([&] { kiln::addmm(kiln::ones({3}, kiln::kFloat64), f32({2, 3}), f32({3, 3})); },
               {"addmm", "expected scalar type"});
  expect_error([&] { kiln::tensordot(f32({2, 3}), f32({4, 5}), {1}, {0}); },
               {"tensordot: contracted dimensions need to match, but first has size 3 in dim 1 and second has size 4 "
                "in dim 0"});
  expect_error([&] { kiln::tensordot(f32({2, 3}), f32({3, 5}), {1, 0}, {0}); },
               {"tensordot: both dimension lists should have same length"});
}

// ---- derivatives (float64 gradcheck of every product)
using Fn = std::function<Tensor(const kiln::variable_list&)>;

void gradcheck(const Fn& f, const kiln::variable_list& inputs, bool second_order = false) {
  EXPECT_TRUE(kiln::autograd::gradcheck(f, inputs, 1e-6, 1e-7, 1e-5));
  if (second_order) EXPECT_TRUE(kiln::autograd::gradgradcheck(f, inputs, 1e-6, 1e-6, 1e-4));
}

TEST(MatmulGrad, Gradcheck) {
  auto mm2 = [](const kiln::variable_list& x) { return kiln::matmul(x[0], x[1]); };
  gradcheck(mm2, {leaf(mk({3})), leaf(mk({3}, 1))}, true);
  gradcheck(mm2, {leaf(mk({2, 3})), leaf(mk({3}, 1))}, true);
  gradcheck(mm2, {leaf(mk({3})), leaf(mk({3, 4}, 1))}, true);
  gradcheck(mm2, {leaf(mk({2, 3})), leaf(mk({3, 4}, 1))}, true);
  gradcheck(mm2, {leaf(mk({2, 2, 3})), leaf(mk({3, 4}, 1))}, true);
  gradcheck(mm2, {leaf(mk({3, 4})), leaf(mk({2, 4, 2}, 1))}, true);
  gradcheck(mm2, {leaf(mk({2, 1, 2, 3})), leaf(mk({3, 3, 2}, 1))}, true);  // broadcast batch dims
  gradcheck(mm2, {leaf(mk({3})), leaf(mk({2, 3, 4}, 1))});
  gradcheck([](auto& x) { return kiln::mm(x[0], x[1]); }, {leaf(mk({2, 3})), leaf(mk({3, 4}, 1))});
  gradcheck([](auto& x) { return kiln::mv(x[0], x[1]); }, {leaf(mk({2, 3})), leaf(mk({3}, 1))});
  gradcheck([](auto& x) { return kiln::dot(x[0], x[1]); }, {leaf(mk({4})), leaf(mk({4}, 1))});
  gradcheck([](auto& x) { return kiln::vdot(x[0], x[1]); }, {leaf(mk({4})), leaf(mk({4}, 1))});
  gradcheck([](auto& x) { return kiln::bmm(x[0], x[1]); }, {leaf(mk({2, 2, 3})), leaf(mk({2, 3, 2}, 1))}, true);
  gradcheck([](auto& x) { return kiln::outer(x[0], x[1]); }, {leaf(mk({3})), leaf(mk({2}, 1))});
  gradcheck([](auto& x) { return kiln::ger(x[0], x[1]); }, {leaf(mk({3})), leaf(mk({2}, 1))});
  gradcheck([](auto& x) { return kiln::addmm(x[0], x[1], x[2], 0.5, -1.5); },
            {leaf(mk({2}, 2)), leaf(mk({3, 4})), leaf(mk({4, 2}, 1))}, true);
  gradcheck([](auto& x) { return kiln::tensordot(x[0], x[1], {1, 2}, {1, 0}); },
            {leaf(mk({2, 3, 4})), leaf(mk({4, 3, 2}, 1))}, true);
  // Transposed operand: the gradient flows back through the view.
  gradcheck([](auto& x) { return kiln::matmul(x[0].mT(), x[1]); }, {leaf(mk({3, 2})), leaf(mk({3, 4}, 1))});
}

TEST(MatmulGrad, BroadcastGradientsAreReduced) {
  Tensor a = leaf(mk({3, 4})), b = leaf(mk({2, 4, 5}, 1));
  kiln::matmul(a, b).sum().backward();
  ASSERT_EQ(a.grad().sizes().vec(), (std::vector<int64_t>{3, 4}));
  // d/da sum(a @ b_i) = sum_i ones @ b_i^T.
  Tensor expected = kiln::matmul(kiln::ones({3, 5}, kiln::kFloat64), b.detach().sum({0}).mT());
  expect_close(a.grad(), expected);
}

TEST(MatmulGrad, ForwardMode) {
  namespace fa = kiln::autograd::forward_ad;
  Tensor a = mk({2, 3, 4}), b = mk({4, 5}, 1), ta = mk({2, 3, 4}, 2), tb = mk({4, 5}, 3);
  fa::dual_level level;
  Tensor r = kiln::matmul(fa::make_dual(a, ta), fa::make_dual(b, tb));
  Tensor tangent = std::get<1>(fa::unpack_dual(r));
  ASSERT_TRUE(tangent.defined());
  expect_close(tangent, kiln::matmul(ta, b) + kiln::matmul(a, tb));
  Tensor r2 = kiln::addmm(mk({5}), fa::make_dual(mk({3, 4}), mk({3, 4}, 5)), mk({4, 5}, 1), 2, 3);
  expect_close(std::get<1>(fa::unpack_dual(r2)), kiln::matmul(mk({3, 4}, 5), mk({4, 5}, 1)) * 3);
  // The vector products have their own node and their own tangent.
  Tensor m = mk({2, 3}), tm = mk({2, 3}, 4), v = mk({3}, 1), tv = mk({3}, 5);
  expect_close(std::get<1>(fa::unpack_dual(kiln::mv(fa::make_dual(m, tm), fa::make_dual(v, tv)))),
               kiln::matmul(tm, v) + kiln::matmul(m, tv));
  expect_close(std::get<1>(fa::unpack_dual(kiln::dot(fa::make_dual(v, tv), v))), kiln::dot(tv, v));
  expect_close(std::get<1>(fa::unpack_dual(kiln::vdot(v, fa::make_dual(v, tv)))), kiln::dot(v, tv));
}

TEST(MatmulGrad, NodeNamesAsInTorch) {
  // torch 1.13: dot/vdot/mv and matmul of a matrix by a vector each record one node.
  Tensor m = leaf(mk({2, 3})), v = leaf(mk({3}, 1));
  EXPECT_EQ(kiln::dot(v, v).grad_fn()->name(), "DotBackward0");
  EXPECT_EQ(kiln::matmul(v, v).grad_fn()->name(), "DotBackward0");
  EXPECT_EQ(kiln::vdot(v, v).grad_fn()->name(), "VdotBackward0");
  EXPECT_EQ(kiln::mv(m, v).grad_fn()->name(), "MvBackward0");
  EXPECT_EQ(kiln::matmul(m, v).grad_fn()->name(), "MvBackward0");
  EXPECT_EQ(kiln::mm(m, m.mT()).grad_fn()->name(), "MmBackward0");
  // A strided vector (every other element) takes the same path.
  Tensor w = leaf(mk({6}, 2));
  gradcheck([](auto& x) { return kiln::mv(x[0], x[1].slice(0, 0, 6, 2)); }, {m, w}, true);
  gradcheck([](auto& x) { return kiln::dot(x[0].slice(0, 1, 6, 2), x[1]); }, {w, v}, true);
}

}  // namespace
