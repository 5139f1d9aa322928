// kiln::data (torch::data): datasets, transforms, samplers and the data
// loader. A loader asks its sampler for a batch of indices and its dataset
// for those examples; `dataset.map(transforms::Stack<>())` stacks them into
// one Example {data, target}. A TensorDataset gathers a stacked batch with
// one index_select per tensor instead of stacking examples one by one.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "kiln/functions.h"
#include "kiln/nn/options.h"

namespace kiln::data {

template <class Data = Tensor, class Target = Tensor>
struct Example {
  using DataType = Data;
  using TargetType = Target;
  Example() = default;
  Example(Data data, Target target) : data(std::move(data)), target(std::move(target)) {}
  Data data;
  Target target;
};
struct NoTarget {};
template <class Data>
struct Example<Data, NoTarget> {
  using DataType = Data;
  using TargetType = NoTarget;
  Example() = default;
  Example(Data data) : data(std::move(data)) {}  // NOLINT
  operator Data&() { return data; }
  operator const Data&() const { return data; }
  Data data;
};
using TensorExample = Example<Tensor, NoTarget>;

// ---- datasets
namespace datasets {
template <class Self, class Batch>
class BatchDataset {
 public:
  using SelfType = Self;
  using BatchType = Batch;
  using BatchRequestType = std::vector<size_t>;
  virtual ~BatchDataset() = default;
  virtual Batch get_batch(std::vector<size_t> indices) = 0;
  virtual std::optional<size_t> size() const = 0;
  // A dataset whose batches pass through `transform` (libtorch's map()).
  template <class Transform>
  auto map(Transform transform) &&;
};

template <class Self, class SingleExample = Example<>>
class Dataset : public BatchDataset<Self, std::vector<SingleExample>> {
 public:
  using ExampleType = SingleExample;
  virtual SingleExample get(size_t index) = 0;
  std::vector<SingleExample> get_batch(std::vector<size_t> indices) override {
    std::vector<SingleExample> batch;
    batch.reserve(indices.size());
    for (size_t i : indices) batch.push_back(static_cast<Self*>(this)->get(i));
    return batch;
  }
};

template <class Source, class Transform>
class MapDataset : public BatchDataset<MapDataset<Source, Transform>, typename Transform::OutputBatchType> {
 public:
  using DatasetType = Source;
  using TransformType = Transform;
  using BatchType = typename Transform::OutputBatchType;
  MapDataset(Source dataset, Transform transform) : dataset_(std::move(dataset)), transform_(std::move(transform)) {}
  BatchType get_batch(std::vector<size_t> indices) override {
    // A source that gathers a stacked batch directly skips the per-example path.
    if constexpr (requires { requires Transform::kStacks; } &&
                  requires(Source& s, const std::vector<size_t>& i) { s.get_stacked_batch(i); })
      return dataset_.get_stacked_batch(indices);
    else
      return transform_.apply_batch(dataset_.get_batch(std::move(indices)));
  }
  std::optional<size_t> size() const override { return dataset_.size(); }
  const Source& dataset() const { return dataset_; }
  const Transform& transform() const { return transform_; }

 private:
  Source dataset_;
  Transform transform_;
};

template <class Self, class Batch>
template <class Transform>
auto BatchDataset<Self, Batch>::map(Transform transform) && {
  return MapDataset<Self, Transform>(std::move(static_cast<Self&>(*this)), std::move(transform));
}

// Rows of a data tensor with the matching rows of a target tensor (PyTorch's
// TensorDataset(x, y)); built from one tensor, examples have no target.
class TensorDataset : public Dataset<TensorDataset, Example<>> {
 public:
  explicit TensorDataset(Tensor data, Tensor target = {});
  explicit TensorDataset(const std::vector<Tensor>& tensors);
  Example<> get(size_t index) override;
  std::optional<size_t> size() const override;
  // The batch as one Example of stacked rows (what Stack<> would make).
  Example<> get_stacked_batch(const std::vector<size_t>& indices) const;

