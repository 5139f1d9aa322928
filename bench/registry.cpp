#include "registry.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>

namespace bench {
namespace {
std::map<std::string, Library>& libraries() {
  static std::map<std::string, Library> l;
  return l;
}
std::vector<Case>& cases() {
  static std::vector<Case> c;
  return c;
}
std::vector<MemoryProbe>& probes() {
  static std::vector<MemoryProbe> p;
  return p;
}

// A field of /proc/self/status in bytes (the kernel reports kB).
size_t status_field(const char* key) {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  size_t kb = 0;
  size_t len = std::strlen(key);
  while (std::fgets(line, sizeof line, f))
    if (std::strncmp(line, key, len) == 0) {
      std::sscanf(line + len, " %zu", &kb);
      break;
    }
  std::fclose(f);
  return kb * 1024;
}
std::string running_case;
}  // namespace

bool needs_warmup() {
  static std::set<std::string> warmed;
  return warmed.insert(running_case).second;
}

size_t current_rss() { return status_field("VmRSS:"); }
size_t peak_rss() { return status_field("VmHWM:"); }

void add_library(Library lib) { libraries()[lib.name] = std::move(lib); }
void add_case(Case c) { cases().push_back(std::move(c)); }
void add_memory_probe(MemoryProbe p) { probes().push_back(std::move(p)); }
const std::vector<MemoryProbe>& memory_probes() { return probes(); }

void register_all() {
  for (const Case& c : cases()) {
    const Library& lib = libraries().at(c.lib);
    for (int n : c.threads) {
      std::string name = c.name + "/" + c.lib + "/threads:" + std::to_string(n);
      auto* b = benchmark::RegisterBenchmark(name.c_str(), [c, lib, n](benchmark::State& state) {
        running_case = c.name + "/" + c.lib + "/" + std::to_string(n);
        lib.set_threads(n);
        try {
          c.run(state);
        } catch (const std::exception& e) {  // an op the library lacks (yet)
          state.SkipWithError(e.what());
          return;
        }
        if (c.bytes > 0) state.SetBytesProcessed(static_cast<int64_t>(c.bytes * state.iterations()));
      });
      b->Unit(benchmark::kMillisecond)->UseRealTime();
    }
  }
}

}  // namespace bench
