// Random-number state. kiln's random numbers come from a counter-based
// Philox4x32-10 stream: the n-th value drawn after a seed depends only on
// (seed, n), so results are reproducible across runs and across thread
// counts. A Generator is just that pair: a seed and the offset of the next
// value; every draw claims a block of offsets.
#pragma once
#include <atomic>
#include <cstdint>

namespace kiln {

class Generator {
 public:
  // libtorch's default CPU seed, so that unseeded programs are reproducible too.
  static constexpr uint64_t kDefaultSeed = 67280421310721ULL;

  explicit Generator(uint64_t seed = kDefaultSeed) : seed_(seed) {}
  Generator(const Generator& other) : seed_(other.current_seed()), offset_(other.get_offset()) {}
  Generator& operator=(const Generator& other) {
    seed_ = other.current_seed();
    offset_ = other.get_offset();
    return *this;
  }

  // Sets the seed and rewinds the stream to its start.
  void set_current_seed(uint64_t seed) {
    seed_ = seed;
    offset_ = 0;
  }
  uint64_t current_seed() const { return seed_; }
  // The offset of the next value: save it and set it back to replay draws.
  uint64_t get_offset() const { return offset_; }
  void set_offset(uint64_t offset) { offset_ = offset; }
  // Claims the next n values of the stream; returns the offset of the first.
  uint64_t reserve(uint64_t n) { return offset_.fetch_add(n); }

 private:
  std::atomic<uint64_t> seed_;
  std::atomic<uint64_t> offset_{0};
};

// The generator used by rand, randn, randint, randperm, bernoulli, normal and
// multinomial (libtorch: at::detail::getDefaultCPUGenerator()).
Generator& default_generator();

// manual_seed(uint64_t) is declared in functions.h with the sampling functions.

}  // namespace kiln