  Tensor data;
  Tensor target;
};
}  // namespace datasets

// ---- transforms
namespace transforms {
template <class E = Example<>>
struct Stack {
  using InputBatchType = std::vector<E>;
  using OutputBatchType = E;
  static constexpr bool kStacks = true;
  E apply_batch(std::vector<E> examples) const {
    std::vector<Tensor> data, target;
    data.reserve(examples.size());
    target.reserve(examples.size());
    for (auto& e : examples) {
      data.push_back(std::move(e.data));
      if constexpr (!std::is_same_v<typename E::TargetType, NoTarget>) target.push_back(std::move(e.target));
    }
    if constexpr (std::is_same_v<typename E::TargetType, NoTarget>)
      return E(stack(data));
    else
      return E(stack(data), target.empty() || !target[0].defined() ? Tensor() : stack(target));
  }
};

// Applies a function to each example's data (libtorch's Lambda / TensorLambda).
template <class E = Example<>>
struct Lambda {
  using InputBatchType = std::vector<E>;
  using OutputBatchType = std::vector<E>;
  static constexpr bool kStacks = false;
  explicit Lambda(std::function<E(E)> fn) : fn_(std::move(fn)) {}
  std::vector<E> apply_batch(std::vector<E> examples) const {
    for (auto& e : examples) e = fn_(std::move(e));
    return examples;
  }

 private:
  std::function<E(E)> fn_;
};

// (data - mean) / stddev on each example's data.
template <class Target = Tensor>
struct Normalize {
  using E = Example<Tensor, Target>;
  using InputBatchType = std::vector<E>;
  using OutputBatchType = std::vector<E>;
  static constexpr bool kStacks = false;
  Normalize(double mean, double stddev) : mean_(mean), stddev_(stddev) {}
  std::vector<E> apply_batch(std::vector<E> examples) const {
    for (auto& e : examples) e.data = (e.data - mean_) / stddev_;
    return examples;
  }

 private:
  double mean_, stddev_;
};
}  // namespace transforms

// ---- samplers: each hands out batches of indices until the epoch ends
namespace samplers {
template <class BatchRequest = std::vector<size_t>>
class Sampler {
 public:
  using BatchRequestType = BatchRequest;
  virtual ~Sampler() = default;
  // Starts a new epoch (optionally over a new dataset size).
  virtual void reset(std::optional<size_t> new_size) = 0;
  virtual std::optional<BatchRequest> next(size_t batch_size) = 0;
};

class SequentialSampler : public Sampler<> {
 public:
  explicit SequentialSampler(size_t size);
  void reset(std::optional<size_t> new_size = std::nullopt) override;
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
  size_t index() const noexcept { return index_; }

 private:
  size_t size_, index_ = 0;
};

// A permutation of [0, size) per epoch from kiln's generator (seed it with
// kiln::manual_seed for a reproducible order).
class RandomSampler : public Sampler<> {
 public:
  explicit RandomSampler(int64_t size, ScalarType index_dtype = kInt64);
  void reset(std::optional<size_t> new_size = std::nullopt) override;
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
  size_t index() const noexcept { return index_; }

 private:
  Tensor indices_;
  size_t index_ = 0;
};

// Each of num_replicas processes takes its own slice of the dataset
// (libtorch's torch::data::samplers::Distributed*Sampler). With
// allow_duplicates every replica gets ceil(size / num_replicas) samples,
// wrapping around to the start; without, floor(size / num_replicas).
class DistributedSampler : public Sampler<> {
 public:
  DistributedSampler(size_t size, size_t num_replicas = 1, size_t rank = 0, bool allow_duplicates = true);
  // The epoch seeds the shuffle: call before each epoch, the same on every rank.
  void set_epoch(size_t epoch) { epoch_ = epoch; }
  size_t epoch() const { return epoch_; }

 protected:
  size_t local_sample_count() const;
  size_t size_, num_replicas_, rank_, epoch_ = 0;
  bool allow_duplicates_;
};

class DistributedRandomSampler : public DistributedSampler {
 public:
  DistributedRandomSampler(size_t size, size_t num_replicas = 1, size_t rank = 0, bool allow_duplicates = true);
  void reset(std::optional<size_t> new_size = std::nullopt) override;
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
  size_t index() const noexcept { return sample_index_ - begin_index_; }

