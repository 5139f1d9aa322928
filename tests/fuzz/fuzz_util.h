// Shared by the fuzz targets: what a successful load must satisfy.
#pragma once
#include <kiln/kiln.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

namespace fuzz {

// Reading every element proves the tensor's memory is really there (ASan checks it).
inline void touch(const kiln::Tensor& t) {
  if (t.numel() == 0) return;
  kiln::Tensor c = t.contiguous();
  const auto* p = static_cast<const unsigned char*>(c.data_ptr());
  unsigned sum = 0;
  for (size_t i = 0, n = c.numel() * c.element_size(); i < n; ++i) sum += p[i];
  if (c.dtype() == kiln::kBool)
    for (int64_t i = 0; i < c.numel(); ++i)
      if (p[i] > 1) std::abort();  // bool bytes must have been normalised
  (void)sum;
}

inline bool same(const kiln::Tensor& a, const kiln::Tensor& b) {
  if (a.dtype() != b.dtype() || a.sizes().vec() != b.sizes().vec()) return false;
  kiln::Tensor x = a.contiguous(), y = b.contiguous();
  return std::memcmp(x.data_ptr(), y.data_ptr(), x.numel() * x.element_size()) == 0;
}

inline void check_same(const std::map<std::string, kiln::Tensor>& a, const std::map<std::string, kiln::Tensor>& b) {
  if (a.size() != b.size()) std::abort();
  for (const auto& [k, v] : a) {
    auto it = b.find(k);
    if (it == b.end() || !same(v, it->second)) std::abort();
  }
}

}  // namespace fuzz
