// Shapes: a small inline vector (no heap below rank 7) and a non-owning view.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <ostream>
#include <vector>

namespace kiln {

class IntArrayRef;

// Vector of int64 with N elements inline; spills to the heap only above N.
template <size_t N>
class SmallVec {
 public:
  SmallVec() = default;
  explicit SmallVec(size_t n, int64_t value = 0) { assign(n, value); }
  SmallVec(const int64_t* first, size_t n) { assign(first, n); }
  SmallVec(std::initializer_list<int64_t> l) { assign(l.begin(), l.size()); }
  SmallVec(IntArrayRef r);
  SmallVec(const SmallVec& o) { assign(o.data(), o.size()); }
  SmallVec& operator=(const SmallVec& o) {
    if (this != &o) assign(o.data(), o.size());
    return *this;
  }
  SmallVec(SmallVec&& o) noexcept { steal(o); }
  SmallVec& operator=(SmallVec&& o) noexcept {
    if (this != &o) {
      release();
      steal(o);
    }
    return *this;
  }
  ~SmallVec() { release(); }

  int64_t* data() { return heap_ ? heap_ : inline_; }
  const int64_t* data() const { return heap_ ? heap_ : inline_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  int64_t& operator[](size_t i) { return data()[i]; }
  int64_t operator[](size_t i) const { return data()[i]; }
  int64_t* begin() { return data(); }
  int64_t* end() { return data() + size_; }
  const int64_t* begin() const { return data(); }
  const int64_t* end() const { return data() + size_; }
  int64_t& back() { return data()[size_ - 1]; }
  int64_t back() const { return data()[size_ - 1]; }

  void push_back(int64_t v) {
    reserve(size_ + 1);
    data()[size_++] = v;
  }
  void insert(size_t pos, int64_t v) {
    reserve(size_ + 1);
    int64_t* d = data();
    std::memmove(d + pos + 1, d + pos, (size_ - pos) * sizeof(int64_t));
    d[pos] = v;
    ++size_;
  }
  void erase(size_t pos) {
    int64_t* d = data();
    std::memmove(d + pos, d + pos + 1, (size_ - pos - 1) * sizeof(int64_t));
    --size_;
  }
  void resize(size_t n, int64_t value = 0) {
    reserve(n);
    for (size_t i = size_; i < n; ++i) data()[i] = value;
    size_ = n;
  }
  void assign(size_t n, int64_t value) {
    size_ = 0;
    resize(n, value);
  }
  void assign(const int64_t* first, size_t n) {
    reserve(n);
    if (n) std::memmove(data(), first, n * sizeof(int64_t));
    size_ = n;
  }
  std::vector<int64_t> vec() const { return {begin(), end()}; }

 private:
  void reserve(size_t n) {
    if (n <= capacity_) return;
    size_t cap = std::max(n, capacity_ * 2);
    auto* fresh = new int64_t[cap];
    if (size_) std::memcpy(fresh, data(), size_ * sizeof(int64_t));
    delete[] heap_;
    heap_ = fresh;
    capacity_ = cap;
  }
  void release() {
    delete[] heap_;
    heap_ = nullptr;
    capacity_ = N;
    size_ = 0;
  }
  void steal(SmallVec& o) {
    if (o.heap_) {
      heap_ = o.heap_;
      capacity_ = o.capacity_;
      size_ = o.size_;
      o.heap_ = nullptr;
      o.capacity_ = N;
      o.size_ = 0;
    } else {
      assign(o.inline_, o.size_);
    }
  }
  int64_t inline_[N];
  int64_t* heap_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = N;
};

// The shape/stride container used everywhere: rank <= 6 stays inline.
using Shape = SmallVec<6>;

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
  IntArrayRef(const SmallVec<N>& v) : data_(v.data()), size_(v.size()) {}

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
    return a.size_ == b.size_ && std::equal(a.begin(), a.end(), b.begin());
  }
  friend bool operator!=(IntArrayRef a, IntArrayRef b) { return !(a == b); }
  friend bool operator==(IntArrayRef a, const std::vector<int64_t>& b) { return a == IntArrayRef(b); }
  friend bool operator==(const std::vector<int64_t>& a, IntArrayRef b) { return IntArrayRef(a) == b; }

 private:
  const int64_t* data_ = nullptr;
  size_t size_ = 0;
};

template <size_t N>
SmallVec<N>::SmallVec(IntArrayRef r) {
  assign(r.data(), r.size());
}

std::ostream& operator<<(std::ostream& os, IntArrayRef shape);

}  // namespace kiln
