// c10::List spelled in kiln: the list type of libtorch's operator signatures,
// e.g. the List<std::optional<Tensor>> that index() and index_put_() take
// (one entry per dim: a tensor index, or nullopt for the whole dim).
#pragma once
#include <cstddef>
#include <initializer_list>
#include <utility>
#include <vector>

namespace kiln {

template <class T>
class List {
 public:
  using value_type = T;
  List() = default;
  List(std::initializer_list<T> values) : values_(values) {}
  explicit List(std::vector<T> values) : values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  const T& get(size_t i) const { return values_.at(i); }
  const T& operator[](size_t i) const { return values_[i]; }
  void push_back(T value) { values_.push_back(std::move(value)); }
  auto begin() const { return values_.begin(); }
  auto end() const { return values_.end(); }
  const std::vector<T>& vec() const { return values_; }

 private:
  std::vector<T> values_;
};

}  // namespace kiln
