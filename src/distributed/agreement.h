// Before a collective moves data, the ranks exchange a small header (which
// collective, its argument, dtype and shape, and whether the rank's own
// arguments were valid), so a mismatch raises the same kiln::Error on every
// rank instead of a hang or a silent wrong result.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "kiln/tensor.h"

namespace kiln::distributed::mpi {

enum class Kind : int64_t { barrier = 1, all_reduce, broadcast, all_gather, reduce_scatter, send };

struct Call {
  const char* op;        // the user-facing name, for messages
  Kind kind;
  int64_t arg = 0;       // the reduce op or the source rank
  const Tensor* tensor = nullptr;
  std::string local_error = {};  // why this rank's own arguments are bad, or ""
};

using Header = std::array<int64_t, 12>;
Header header_of(const Call& call);
// "all_reduce(SUM) of float32 [2, 3]"
std::string describe(const Header& h);

// Raises on every rank unless every rank made the same call with valid arguments.
void agree(const Call& call);

}  // namespace kiln::distributed::mpi
