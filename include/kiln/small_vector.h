// A vector that keeps its first N elements inline and spills to the heap only
// above N: shapes of ordinary rank and the few edges of an autograd node cost
// no allocation.
#pragma once
#include <cstddef>
#include <initializer_list>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace kiln {

class IntArrayRef;

template <class T, size_t N>
class SmallVector {
 public:
  SmallVector() = default;
  explicit SmallVector(size_t n, T value = T()) { resize(n, std::move(value)); }
  SmallVector(const T* first, size_t n) { append(first, n); }
  SmallVector(std::initializer_list<T> l) { append(l.begin(), l.size()); }
  // Shapes convert from the views the API passes around.
  template <class View>
    requires std::is_same_v<View, IntArrayRef>
  SmallVector(const View& v) {
    append(v.data(), v.size());
  }
  SmallVector(const SmallVector& o) { append(o.data(), o.size()); }
  SmallVector& operator=(const SmallVector& o) {
    if (this != &o) assign(o.data(), o.size());
    return *this;
  }
  SmallVector(SmallVector&& o) noexcept { steal(o); }
  SmallVector& operator=(SmallVector&& o) noexcept {
    if (this != &o) {
      release();
      steal(o);
    }
    return *this;
  }
  ~SmallVector() { release(); }

  T* data() { return heap_ ? heap_ : inline_data(); }
  const T* data() const { return heap_ ? heap_ : inline_data(); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }
  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  T& back() { return data()[size_ - 1]; }
  const T& back() const { return data()[size_ - 1]; }

  template <class... Args>
  T& emplace_back(Args&&... args) {
    if (size_ == capacity_) {  // build first: args may refer into this vector
      T value(std::forward<Args>(args)...);
      reserve(size_ + 1);
      return *new (data() + size_++) T(std::move(value));
    }
    return *new (data() + size_++) T(std::forward<Args>(args)...);
  }
  void push_back(const T& v) { emplace_back(v); }
  void push_back(T&& v) { emplace_back(std::move(v)); }
  void pop_back() { data()[--size_].~T(); }
  void insert(size_t pos, T v) {
    emplace_back(std::move(v));
    for (size_t i = size_ - 1; i > pos; --i) std::swap(data()[i], data()[i - 1]);
  }
  void erase(size_t pos) {
    for (size_t i = pos; i + 1 < size_; ++i) data()[i] = std::move(data()[i + 1]);
    pop_back();
  }
  void resize(size_t n, T value = T()) {  // by value: it may be one of ours
    reserve(n);
    while (size_ > n) pop_back();
    while (size_ < n) new (data() + size_++) T(value);
  }
  void assign(size_t n, T value) {
    clear();
    resize(n, std::move(value));
  }
  void assign(const T* first, size_t n) {
    clear();
    append(first, n);
  }
  void clear() {
    for (T& v : *this) v.~T();
    size_ = 0;
  }
  void reserve(size_t n) {
    if (n <= capacity_) return;
    size_t cap = n > capacity_ * 2 ? n : capacity_ * 2;
    T* fresh = static_cast<T*>(::operator new(cap * sizeof(T), std::align_val_t(alignof(T))));
    for (size_t i = 0; i < size_; ++i) {
      new (fresh + i) T(std::move(data()[i]));
      data()[i].~T();
    }
    free_heap();
    heap_ = fresh;
    capacity_ = cap;
  }
  std::vector<T> vec() const { return {begin(), end()}; }

 private:
  T* inline_data() { return std::launder(reinterpret_cast<T*>(inline_)); }
  const T* inline_data() const { return std::launder(reinterpret_cast<const T*>(inline_)); }
  void append(const T* first, size_t n) {
    reserve(size_ + n);
    for (size_t i = 0; i < n; ++i) new (data() + size_++) T(first[i]);
  }
  void free_heap() {
    if (heap_) ::operator delete(heap_, std::align_val_t(alignof(T)));
  }
  void release() {
    clear();
    free_heap();
    heap_ = nullptr;
    capacity_ = N;
  }
  void steal(SmallVector& o) {
    if (o.heap_) {
      heap_ = std::exchange(o.heap_, nullptr);
      capacity_ = std::exchange(o.capacity_, N);
      size_ = std::exchange(o.size_, 0);
    } else {
      for (size_t i = 0; i < o.size_; ++i) new (inline_data() + i) T(std::move(o.data()[i]));
      size_ = o.size_;
      o.clear();
    }
  }
  alignas(T) unsigned char inline_[N * sizeof(T)];
  T* heap_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = N;
};

}  // namespace kiln
