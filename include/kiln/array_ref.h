// Shapes: a small inline vector (no heap below rank 7) and a non-owning view.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <type_traits>
#include <vector>

#include "kiln/small_vector.h"

namespace kiln {

class IntArrayRef;

// The shape/stride container used everywhere: rank <= 6 stays inline.
using Shape = SmallVector<int64_t, 6>;

// Non-owning view over int64 values: accepts braced lists, vectors, shapes
// and a single integer, as libtorch's IntArrayRef does.
class IntArrayRef {
 public:
  IntArrayRef() = default;
  IntArrayRef(const int64_t& one) : data_(&one), size_(1) {}
  IntArrayRef(const int64_t* data, size_t size) : data_(data), size_(size) {}
  // Like libtorch's ArrayRef: a braced list lives until the end of the call
  // it is passed to, which is all an argument needs.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
#endif
  IntArrayRef(std::initializer_list<int64_t> l) : data_(l.begin()), size_(l.size()) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  IntArrayRef(const std::vector<int64_t>& v) : data_(v.data()), size_(v.size()) {}
  template <size_t N>
  IntArrayRef(const SmallVector<int64_t, N>& v) : data_(v.data()), size_(v.size()) {}

  const int64_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const int64_t* begin() const { return data_; }
  const int64_t* end() const { return data_ + size_; }
  int64_t operator[](size_t i) const { return data_[i]; }
  int64_t front() const { return data_[0]; }
  int64_t back() const { return data_[size_ - 1]; }
  std::vector<int64_t> vec() const { return {begin(), end()}; }

  friend bool operator==(IntArrayRef a, IntArrayRef b) {
    if (a.size_ != b.size_) return false;
    for (size_t i = 0; i < a.size_; ++i)
      if (a.data_[i] != b.data_[i]) return false;
    return true;
  }
  friend bool operator!=(IntArrayRef a, IntArrayRef b) { return !(a == b); }
  friend bool operator==(IntArrayRef a, const std::vector<int64_t>& b) { return a == IntArrayRef(b); }
  friend bool operator==(const std::vector<int64_t>& a, IntArrayRef b) { return IntArrayRef(a) == b; }

 private:
  const int64_t* data_ = nullptr;
  size_t size_ = 0;
};

std::ostream& operator<<(std::ostream& os, IntArrayRef shape);

// A non-owning view over values of any type, as libtorch's ArrayRef<T>;
// ArrayRef<int64_t> is an IntArrayRef.
template <class T>
class ArrayRef {
 public:
  using value_type = T;
  ArrayRef() = default;
  ArrayRef(const T& one) : data_(&one), size_(1) {}
  ArrayRef(const T* data, size_t size) : data_(data), size_(size) {}
  ArrayRef(const T* begin, const T* end) : data_(begin), size_(static_cast<size_t>(end - begin)) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
#endif
  ArrayRef(std::initializer_list<T> l) : data_(l.begin()), size_(l.size()) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  template <class A>
  ArrayRef(const std::vector<T, A>& v) : data_(v.data()), size_(v.size()) {}
  template <size_t N>
  ArrayRef(const SmallVector<T, N>& v) : data_(v.data()), size_(v.size()) {}
  template <size_t N>
  constexpr ArrayRef(const T (&array)[N]) : data_(array), size_(N) {}

  const T* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  const T& operator[](size_t i) const { return data_[i]; }
  const T& front() const { return data_[0]; }
  const T& back() const { return data_[size_ - 1]; }
  std::vector<T> vec() const { return {begin(), end()}; }
  bool equals(ArrayRef other) const {
    if (size_ != other.size_) return false;
    for (size_t i = 0; i < size_; ++i)
      if (!(data_[i] == other.data_[i])) return false;
    return true;
  }

 private:
  const T* data_ = nullptr;
  size_t size_ = 0;
};

template <>
class ArrayRef<int64_t> : public IntArrayRef {
 public:
  using IntArrayRef::IntArrayRef;
  ArrayRef(IntArrayRef r) : IntArrayRef(r) {}
};

// An optional list of values, as c10::OptionalArrayRef<T>. Unlike
// std::optional<ArrayRef<T>>, a braced list binds to the list itself, which
// lives until the end of the call; nullopt or {} is "no list".
template <class T>
class OptionalArrayRef {
 public:
  OptionalArrayRef() = default;
  OptionalArrayRef(std::nullopt_t) {}
  OptionalArrayRef(ArrayRef<T> values) : values_(values), has_value_(true) {}
  OptionalArrayRef(std::initializer_list<T> l) : values_(l), has_value_(true) {}
  template <class A>
  OptionalArrayRef(const std::vector<T, A>& v) : values_(v), has_value_(true) {}
  OptionalArrayRef(const std::optional<std::vector<T>>& o)
      : values_(o ? ArrayRef<T>(*o) : ArrayRef<T>()), has_value_(o.has_value()) {}

  bool has_value() const { return has_value_; }
  explicit operator bool() const { return has_value_; }
  const ArrayRef<T>& operator*() const { return values_; }
  const ArrayRef<T>* operator->() const { return &values_; }
  const ArrayRef<T>& value() const {
    if (!has_value_) throw std::bad_optional_access();
    return values_;
  }
  ArrayRef<T> value_or(ArrayRef<T> other) const { return has_value_ ? values_ : other; }

 private:
  ArrayRef<T> values_;
  bool has_value_ = false;
};

// An optional list of dims, as libtorch's OptionalIntArrayRef ({-1},
// {-2, -1}, a vector, a shape), also from a single dim.
class OptionalIntArrayRef : public OptionalArrayRef<int64_t> {
 public:
  using OptionalArrayRef<int64_t>::OptionalArrayRef;
  OptionalIntArrayRef(IntArrayRef dims) : OptionalArrayRef(ArrayRef<int64_t>(dims)) {}
  OptionalIntArrayRef(const int64_t& one) : OptionalArrayRef(ArrayRef<int64_t>(one)) {}
  // Vectors and shapes (anything viewable as an IntArrayRef but a number).
  template <class U, std::enable_if_t<std::is_convertible_v<const U&, IntArrayRef> && !std::is_arithmetic_v<U> &&
                                          !std::is_same_v<U, IntArrayRef>,
                                      int> = 0>
  OptionalIntArrayRef(const U& dims) : OptionalArrayRef(ArrayRef<int64_t>(IntArrayRef(dims))) {}
  OptionalIntArrayRef(const std::optional<IntArrayRef>& o)
      : OptionalArrayRef(o ? OptionalArrayRef(ArrayRef<int64_t>(*o)) : OptionalArrayRef()) {}
  IntArrayRef value_or(IntArrayRef other) const { return has_value() ? IntArrayRef(**this) : other; }
};

}  // namespace kiln
