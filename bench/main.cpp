// kiln_bench: Google Benchmark over kiln, libtorch (when built in) and the
// plain-loop bandwidth probe. Extra flags, handled before Google Benchmark's:
//   --memory              print the peak-RSS probes, each run in a fresh process
//   --memory-probe=N/LIB  (internal) run one probe and print its bytes
// Thread pinning: tools/bench.sh exports OMP_NUM_THREADS / OPENBLAS_NUM_THREADS
// before start (both runtimes read them once, at load); every case then sets
// its own count through the library's set_num_threads.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <unistd.h>

#include "registry.h"

extern "C" void openblas_set_num_threads(int);

namespace {

int run_memory_probe(const std::string& which) {
  for (const bench::MemoryProbe& p : bench::memory_probes())
    if (p.name + "/" + p.lib == which) {
      std::printf("%zu\n", p.run());
      return 0;
    }
  std::fprintf(stderr, "unknown memory probe %s\n", which.c_str());
  return 1;
}

// One fresh process per probe, so neither library's caches or the other
// library's allocations are counted: peak RSS growth over the probe's body.
int run_memory_probes(const char* self) {
  std::printf("%-34s %-6s %12s\n", "memory probe", "lib", "peak MiB");
  for (const bench::MemoryProbe& p : bench::memory_probes()) {
    std::string cmd = std::string(self) + " --memory-probe=" + p.name + "/" + p.lib;
    FILE* f = popen(cmd.c_str(), "r");
    size_t bytes = 0;
    bool ok = f && std::fscanf(f, "%zu", &bytes) == 1;
    int status = f ? pclose(f) : -1;
    if (ok && status == 0)
      std::printf("%-34s %-6s %12.1f\n", p.name.c_str(), p.lib.c_str(), bytes / 1048576.0);
    else
      std::printf("%-34s %-6s %12s\n", p.name.c_str(), p.lib.c_str(), "failed");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  setenv("OMP_NUM_THREADS", "1", 0);  // for any runtime not yet initialised
  setenv("OPENBLAS_NUM_THREADS", "1", 0);
  bench::register_probe_cases();
  bench::register_kiln_cases();
  bench::register_distribution_cases();
#ifdef KILN_BENCH_HAVE_TORCH
  bench::register_torch_cases();
#endif
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--memory-probe=", 15) == 0) {
      openblas_set_num_threads(1);
      return run_memory_probe(argv[i] + 15);
    }
    if (std::strcmp(argv[i], "--memory") == 0) {
      // The shell popen starts would read /proc/self/exe as itself: resolve it here.
      char self[4096];
      ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
      if (len <= 0) return 1;
      self[len] = 0;
      return run_memory_probes(self);
    }
  }
  bench::register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
