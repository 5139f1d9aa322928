// The benchmark registry shared by the per-library case files. It names no
// tensor library, so kiln's and libtorch's headers never meet in one file.
// A case is "<name>/<lib>/threads:<n>"; tools/bench.sh pairs kiln with
// libtorch (and with the plain-loop probe) by <name>.
#pragma once
#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace bench {

using CaseFn = std::function<void(benchmark::State&)>;

struct Library {
  std::string name;                   // "kiln", "torch", "probe"
  std::function<void(int)> set_threads;
};

struct Case {
  std::string name;
  std::string lib;
  CaseFn run;
  std::vector<int> threads;  // thread counts to run at
  double bytes = 0;          // bytes moved per iteration, for GB/s (0: none)
};

void add_library(Library lib);
void add_case(Case c);
// Registers every case with Google Benchmark (called by main).
void register_all();

// Thread counts for the single-threaded cases and for the big ones.
inline const std::vector<int> kOneThread{1};
inline const std::vector<int> kOneAndTwo{1, 2};

// Work that is timed for several passes before the clock starts, once per
// case: the spec asks 64 MiB buffers to be warmed with ~30 passes.
constexpr int kWarmPasses = 30;

// True the first time the running case asks: its buffers then get the
// warm-up passes (Google Benchmark re-enters a case for every repetition).
bool needs_warmup();

// Sizes the issue fixes.
constexpr int64_t kChainLength = 10000;
constexpr int64_t kBig = int64_t{1} << 24;  // 2^24 elements: 64 MiB of float32
constexpr int64_t kSquare = 4096;           // 4096 x 4096 float32: 64 MiB

// Resident set size now and at its peak, in bytes (Linux /proc/self/status).
size_t current_rss();
size_t peak_rss();

// Peak-memory probes run in a fresh process each (see main.cpp):
// name -> function returning the peak-RSS growth in bytes.
struct MemoryProbe {
  std::string name;
  std::string lib;
  std::function<size_t()> run;
};
void add_memory_probe(MemoryProbe p);
const std::vector<MemoryProbe>& memory_probes();

void register_probe_cases();
void register_kiln_cases();
void register_torch_cases();
void register_distribution_cases();  // kiln::distributions (bench/distribution_cases.cpp)

}  // namespace bench
