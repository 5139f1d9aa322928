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
namespace {

constexpr size_t kAlignment = 64;
constexpr size_t kMaxCachedBytes = size_t{4} << 30;
constexpr size_t kHugePageThreshold = size_t{4} << 20;
constexpr size_t kSmallLimit = 1024;                  // blocks up to this size live in per-thread lists
constexpr size_t kSmallClasses = kSmallLimit / kAlignment;
constexpr size_t kMaxSmallBytes = size_t{32} << 20;  // per thread

// Size classes: multiples of 64 bytes up to 1 KiB, then four classes per
// power of two, so a block serves requests within 25% of its size.
size_t size_class(size_t n) {
  if (n <= kSmallLimit) return (n + kAlignment - 1) / kAlignment * kAlignment;
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

// Per-thread free lists of small blocks: the data of tiny tensors and the
// objects around every tensor (bodies, storages, autograd metadata and
// nodes). A training step builds a graph of thousands of such objects and
// frees it at once; glibc keeps only a few blocks per size at hand, so
// without these lists every object of every step takes malloc's slow path.
// Plain data with no destructor, so a block freed while the thread exits
// (after SmallListsOwner drained the lists) still finds it.
struct FreeBlock {
  FreeBlock* next;
};
struct SmallLists {
  FreeBlock* head[kSmallClasses];
  size_t bytes;
  bool closed;  // the thread is exiting: blocks go straight back to the system
};
thread_local SmallLists small_lists{};

void drain(SmallLists& s) {
  for (FreeBlock*& head : s.head)
    while (head) std::free(std::exchange(head, head->next));
  s.bytes = 0;
}

thread_local struct SmallListsOwner {
  ~SmallListsOwner() {
    drain(small_lists);
    small_lists.closed = true;
  }
} small_lists_owner;

}  // namespace

void* allocate(size_t nbytes) {
  size_t cls = size_class(nbytes == 0 ? 1 : nbytes);
  if (cls <= kSmallLimit) {
    SmallLists& s = small_lists;
    if (FreeBlock*& head = s.head[cls / kAlignment - 1]) {
      s.bytes -= cls;
      return std::exchange(head, head->next);
    }
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
  if (cls <= kSmallLimit) {
    SmallLists& s = small_lists;
    if (!s.closed && s.bytes + cls <= kMaxSmallBytes) {
      if (s.bytes == 0) (void)&small_lists_owner;  // the first block: registers the drain at thread exit
      FreeBlock*& head = s.head[cls / kAlignment - 1];
      head = new (ptr) FreeBlock{head};
      s.bytes += cls;
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
  drain(small_lists);
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
  return k.bytes + small_lists.bytes;
}

}  // namespace kiln::core
