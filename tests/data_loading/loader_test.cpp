// kiln::data: batches, shuffling reproducible under a seed, drop_last, the
// fast stacked path equal to stacking examples, and the distributed samplers.
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <algorithm>
#include <set>

#include "common/expect_error.h"

namespace {
namespace data = kiln::data;
using kiln::Tensor;
using kiln_test::expect_error;

data::datasets::TensorDataset numbered(int64_t n) {
  Tensor x = kiln::arange(n * 2, kiln::kFloat32).reshape({n, 2});
  return data::datasets::TensorDataset(x, kiln::arange(n));
}

std::vector<int64_t> epoch_targets(int64_t n, size_t batch, bool drop_last, std::vector<size_t>* sizes = nullptr) {
  auto loader = data::make_data_loader(numbered(n).map(data::transforms::Stack<>()),
                                       data::DataLoaderOptions().batch_size(batch).drop_last(drop_last));
  std::vector<int64_t> seen;
  for (auto& batch_ : *loader) {
    EXPECT_EQ(batch_.data.size(0), batch_.target.size(0));
    // Each row of data is the pair (2i, 2i + 1) of its target i.
    EXPECT_TRUE(kiln::equal(batch_.data.select(1, 0), (batch_.target * 2).to(kiln::kFloat32)));
    if (sizes) sizes->push_back(static_cast<size_t>(batch_.data.size(0)));
    for (int64_t i = 0; i < batch_.target.numel(); ++i) seen.push_back(batch_.target[i].item<int64_t>());
  }
  return seen;
}

TEST(DataLoader, ShuffledEpochCoversEveryExampleOnce) {
  kiln::manual_seed(1);
  std::vector<size_t> sizes;
  auto seen = epoch_targets(10, 4, false, &sizes);
  EXPECT_EQ(sizes, (std::vector<size_t>{4, 4, 2}));
  std::vector<int64_t> sorted = seen;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_NE(seen, sorted);  // shuffled (10! orders; the identity has negligible chance)
}

TEST(DataLoader, SameSeedSameOrderAndEpochsDiffer) {
  kiln::manual_seed(7);
  auto a1 = epoch_targets(50, 8, false);
  auto a2 = epoch_targets(50, 8, false);
  kiln::manual_seed(7);
  auto b1 = epoch_targets(50, 8, false);
  EXPECT_EQ(a1, b1);
  EXPECT_NE(a1, a2);
}

TEST(DataLoader, DropLastDropsTheShortBatch) {
  std::vector<size_t> sizes;
  auto seen = epoch_targets(10, 4, true, &sizes);
  EXPECT_EQ(sizes, (std::vector<size_t>{4, 4}));
  EXPECT_EQ(seen.size(), 8u);
}

TEST(DataLoader, SequentialSamplerAndUnstackedBatches) {
  auto loader = data::make_data_loader<data::samplers::SequentialSampler>(numbered(5), 2);
  std::vector<std::vector<int64_t>> batches;
  for (auto& batch : *loader) {
    std::vector<int64_t> b;
    for (auto& example : batch) b.push_back(example.target.item<int64_t>());
    batches.push_back(b);
  }
  EXPECT_EQ(batches, (std::vector<std::vector<int64_t>>{{0, 1}, {2, 3}, {4}}));
}

TEST(DataLoader, StackedFastPathEqualsStackingExamples) {
  auto ds = numbered(7);
  std::vector<size_t> idx{5, 0, 3};
  auto fast = ds.get_stacked_batch(idx);
  auto slow = data::transforms::Stack<>().apply_batch(ds.get_batch(idx));
  EXPECT_TRUE(kiln::equal(fast.data, slow.data));
  EXPECT_TRUE(kiln::equal(fast.target, slow.target));
}

TEST(DataLoader, Errors) {
  expect_error([] { data::datasets::TensorDataset(kiln::zeros({3, 2}), kiln::zeros({4})); },
               {"TensorDataset", "3", "4"});
  auto ds = numbered(3);
  expect_error([&] { ds.get(3); }, {"TensorDataset", "index 3", "3 examples"});
  expect_error([] { data::make_data_loader(numbered(3), data::DataLoaderOptions(0)); }, {"batch_size"});
  expect_error([] { data::samplers::DistributedRandomSampler(10, 2, 2); }, {"rank 2", "num_replicas"});
}

std::vector<size_t> drain(data::samplers::Sampler<>& s, size_t batch) {
  std::vector<size_t> out;
  while (auto b = s.next(batch)) out.insert(out.end(), b->begin(), b->end());
  return out;
}

TEST(DistributedRandomSampler, RanksSplitOneEpochSeededPermutation) {
  const size_t n = 10, replicas = 3;
  std::vector<size_t> all;
  for (size_t rank = 0; rank < replicas; ++rank) {
    data::samplers::DistributedRandomSampler s(n, replicas, rank);
    auto mine = drain(s, 3);
    EXPECT_EQ(mine.size(), 4u);  // ceil(10 / 3), padded from the start
    all.insert(all.end(), mine.begin(), mine.end());
  }
  std::set<size_t> distinct(all.begin(), all.end());
  EXPECT_EQ(distinct.size(), n);  // every example, two of them twice
  EXPECT_EQ(all.size(), 12u);

  // The permutation depends on the epoch only (the same on every rank).
  data::samplers::DistributedRandomSampler a(n, 1, 0), b(n, 1, 0);
  a.set_epoch(3);
  b.set_epoch(3);
  a.reset();
  b.reset();
  auto pa = drain(a, 4);
  EXPECT_EQ(pa, drain(b, 4));
  a.set_epoch(4);
  a.reset();
  EXPECT_NE(drain(a, 4), pa);

  data::samplers::DistributedRandomSampler strict(n, replicas, 2, false);
  EXPECT_EQ(drain(strict, 5).size(), 3u);  // floor(10 / 3)
}

TEST(DistributedSequentialSampler, ContiguousSlices) {
  data::samplers::DistributedSequentialSampler r0(5, 2, 0), r1(5, 2, 1);
  EXPECT_EQ(drain(r0, 2), (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(drain(r1, 2), (std::vector<size_t>{3, 4, 0}));
}

}  // namespace
