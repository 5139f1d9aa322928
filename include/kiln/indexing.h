// torch::indexing spelled in kiln: Slice, None, Ellipsis and TensorIndex.
#pragma once
#include <cstdint>
#include <limits>
#include <iosfwd>
#include <optional>
#include <vector>

#include "kiln/error.h"

namespace kiln {
class Tensor;
namespace indexing {

// None is nullopt, as in libtorch: Slice(1, None), and in the operator
// form's List<std::optional<Tensor>> a whole dim.
using NoneIndexType = std::nullopt_t;
struct EllipsisIndexType {};
inline constexpr std::nullopt_t None = std::nullopt;
inline constexpr EllipsisIndexType Ellipsis{};

inline constexpr int64_t INDEX_MAX = std::numeric_limits<int64_t>::max();
inline constexpr int64_t INDEX_MIN = std::numeric_limits<int64_t>::min();

// start:stop:step; a missing start or stop is the end the step walks from
// or to, as in Python.
class Slice {
 public:
  Slice(std::optional<int64_t> start = std::nullopt, std::optional<int64_t> stop = std::nullopt,
        std::optional<int64_t> step = std::nullopt)
      : step_(step.value_or(1)) {
    KILN_CHECK(step_ != 0, "Slice: slice step cannot be zero");
    start_ = start.value_or(step_ < 0 ? INDEX_MAX : 0);
    stop_ = stop.value_or(step_ < 0 ? INDEX_MIN : INDEX_MAX);
  }
  int64_t start() const { return start_; }
  int64_t stop() const { return stop_; }
  int64_t step() const { return step_; }

 private:
  int64_t start_, stop_, step_;
};

// One entry of t.index({...}): an integer, a Slice, None, Ellipsis, a bool
// or a Tensor (integer or boolean mask).
class TensorIndex {
 public:
  enum class Kind { Integer, Slice, None, Ellipsis, Boolean, Tensor };
  TensorIndex(NoneIndexType) : kind_(Kind::None) {}
  TensorIndex(EllipsisIndexType) : kind_(Kind::Ellipsis) {}
  TensorIndex(const char* ellipsis);  // "..." as in libtorch
  TensorIndex(int64_t i) : kind_(Kind::Integer), integer_(i) {}
  TensorIndex(int i) : kind_(Kind::Integer), integer_(i) {}
  TensorIndex(bool b) : kind_(Kind::Boolean), boolean_(b) {}
  TensorIndex(Slice s) : kind_(Kind::Slice), slice_(s) {}
  TensorIndex(const Tensor& t);
  TensorIndex(const TensorIndex&);
  TensorIndex& operator=(const TensorIndex&);
  ~TensorIndex();

  Kind kind() const { return kind_; }
  bool is_none() const { return kind_ == Kind::None; }
  bool is_ellipsis() const { return kind_ == Kind::Ellipsis; }
  bool is_integer() const { return kind_ == Kind::Integer; }
  bool is_boolean() const { return kind_ == Kind::Boolean; }
  bool is_slice() const { return kind_ == Kind::Slice; }
  bool is_tensor() const { return kind_ == Kind::Tensor; }
  int64_t integer() const { return integer_; }
  bool boolean() const { return boolean_; }
  const Slice& slice() const { return slice_; }
  const Tensor& tensor() const;

 private:
  Kind kind_;
  int64_t integer_ = 0;
  bool boolean_ = false;
  Slice slice_;
  Tensor* tensor_ = nullptr;  // owned; a pointer so this header needs no Tensor
};

// As libtorch prints them: 1:9223372036854775807:2, None, ..., (0, true, 1:3:1).
std::ostream& operator<<(std::ostream& os, const Slice& slice);
std::ostream& operator<<(std::ostream& os, const TensorIndex& index);
std::ostream& operator<<(std::ostream& os, const std::vector<TensorIndex>& indices);

}  // namespace indexing
}  // namespace kiln
