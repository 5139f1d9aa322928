// Tensor elements as raw bytes: the shape checks and copies shared by the
// .npy and safetensors formats.
#pragma once
#include <cstdint>

#include "source.h"
#include "kiln/tensor.h"

namespace kiln::io {

// The element count of `shape` after checking that no dim is negative, the
// rank is sane and the byte size numel * itemsize fits in 63 bits.
int64_t checked_numel(IntArrayRef shape, size_t itemsize, const std::string& op);

// A new tensor of `shape` and `dtype` read from `src` at `offset`. The bytes
// are in C order, or Fortran order when `fortran`; `swap_bytes` for data of
// the other byte order. Bool bytes are normalised to 0/1.
Tensor read_tensor(const Source& src, uint64_t offset, ScalarType dtype, IntArrayRef shape, bool fortran,
                   bool swap_bytes);

// Writes t's elements in C order, little-endian (no header).
void write_tensor_bytes(Sink& out, const Tensor& t);

}  // namespace kiln::io
