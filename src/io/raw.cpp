// Raw element bytes to and from tensors.
#include "raw.h"

#include <algorithm>
#include <vector>

#include "kiln/functions.h"

namespace kiln::io {
namespace {

// NumPy allows 64 dimensions; anything beyond is hostile.
constexpr size_t kMaxRank = 64;

void swap_in_place(char* data, int64_t numel, size_t itemsize) {
  for (int64_t i = 0; i < numel; ++i) std::reverse(data + i * itemsize, data + (i + 1) * itemsize);
}

}  // namespace

int64_t checked_numel(IntArrayRef shape, size_t itemsize, const std::string& op) {
  KILN_CHECK(shape.size() <= kMaxRank, op, ": too many dimensions (", shape.size(), ", at most ", kMaxRank, ")");
  // Dims after a zero still feed strides, so the product of the non-zero dims must fit too.
  int64_t nonzero = static_cast<int64_t>(itemsize);
  bool empty = false;
  for (int64_t d : shape) {
    KILN_CHECK(d >= 0, op, ": negative dimension ", d, " in shape ", shape);
    if (d == 0) {
      empty = true;
      continue;
    }
    KILN_CHECK(!__builtin_mul_overflow(nonzero, d, &nonzero), op, ": shape ", shape, " has too many elements");
  }
  return empty ? 0 : nonzero / static_cast<int64_t>(itemsize);
}

Tensor read_tensor(const Source& src, uint64_t offset, ScalarType dtype, IntArrayRef shape, bool fortran,
                   bool swap_bytes) {
  size_t itemsize = element_size(dtype);
  int64_t numel = checked_numel(shape, itemsize, src.name());
  uint64_t nbytes = static_cast<uint64_t>(numel) * itemsize;
  // Check the bytes exist before allocating: a hostile shape must not cost memory.
  KILN_CHECK(offset <= src.size() && nbytes <= src.size() - offset, src.name(), ": truncated file (tensor data needs ",
             nbytes, " bytes at offset ", offset, ", file has ", src.size(), ")");
  // Fortran order: the bytes are the C-order layout of the reversed shape.
  std::vector<int64_t> dims(shape.begin(), shape.end());
  if (fortran) std::reverse(dims.begin(), dims.end());
  Tensor t = empty(dims, dtype);
  char* data = static_cast<char*>(t.data_ptr());
  src.read(offset, data, nbytes, "tensor data");
  if (swap_bytes && itemsize > 1) swap_in_place(data, numel, itemsize);
  if (dtype == kBool) {
    // A bool byte other than 0/1 is undefined behaviour in C++.
    auto* bytes = reinterpret_cast<unsigned char*>(data);
    for (int64_t i = 0; i < numel; ++i) bytes[i] = bytes[i] != 0;
  }
  if (fortran && dims.size() > 1) {
    std::vector<int64_t> reverse(dims.size());
    for (size_t i = 0; i < dims.size(); ++i) reverse[i] = static_cast<int64_t>(dims.size() - 1 - i);
    t = t.permute(reverse).contiguous();
  }
  return t;
}

void write_tensor_bytes(Sink& out, const Tensor& t) {
  if (t.numel() == 0) return;  // nothing to write, and no copy of an odd-shaped empty view
  Tensor c = t.detach().contiguous();
  out.write(c.data_ptr(), static_cast<size_t>(c.numel()) * c.element_size());
}

}  // namespace kiln::io