 private:
  void populate_indices();
  size_t begin_index_ = 0, end_index_ = 0, sample_index_ = 0;
  std::vector<size_t> all_indices_;
};

class DistributedSequentialSampler : public DistributedSampler {
 public:
  DistributedSequentialSampler(size_t size, size_t num_replicas = 1, size_t rank = 0, bool allow_duplicates = true);
  void reset(std::optional<size_t> new_size = std::nullopt) override;
  std::optional<std::vector<size_t>> next(size_t batch_size) override;
  size_t index() const noexcept { return sample_index_ - begin_index_; }

 private:
  void populate_indices();
  size_t begin_index_ = 0, end_index_ = 0, sample_index_ = 0;
  std::vector<size_t> all_indices_;
};
}  // namespace samplers

// ---- the loader
struct DataLoaderOptions {
  DataLoaderOptions() = default;
  DataLoaderOptions(size_t batch_size) : batch_size_(batch_size) {}  // NOLINT: implicit, as torch's
  KILN_ARG(size_t, batch_size) = 1;
  KILN_ARG(size_t, workers) = 0;  // batches are made on the calling thread
  KILN_ARG(std::optional<size_t>, max_jobs) = std::nullopt;
  KILN_ARG(bool, enforce_ordering) = true;
  KILN_ARG(bool, drop_last) = false;
};

// Iterating starts an epoch (the sampler is reset) and yields batches until
// the sampler is exhausted (with drop_last, a short final batch is dropped).
template <class Dataset, class Sampler>
class StatelessDataLoader {
 public:
  using BatchType = typename Dataset::BatchType;

  StatelessDataLoader(Dataset dataset, Sampler sampler, DataLoaderOptions options)
      : dataset_(std::move(dataset)), sampler_(std::move(sampler)), options_(options) {
    KILN_CHECK(options_.batch_size() > 0, "DataLoader: batch_size must be positive");
  }

  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = BatchType;
    using difference_type = std::ptrdiff_t;
    using pointer = BatchType*;
    using reference = BatchType&;
    Iterator() = default;
    explicit Iterator(StatelessDataLoader* loader) : loader_(loader) { advance(); }
    BatchType& operator*() { return *batch_; }
    BatchType* operator->() { return &*batch_; }
    Iterator& operator++() {
      advance();
      return *this;
    }
    bool operator==(const Iterator& other) const { return !batch_ && !other.batch_; }
    bool operator!=(const Iterator& other) const { return !(*this == other); }

   private:
    void advance() {
      batch_.reset();
      if (loader_) batch_ = loader_->next();
      if (!batch_) loader_ = nullptr;
    }
    StatelessDataLoader* loader_ = nullptr;
    std::optional<BatchType> batch_;
  };

  Iterator begin() {
    sampler_.reset(dataset_.size());
    return Iterator(this);
  }
  Iterator end() { return Iterator(); }
  const DataLoaderOptions& options() const noexcept { return options_; }
  Sampler& sampler() noexcept { return sampler_; }
  Dataset& dataset() noexcept { return dataset_; }

 private:
  std::optional<BatchType> next() {
    auto indices = sampler_.next(options_.batch_size());
    if (!indices || indices->empty()) return std::nullopt;
    if (options_.drop_last() && indices->size() < options_.batch_size()) return std::nullopt;
    return dataset_.get_batch(std::move(*indices));
  }
  Dataset dataset_;
  Sampler sampler_;
  DataLoaderOptions options_;
};

template <class Sampler = samplers::RandomSampler, class Dataset>
std::unique_ptr<StatelessDataLoader<Dataset, Sampler>> make_data_loader(Dataset dataset,
                                                                         DataLoaderOptions options = {}) {
  std::optional<size_t> size = dataset.size();
  KILN_CHECK(size.has_value(), "make_data_loader: expected the dataset to have a size");
  Sampler sampler(static_cast<int64_t>(*size));
  return std::make_unique<StatelessDataLoader<Dataset, Sampler>>(std::move(dataset), std::move(sampler), options);
}

template <class Dataset, class Sampler>
  requires std::is_base_of_v<samplers::Sampler<typename Sampler::BatchRequestType>, Sampler>
std::unique_ptr<StatelessDataLoader<Dataset, Sampler>> make_data_loader(Dataset dataset, Sampler sampler,
                                                                         DataLoaderOptions options = {}) {
  return std::make_unique<StatelessDataLoader<Dataset, Sampler>>(std::move(dataset), std::move(sampler), options);
}

}  // namespace kiln::data
