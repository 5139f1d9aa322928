#include "core/allocator.h"

#include <sys/mman.h>

#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include "kiln/error.h"

namespace kiln::core {
namespace {

constexpr size_t kAlignment = 64;
constexpr size_t kMaxCachedBytes = size_t{4} << 30;
constexpr size_t kHugePageThreshold = size_t{4} << 20;

// Size classes: multiples of 64 bytes up to 1 KiB, then four classes per
// power of two, so a block serves requests within 25% of its size.
size_t size_class(size_t n) {
  if (n <= 1024) return (n + kAlignment - 1) / kAlignment * kAlignment;
  size_t top = size_t{1} << (63 - __builtin_clzll(n - 1));  // largest power of two < n
  size_t step = top / 4;
  return (n + step - 1) / step * step;
}

struct Cache {
  std::mutex mutex;
  std::unordered_map<size_t, std::vector<void*>> free_blocks;
  size_t bytes = 0;
};

Cache& cache() {
  static Cache* c = new Cache();  // never destroyed: tensors may die after main
  return *c;
}

thread_local struct SmallCache {
  // Per-thread lists for the smallest classes: no lock on the hot path.
  static constexpr size_t kClasses = 4;  // 64..256 bytes
  static constexpr size_t kDepth = 64;
  void* blocks[kClasses][kDepth];
  size_t count[kClasses] = {};
  ~SmallCache() {
    for (size_t c = 0; c < kClasses; ++c)
      for (size_t i = 0; i < count[c]; ++i) std::free(blocks[c][i]);
  }
} small_cache;

}  // namespace

void* allocate(size_t nbytes) {
  size_t cls = size_class(nbytes == 0 ? 1 : nbytes);
  if (cls <= 256) {
    size_t c = cls / kAlignment - 1;
    if (small_cache.count[c]) return small_cache.blocks[c][--small_cache.count[c]];
  } else {
    Cache& k = cache();
    std::lock_guard<std::mutex> lock(k.mutex);
    auto it = k.free_blocks.find(cls);
    if (it != k.free_blocks.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      k.bytes -= cls;
      return p;
    }
  }
  void* p = std::aligned_alloc(kAlignment, cls);
  if (!p) {
    empty_cache();
    p = std::aligned_alloc(kAlignment, cls);
  }
  KILN_CHECK(p, "allocate: out of memory allocating ", nbytes, " bytes");
  if (cls >= kHugePageThreshold) madvise(p, cls, MADV_HUGEPAGE);
  return p;
}

void deallocate(void* ptr, size_t nbytes) {
  if (!ptr) return;
  size_t cls = size_class(nbytes == 0 ? 1 : nbytes);
  if (cls <= 256) {
    size_t c = cls / kAlignment - 1;
    if (small_cache.count[c] < SmallCache::kDepth) {
      small_cache.blocks[c][small_cache.count[c]++] = ptr;
      return;
    }
    std::free(ptr);
    return;
  }
  Cache& k = cache();
  {
    std::lock_guard<std::mutex> lock(k.mutex);
    if (k.bytes + cls <= kMaxCachedBytes) {
      k.free_blocks[cls].push_back(ptr);
      k.bytes += cls;
      return;
    }
  }
  std::free(ptr);
}

void empty_cache() {
  Cache& k = cache();
  std::lock_guard<std::mutex> lock(k.mutex);
  for (auto& [cls, blocks] : k.free_blocks)
    for (void* p : blocks) std::free(p);
  k.free_blocks.clear();
  k.bytes = 0;
}

size_t cached_bytes() {
  Cache& k = cache();
  std::lock_guard<std::mutex> lock(k.mutex);
  return k.bytes;
}

}  // namespace kiln::core
