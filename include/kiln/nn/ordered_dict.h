// kiln::OrderedDict: keys in insertion order with lookup by key, as
// torch::OrderedDict (what named_parameters() and named_children() return).
#pragma once
#include <cstddef>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kiln/error.h"

namespace kiln {

template <class Key, class Value>
class OrderedDict {
 public:
  class Item {
   public:
    Item(Key key, Value value) : pair_(std::move(key), std::move(value)) {}
    const Key& key() const { return pair_.first; }
    Value& value() { return pair_.second; }
    const Value& value() const { return pair_.second; }
    Value& operator*() { return pair_.second; }
    const Value& operator*() const { return pair_.second; }
    Value* operator->() { return &pair_.second; }
    const Value* operator->() const { return &pair_.second; }
    const std::pair<Key, Value>& pair() const { return pair_; }

   private:
    std::pair<Key, Value> pair_;  // (not const Key: items move when one is erased)
  };

  explicit OrderedDict(std::string key_description = "Key") : key_description_(std::move(key_description)) {}
  OrderedDict(std::initializer_list<Item> items) {
    for (const Item& i : items) insert(i.key(), i.value());
  }

  auto begin() { return items_.begin(); }
  auto end() { return items_.end(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }
  size_t size() const { return items_.size(); }
  bool is_empty() const { return items_.empty(); }
  bool empty() const { return items_.empty(); }
  Item& front() { return items_.front(); }
  Item& back() { return items_.back(); }
  Item& operator[](size_t index) { return items_.at(index); }
  const Item& operator[](size_t index) const { return items_.at(index); }
  Value& operator[](const Key& key) { return items_[position(key)].value(); }
  const Value& operator[](const Key& key) const { return items_[position(key)].value(); }
  Value* find(const Key& key) {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &items_[it->second].value();
  }
  const Value* find(const Key& key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &items_[it->second].value();
  }
  bool contains(const Key& key) const { return index_.count(key) != 0; }

  // A new key (an existing one is an error, as in torch).
  Value& insert(Key key, Value value) {
    KILN_CHECK(!index_.count(key), key_description_, " '", key, "' already defined");
    index_.emplace(key, items_.size());
    items_.emplace_back(std::move(key), std::move(value));
    return items_.back().value();
  }
  void update(const OrderedDict& other) {
    for (const Item& i : other) {
      if (Value* v = find(i.key())) *v = i.value();
      else insert(i.key(), i.value());
    }
  }
  void erase(const Key& key) {
    size_t at = position(key);
    items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(at));
    index_.erase(key);
    for (auto& [k, i] : index_)
      if (i > at) --i;
  }
  void clear() {
    items_.clear();
    index_.clear();
  }
  std::vector<Key> keys() const {
    std::vector<Key> out;
    for (const Item& i : items_) out.push_back(i.key());
    return out;
  }
  std::vector<Value> values() const {
    std::vector<Value> out;
    for (const Item& i : items_) out.push_back(i.value());
    return out;
  }
  const std::vector<Item>& items() const { return items_; }

 private:
  size_t position(const Key& key) const {
    auto it = index_.find(key);
    KILN_CHECK(it != index_.end(), key_description_, " '", key, "' is not defined");
    return it->second;
  }
  std::string key_description_ = "Key";
  std::vector<Item> items_;
  std::unordered_map<Key, size_t> index_;
};

}  // namespace kiln
