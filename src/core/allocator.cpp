#include "core/allocator.h"

#include <sys/mman.h>

#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kiln/error.h"

namespace kiln::core {
namespace detail {
// Plain data with no destructor, so a block freed while the thread exits
// (after SmallListsOwner drained the lists) still finds it.
thread_local SmallLists small_lists{};
}  // namespace detail

namespace {

using detail::kAlignment;
using detail::kSmallLimit;
constexpr size_t kMaxCachedBytes = size_t{4} << 30;
constexpr size_t kHugePageThreshold = size_t{1} << 20;
constexpr size_t kHugePage = size_t{2} << 20;

// Size classes: multiples of 64 bytes up to 1 KiB, then four classes per
// power of two, so a block serves requests within 25% of its size.
size_t size_class(size_t n) {
  if (n <= kSmallLimit) return detail::small_class(n) * kAlignment;
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

// The per-thread lists (allocator.h) hold the data of tiny tensors and the
// objects around every tensor (bodies, storages, autograd metadata and
// nodes). A training step builds a graph of thousands of such objects and
// frees it at once; glibc keeps only a few blocks per size at hand, so
// without these lists every object of every step takes malloc's slow path.
void drain(detail::SmallLists& s) {
  for (detail::FreeBlock*& head : s.head)
    while (head) std::free(std::exchange(head, head->next));
  s.bytes = 0;
}

thread_local struct SmallListsOwner {
  ~SmallListsOwner() {
    drain(detail::small_lists);
    detail::small_lists.closed = true;
  }
} small_lists_owner;

}  // namespace

namespace detail {

// An empty small list, or a block above kSmallLimit.
void* allocate_slow(size_t nbytes) {
  size_t cls = size_class(nbytes == 0 ? 1 : nbytes);
  if (cls > kSmallLimit) {
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
  // Blocks of a megabyte and more sit on whole 2 MiB pages: weights and
  // their gradients are read with large strides (GEMM packing), and a huge
  // page costs one TLB entry where 512 small ones thrash.
  bool huge = cls >= kHugePageThreshold;
  size_t align = huge ? kHugePage : kAlignment, size = huge ? (cls + kHugePage - 1) / kHugePage * kHugePage : cls;
  void* p = std::aligned_alloc(align, size);
  if (!p) {
    empty_cache();
    p = std::aligned_alloc(align, size);
  }
  KILN_CHECK(p, "allocate: out of memory allocating ", nbytes, " bytes");
  if (huge) madvise(p, size, MADV_HUGEPAGE);
  return p;
}

void deallocate_slow(void* ptr, size_t nbytes) {
  if (!ptr) return;
  size_t cls = size_class(nbytes == 0 ? 1 : nbytes);
  if (cls <= kSmallLimit) {
    SmallLists& s = small_lists;
    if (!s.closed && s.bytes + cls <= kMaxSmallBytes) {
      if (s.bytes == 0) (void)&small_lists_owner;  // the first block: registers the drain at thread exit
      push(s, ptr, small_class(nbytes));
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

}  // namespace detail

void empty_cache() {
  drain(detail::small_lists);
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
  return k.bytes + detail::small_lists.bytes;
}

}  // namespace kiln::core
