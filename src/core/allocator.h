// Host memory for tensors: 64-byte aligned blocks from a size-class cache, so
// a fresh output reuses a freed block instead of paying page faults.
#pragma once
#include <cstddef>

namespace kiln::core {

void* allocate(size_t nbytes);
void deallocate(void* ptr, size_t nbytes);
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
