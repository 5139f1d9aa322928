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

}  // namespace kiln::core
