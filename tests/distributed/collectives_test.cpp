// Every collective against its definition, for every dtype, on contiguous and
// strided tensors, blocking and non-blocking. Rank r's tensor is a known
// function of r, so each rank computes the expected result itself.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "common/expect_error.h"
#include "kiln/kiln.h"

namespace kiln {
namespace {

namespace dist = kiln::distributed;

const std::vector<ScalarType> kDtypes = {kBool, kInt32, kInt64, kFloat32, kFloat64};
const std::vector<int64_t> kShape = {4, 3};

int64_t rank() { return dist::get_rank(); }
int64_t world() { return dist::get_world_size(); }

// Rank r's values: small integers (so products do not overflow and float sums
// are exact), a different pattern per rank; for bool, a mix of true and false.
Tensor values_of(int64_t r, ScalarType t, int64_t salt = 0) {
  Tensor x = arange(kShape[0] * kShape[1], dtype(kInt64)).reshape(kShape);
  Tensor v = (x * (r + 2) + salt + 3 * r).remainder(5);
  if (t == kBool) return (v.remainder(2) == 0);
  return (v + 1).to(t);
}

// A tensor holding `values` in one of the two layouts. The strided one is a
// column window of a wider base whose other columns hold a sentinel, which
// must survive the collective.
struct Placed {
  Tensor t, base;
};
Placed place(const Tensor& values, bool strided) {
  if (!strided) return {values.clone(), Tensor()};
  Tensor base = full({kShape[0], kShape[1] + 2}, 1, dtype(values.dtype()));
  Tensor t = base.narrow(1, 1, kShape[1]);
  t.copy_(values);
  EXPECT_FALSE(t.is_contiguous());
  return {t, base};
}
void expect_sentinel_kept(const Placed& p) {
  if (!p.base.defined()) return;
  EXPECT_TRUE(equal(p.base.narrow(1, 0, 1), full({kShape[0], 1}, 1, dtype(p.base.dtype()))));
  EXPECT_TRUE(equal(p.base.narrow(1, kShape[1] + 1, 1), full({kShape[0], 1}, 1, dtype(p.base.dtype()))));
}

Tensor fold(ScalarType t, dist::ReduceOp op, int64_t salt = 0) {
  using dist::ReduceOp;
  Tensor acc = values_of(0, t, salt);
  for (int64_t r = 1; r < world(); ++r) {
    Tensor v = values_of(r, t, salt);
    if (t == kBool) {
      bool conj = op == ReduceOp::PRODUCT || op == ReduceOp::MIN;
      acc = conj ? logical_and(acc, v) : logical_or(acc, v);
      continue;
    }
    switch (op) {
      case ReduceOp::SUM:
      case ReduceOp::AVG: acc = acc + v; break;
      case ReduceOp::PRODUCT: acc = acc * v; break;
      case ReduceOp::MAX: acc = maximum(acc, v); break;
      case ReduceOp::MIN: acc = minimum(acc, v); break;
    }
  }
  if (op == ReduceOp::AVG) acc = acc / world();
  return acc;
}

std::string label(ScalarType t, bool strided, bool async) {
  return std::string(python_name(t)) + (strided ? " strided" : " contiguous") + (async ? " async" : "");
}

// Runs `body(dtype, strided, async)` over every combination.
void for_each_case(const std::function<void(ScalarType, bool, bool)>& body) {
  for (ScalarType t : kDtypes)
    for (bool strided : {false, true})
      for (bool async : {false, true}) {
        SCOPED_TRACE(label(t, strided, async));
        body(t, strided, async);
      }
}

TEST(ProcessGroup, RankAndSize) {
  EXPECT_TRUE(dist::is_initialized());
  EXPECT_GE(world(), 2);
  EXPECT_GE(rank(), 0);
  EXPECT_LT(rank(), world());
  // Every rank sees a distinct rank: their sum is 0 + 1 + ... + (world - 1).
  Tensor r = tensor({rank()});
  dist::all_reduce(r);
  EXPECT_EQ(r.item<int64_t>(), world() * (world() - 1) / 2);
  dist::barrier();
}

TEST(ProcessGroup, SecondInitRaises) {
  kiln_test::expect_error([] { dist::init_process_group("mpi"); }, {"init_process_group", "already initialized"});
  kiln_test::expect_error([] { dist::init_process_group("nccl"); }, {"init_process_group", "nccl"});
}

TEST(AllReduce, EveryOpDtypeAndLayout) {
  using dist::ReduceOp;
  for (ReduceOp op : {ReduceOp::SUM, ReduceOp::AVG, ReduceOp::MAX, ReduceOp::MIN, ReduceOp::PRODUCT})
    for_each_case([op](ScalarType t, bool strided, bool async) {
      SCOPED_TRACE(dist::name(op));
      if (op == ReduceOp::AVG && !is_floating_point(t)) {
        Tensor x = values_of(rank(), t);
        kiln_test::expect_error([&] { dist::all_reduce(x, op, async); }, {"all_reduce", "AVG", python_name(t)});
        return;
      }
      Placed p = place(values_of(rank(), t), strided);
      dist::Work w = dist::all_reduce(p.t, op, async);
      w.wait();
      EXPECT_TRUE(w.is_completed());
      Tensor want = fold(t, op);
      EXPECT_EQ(p.t.dtype(), t);
      if (is_floating_point(t))
        EXPECT_TRUE(allclose(p.t, want, 1e-6, 0)) << p.t << want;
      else
        EXPECT_TRUE(equal(p.t, want)) << p.t << want;
      expect_sentinel_kept(p);
    });
}

TEST(Broadcast, FromEveryRank) {
  for (int64_t src = 0; src < world(); ++src)
    for_each_case([src](ScalarType t, bool strided, bool async) {
      Placed p = place(values_of(rank(), t), strided);
      dist::broadcast(p.t, src, async).wait();
      EXPECT_TRUE(equal(p.t, values_of(src, t))) << "src " << src;
      expect_sentinel_kept(p);
    });
}

TEST(AllGather, EveryRanksTensor) {
  for_each_case([](ScalarType t, bool strided, bool async) {
    Placed in = place(values_of(rank(), t), strided);
    std::vector<Placed> outs;
    std::vector<Tensor> outputs;
    for (int64_t r = 0; r < world(); ++r) {
      outs.push_back(place(zeros(kShape, dtype(t)), strided));
      outputs.push_back(outs.back().t);
    }
    dist::all_gather(outputs, in.t, async).wait();
    for (int64_t r = 0; r < world(); ++r) {
      EXPECT_TRUE(equal(outs[r].t, values_of(r, t))) << "from rank " << r;
      expect_sentinel_kept(outs[r]);
    }
  });
  // An empty list is filled with new tensors.
  std::vector<Tensor> fresh;
  dist::all_gather(fresh, values_of(rank(), kFloat64));
  ASSERT_EQ(static_cast<int64_t>(fresh.size()), world());
  for (int64_t r = 0; r < world(); ++r) EXPECT_TRUE(equal(fresh[r], values_of(r, kFloat64)));
}

TEST(ReduceScatter, EveryOpDtypeAndLayout) {
  using dist::ReduceOp;
  for (ReduceOp op : {ReduceOp::SUM, ReduceOp::AVG, ReduceOp::MAX, ReduceOp::MIN, ReduceOp::PRODUCT})
    for_each_case([op](ScalarType t, bool strided, bool async) {
      if (op == ReduceOp::AVG && !is_floating_point(t)) return;  // raises as all_reduce (tested there)
      SCOPED_TRACE(dist::name(op));
      // inputs[j] on rank r holds values_of(r, t, salt j); rank j receives their reduction over r.
      std::vector<Placed> ins;
      std::vector<Tensor> inputs;
      for (int64_t j = 0; j < world(); ++j) {
        ins.push_back(place(values_of(rank(), t, 7 * j), strided));
        inputs.push_back(ins.back().t);
      }
      Placed out = place(zeros(kShape, dtype(t)), strided);
      dist::reduce_scatter(out.t, inputs, op, async).wait();
      Tensor want = fold(t, op, 7 * rank());
      if (is_floating_point(t))
        EXPECT_TRUE(allclose(out.t, want, 1e-6, 0)) << out.t << want;
      else
        EXPECT_TRUE(equal(out.t, want)) << out.t << want;
      expect_sentinel_kept(out);
    });
}

TEST(SendRecv, AroundTheRing) {
  for_each_case([](ScalarType t, bool strided, bool async) {
    int64_t next = (rank() + 1) % world(), prev = (rank() + world() - 1) % world();
    Placed mine = place(values_of(rank(), t), strided);
    Placed got = place(zeros(kShape, dtype(t)), strided);
    // Post the receive first so that blocking sends cannot deadlock the ring.
    dist::Work r = dist::irecv(got.t, prev, 3);
    if (async) {
      dist::Work s = dist::isend(mine.t, next, 3);
      s.wait();
    } else {
      dist::send(mine.t, next, 3);
    }
    r.wait();
    EXPECT_TRUE(equal(got.t, values_of(prev, t)));
    expect_sentinel_kept(got);
  });
}

TEST(SendRecv, MismatchedShapeRaisesAtTheReceiver) {
  if (rank() == 0) {
    dist::send(zeros({2, 3}), 1);
  } else if (rank() == 1) {
    Tensor small = zeros({3, 2}, dtype(kFloat32));
    kiln_test::expect_error([&] { dist::recv(small, 0); }, {"recv", "rank 0 sent", "[2, 3]", "[3, 2]"});
  }
  dist::barrier();
}

TEST(Errors, MismatchedShapesRaiseOnEveryRank) {
  Tensor x = zeros({rank() == 0 ? 2 : 3});
  kiln_test::expect_error([&] { dist::all_reduce(x); }, {"all_reduce", "differ", "rank 0 called", "[2]", "[3]"});
  Tensor y = zeros({2}, dtype(rank() == 0 ? kFloat32 : kFloat64));
  kiln_test::expect_error([&] { dist::broadcast(y, 0); }, {"broadcast", "float32", "float64"});
  // Different collectives meet at the header exchange and are reported too.
  kiln_test::expect_error(
      [&] {
        if (rank() == 0)
          dist::all_reduce(zeros({2}));
        else
          dist::broadcast(zeros({2}), 0);
      },
      {"differ", "all_reduce(SUM)", "broadcast(src=0)"});
  // A bad argument on one rank only raises everywhere (no rank is left waiting).
  std::vector<Tensor> outputs(rank() == 0 ? 1 : world(), zeros({2}));
  kiln_test::expect_error([&] { dist::all_gather(outputs, zeros({2})); }, {"all_gather"});
  kiln_test::expect_error([] { dist::broadcast(zeros({1}), world()); }, {"broadcast", "not a rank"});
  dist::barrier();
}

TEST(Errors, EmptyTensors) {
  Tensor e = zeros({0, 3});
  dist::all_reduce(e);
  dist::broadcast(e, 0);
  EXPECT_EQ(e.numel(), 0);
}

}  // namespace
}  // namespace kiln
