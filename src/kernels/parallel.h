// OpenMP above a grain size, using kiln's one thread budget.
#pragma once
#include <omp.h>

#include <algorithm>
#include <cstdint>

namespace kiln::kernels {

constexpr int64_t kGrainSize = 32768;

// kiln's thread budget (set_num_threads), the same in every thread.
int thread_budget();

// Calls f(begin, end) over [0, n), split across threads when n is large.
template <class F>
void parallel_for(int64_t n, int64_t grain, F&& f) {
  // (The size test first: asking OpenMP costs more than a small op's loop.)
  int threads = n < 2 * grain ? 1 : thread_budget();
  if (threads <= 1 || omp_in_parallel()) {
    if (n > 0) f(int64_t{0}, n);
    return;
  }
  int64_t chunks = std::min<int64_t>(threads, n / grain);
#pragma omp parallel num_threads(static_cast<int>(chunks))
  {
    int64_t id = omp_get_thread_num(), count = omp_get_num_threads();
    int64_t begin = n * id / count, end = n * (id + 1) / count;
    if (begin < end) f(begin, end);
  }
}

}  // namespace kiln::kernels
