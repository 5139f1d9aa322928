// The options builders' field macro (TORCH_ARG) and the loss reductions
// (torch::kNone, kMean, kSum).
#pragma once
#include <string>
#include <utility>

// KILN_ARG(double, lr) = 1e-3; gives `opts.lr(0.1)` (chainable) and `opts.lr()`.
#define KILN_ARG(T, name)                                   \
 public:                                                    \
  inline auto name(const T& new_##name)->decltype(*this) {  \
    this->name##_ = new_##name;                             \
    return *this;                                           \
  }                                                         \
  inline const T& name() const noexcept { return this->name##_; } \
  inline T& name() noexcept { return this->name##_; }       \
                                                            \
 private:                                                   \
  T name##_

namespace kiln {
namespace enumtype {
struct kNone {};
struct kMean {};
struct kSum {};
}  // namespace enumtype
inline constexpr enumtype::kNone kNone{};
inline constexpr enumtype::kMean kMean{};
inline constexpr enumtype::kSum kSum{};

namespace nn {
// How a loss reduces over elements: none, mean or sum.
class Reduction {
 public:
  enum Kind { None, Mean, Sum };
  Reduction(enumtype::kNone) : kind_(None) {}  // NOLINT: implicit, as torch's variant
  Reduction(enumtype::kMean) : kind_(Mean) {}  // NOLINT
  Reduction(enumtype::kSum) : kind_(Sum) {}    // NOLINT
  Kind kind() const { return kind_; }
  bool operator==(const Reduction&) const = default;
  const char* name() const { return kind_ == None ? "none" : kind_ == Mean ? "mean" : "sum"; }

 private:
  Kind kind_;
};
}  // namespace nn
}  // namespace kiln
