// Host memory for tensors: 64-byte aligned blocks from a size-class cache, so
// a fresh output reuses a freed block instead of paying page faults.
#pragma once
#include <cstddef>
#include <new>

namespace kiln::core {

namespace detail {
// Per-thread free lists of blocks up to kSmallLimit bytes, in 64-byte size
// classes (allocator.cpp says why). Their fast paths are inline below: every
// tensor, storage and autograd node goes through them.
constexpr size_t kAlignment = 64;
constexpr size_t kSmallLimit = 1024;
constexpr size_t kMaxSmallBytes = size_t{32} << 20;  // per thread
struct FreeBlock {
  FreeBlock* next;
};
struct SmallLists {
  FreeBlock* head[kSmallLimit / kAlignment];
  size_t bytes;
  bool closed;  // the thread is exiting: blocks go straight back to the system
};
extern thread_local SmallLists small_lists;
constexpr size_t small_class(size_t n) { return n == 0 ? 1 : (n + kAlignment - 1) / kAlignment; }  // 1-based
inline void push(SmallLists& s, void* ptr, size_t cls) {
  s.head[cls - 1] = new (ptr) FreeBlock{s.head[cls - 1]};
  s.bytes += cls * kAlignment;
}
void* allocate_slow(size_t nbytes);
void deallocate_slow(void* ptr, size_t nbytes);
}  // namespace detail

inline void* allocate(size_t nbytes) {
  if (nbytes <= detail::kSmallLimit) {
    size_t cls = detail::small_class(nbytes);
    detail::SmallLists& s = detail::small_lists;
    if (detail::FreeBlock* block = s.head[cls - 1]) {
      s.head[cls - 1] = block->next;
      s.bytes -= cls * detail::kAlignment;
      return block;
    }
  }
  return detail::allocate_slow(nbytes);
}

inline void deallocate(void* ptr, size_t nbytes) {
  if (ptr && nbytes <= detail::kSmallLimit) {
    size_t cls = detail::small_class(nbytes);
    detail::SmallLists& s = detail::small_lists;
    // (An empty list set goes the slow way: it registers the drain at thread exit.)
    if (s.bytes != 0 && !s.closed && s.bytes + cls * detail::kAlignment <= detail::kMaxSmallBytes) {
      detail::push(s, ptr, cls);
      return;
    }
  }
  detail::deallocate_slow(ptr, nbytes);
}
// Returns every cached block to the system (tests and long-lived programs).
void empty_cache();
size_t cached_bytes();

// Puts a class's objects in the same per-thread lists as small blocks: tensor
// bodies, storages and autograd records are created and freed by the
// thousand per training step.
struct SmallObject {
  static void* operator new(size_t n) { return allocate(n); }
  static void operator delete(void* p, size_t n) { deallocate(p, n); }
};

// The same for objects made with std::allocate_shared (autograd nodes).
template <class T>
struct SmallObjectAllocator {
  using value_type = T;
  SmallObjectAllocator() = default;
  template <class U>
  SmallObjectAllocator(const SmallObjectAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(core::allocate(n * sizeof(T))); }
  void deallocate(T* p, size_t n) { core::deallocate(p, n * sizeof(T)); }
  friend bool operator==(SmallObjectAllocator, SmallObjectAllocator) { return true; }
};

}  // namespace kiln::core
