// Intrusive reference counting for storages and tensor bodies: one
// allocation per object, an atomic count, no control block.
#pragma once
#include <atomic>
#include <cstdint>
#include <utility>

namespace kiln::core {

struct RefCounted {
  mutable std::atomic<int32_t> refs{1};
  void retain() const { refs.fetch_add(1, std::memory_order_relaxed); }
  // True when this was the last reference.
  bool release() const { return refs.fetch_sub(1, std::memory_order_acq_rel) == 1; }
};

template <class T>
class Ref {
 public:
  Ref() = default;
  static Ref adopt(T* p) {
    Ref r;
    r.p_ = p;
    return r;
  }
  Ref(const Ref& o) : p_(o.p_) {
    if (p_) p_->retain();
  }
  Ref(Ref&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  Ref& operator=(Ref o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~Ref() {
    if (p_ && p_->release()) delete p_;
  }
  T* get() const { return p_; }
  T* operator->() const { return p_; }
  T& operator*() const { return *p_; }
  explicit operator bool() const { return p_ != nullptr; }

 private:
  T* p_ = nullptr;
};

}  // namespace kiln::core
