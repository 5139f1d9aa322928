// Shared by the generated golden tables (golden_*.h): a run of numbers in a
// table's pool, and its values as doubles or integers.
#pragma once
#include <cstdint>
#include <vector>

namespace golden {

struct Span {
  int begin, size;
};
inline std::vector<double> doubles(const double* pool, Span s) { return {pool + s.begin, pool + s.begin + s.size}; }
inline std::vector<int64_t> ints(const double* pool, Span s) {
  std::vector<int64_t> v;
  for (int i = 0; i < s.size; ++i) v.push_back(static_cast<int64_t>(pool[s.begin + i]));
  return v;
}

}  // namespace golden
