// A tensor's dims split in two groups (the lines a kernel walks and the dims
// along them), each merged where contiguous, so that a reduction, a scan or a
// sort finds the start of line i with one offset(i).
#pragma once
#include <cstdint>

#include "kiln/error.h"
#include "kiln/tensor.h"

namespace kiln::kernels {

constexpr int kMaxDims = 25;

// Dims as (size, stride) pairs, merged where contiguous within the group.
struct Group {
  int n = 0;
  int64_t size[kMaxDims], stride[kMaxDims];
  int64_t numel = 1;
  void add(int64_t s, int64_t st) {
    numel *= s;
    if (s == 1) return;
    if (n > 0 && stride[n - 1] == st * s) {
      size[n - 1] *= s;
      stride[n - 1] = st;
      return;
    }
    size[n] = s;
    stride[n] = st;
    ++n;
  }
  // Element offset of the i-th element in row-major order.
  int64_t offset(int64_t i) const {
    int64_t off = 0;
    for (int d = n - 1; d >= 0; --d) {
      off += (i % size[d]) * stride[d];
      i /= size[d];
    }
    return off;
  }
};

// x's dims into `kept` and the masked ones into `red`; `op` names the caller in the error.
inline void split_groups(const Tensor& x, uint64_t mask, Group& kept, Group& red, const char* op = "reduce") {
  KILN_CHECK(x.dim() <= kMaxDims, op, ": tensors of more than ", kMaxDims, " dims are not supported");
  for (int64_t d = 0; d < x.dim(); ++d) (mask >> d & 1 ? red : kept).add(x.size(d), x.stride(d));
}

}  // namespace kiln::kernels
