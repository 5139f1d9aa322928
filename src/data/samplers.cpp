// The samplers: sequential, random (kiln's generator), and the distributed
// ones (each replica its slice; the shuffle seeded by the epoch with
// std::mt19937, so every rank computes the same permutation, as libtorch's).
#include <algorithm>
#include <numeric>
#include <random>

#include "kiln/data.h"

namespace kiln::data::samplers {

SequentialSampler::SequentialSampler(size_t size) : size_(size) {}
void SequentialSampler::reset(std::optional<size_t> new_size) {
  if (new_size) size_ = *new_size;
  index_ = 0;
}
std::optional<std::vector<size_t>> SequentialSampler::next(size_t batch_size) {
  size_t end = std::min(index_ + batch_size, size_);
  if (end <= index_) return std::nullopt;
  std::vector<size_t> out(end - index_);
  std::iota(out.begin(), out.end(), index_);
  index_ = end;
  return out;
}

RandomSampler::RandomSampler(int64_t size, ScalarType index_dtype) {
  KILN_CHECK(size >= 0, "RandomSampler: size must be non-negative, got ", size);
  KILN_CHECK(index_dtype == kInt64 || index_dtype == kInt32, "RandomSampler: index dtype must be int64 or int32, got ",
             index_dtype);
  indices_ = randperm(size, kInt64);
}
void RandomSampler::reset(std::optional<size_t> new_size) {
  int64_t n = new_size ? static_cast<int64_t>(*new_size) : indices_.numel();
  indices_ = randperm(n, kInt64);
  index_ = 0;
}
std::optional<std::vector<size_t>> RandomSampler::next(size_t batch_size) {
  auto n = static_cast<size_t>(indices_.numel());
  size_t end = std::min(index_ + batch_size, n);
  if (end <= index_) return std::nullopt;
  const int64_t* p = indices_.data_ptr<int64_t>();
  std::vector<size_t> out(p + index_, p + end);
  index_ = end;
  return out;
}

DistributedSampler::DistributedSampler(size_t size, size_t num_replicas, size_t rank, bool allow_duplicates)
    : size_(size), num_replicas_(num_replicas), rank_(rank), allow_duplicates_(allow_duplicates) {
  KILN_CHECK(num_replicas > 0, "DistributedSampler: num_replicas must be positive");
  KILN_CHECK(rank < num_replicas, "DistributedSampler: rank ", rank, " must be less than num_replicas (",
             num_replicas, ")");
}
size_t DistributedSampler::local_sample_count() const {
  return allow_duplicates_ ? (size_ + num_replicas_ - 1) / num_replicas_ : size_ / num_replicas_;
}

namespace {
// Indices 0..size-1, then from 0 again to fill every replica's equal share;
// this replica's share is [begin, end).
std::vector<size_t> replica_indices(size_t size, size_t replicas, size_t local, size_t rank, size_t& begin,
                                    size_t& end) {
  size_t count = replicas == 1 ? size : local * replicas;
  std::vector<size_t> all(count);
  for (size_t i = 0; i < count; ++i) all[i] = i < size ? i : i - size;
  begin = rank * local;
  end = begin + local;
  return all;
}
std::optional<std::vector<size_t>> take(const std::vector<size_t>& all, size_t& at, size_t end, size_t batch_size) {
  if (at >= end) return std::nullopt;
  size_t stop = std::min(at + batch_size, end);
  std::vector<size_t> out(all.begin() + static_cast<std::ptrdiff_t>(at), all.begin() + static_cast<std::ptrdiff_t>(stop));
  at = stop;
  return out;
}
}  // namespace

DistributedRandomSampler::DistributedRandomSampler(size_t size, size_t num_replicas, size_t rank,
                                                   bool allow_duplicates)
    : DistributedSampler(size, num_replicas, rank, allow_duplicates) {
  reset(size_);
}
void DistributedRandomSampler::populate_indices() {
  all_indices_ = replica_indices(size_, num_replicas_, local_sample_count(), rank_, begin_index_, end_index_);
}
void DistributedRandomSampler::reset(std::optional<size_t> new_size) {
  if (new_size) size_ = *new_size;
  populate_indices();
  std::mt19937 engine(static_cast<std::mt19937::result_type>(epoch_));
  std::shuffle(all_indices_.begin(), all_indices_.end(), engine);
  sample_index_ = begin_index_;
}
std::optional<std::vector<size_t>> DistributedRandomSampler::next(size_t batch_size) {
  return take(all_indices_, sample_index_, end_index_, batch_size);
}

DistributedSequentialSampler::DistributedSequentialSampler(size_t size, size_t num_replicas, size_t rank,
                                                           bool allow_duplicates)
    : DistributedSampler(size, num_replicas, rank, allow_duplicates) {
  populate_indices();
}
void DistributedSequentialSampler::populate_indices() {
  all_indices_ = replica_indices(size_, num_replicas_, local_sample_count(), rank_, begin_index_, end_index_);
  sample_index_ = begin_index_;
}
void DistributedSequentialSampler::reset(std::optional<size_t> new_size) {
  if (new_size && *new_size != size_) size_ = *new_size;
  populate_indices();
}
std::optional<std::vector<size_t>> DistributedSequentialSampler::next(size_t batch_size) {
  return take(all_indices_, sample_index_, end_index_, batch_size);
}

}  // namespace kiln::data::samplers
