// One thread budget, kiln's OpenMP pool: kiln splits matrix products across
// it itself (kernels/blas.cpp) and keeps OpenBLAS's own pool at one thread,
// so two pools never spin against each other on the same cores. LAPACK
// factorizations get the budget while they run (kernels::LapackThreads).
#include <omp.h>

#include <atomic>
#include <cstdlib>

#include "kernels/parallel.h"
#include "kiln/error.h"
#include "kiln/threads.h"

extern "C" void openblas_set_num_threads(int);

namespace kiln {
namespace {
int budget() {
  const char* env = std::getenv("OMP_NUM_THREADS");
  int n = env ? std::atoi(env) : 0;
  return n > 0 ? n : omp_get_num_procs();
}
// Applied once when the library loads: kiln's budget governs both pools.
// One value for the process, not OpenMP's per-thread setting, so it binds
// kernels run from any std::thread too.
std::atomic<int> threads{[] {
  openblas_set_num_threads(1);
  return budget();
}()};
}  // namespace

void set_num_threads(int n) {
  KILN_CHECK(n > 0, "set_num_threads: expected a positive number of threads, got ", n);
  threads.store(n, std::memory_order_relaxed);
  openblas_set_num_threads(1);
}

int get_num_threads() { return threads.load(std::memory_order_relaxed); }

namespace kernels {
int thread_budget() { return threads.load(std::memory_order_relaxed); }
}  // namespace kernels

}  // namespace kiln
