#include "agreement.h"

#include <array>
#include <vector>

#include "kiln/distributed.h"
#include "process_group.h"

namespace kiln::distributed::mpi {
namespace {

constexpr int kDims = 7;  // dims carried as they are; the rest are folded into the last slot
static_assert(std::tuple_size_v<Header> == 5 + kDims);

}  // namespace

Header header_of(const Call& c) {
  Header h{};
  h[0] = c.local_error.empty() ? 0 : 1;
  h[1] = static_cast<int64_t>(c.kind);
  h[2] = c.arg;
  if (c.tensor) {
    IntArrayRef sizes = c.tensor->sizes();
    h[3] = static_cast<int64_t>(c.tensor->dtype());
    h[4] = static_cast<int64_t>(sizes.size());
    for (size_t d = 0; d < sizes.size(); ++d) {
      if (d < kDims - 1)
        h[5 + d] = sizes[d];
      else
        h[5 + kDims - 1] = h[5 + kDims - 1] * 1000003 + sizes[d];
    }
  } else {
    h[3] = h[4] = -1;
  }
  return h;
}

std::string describe(const Header& h) {
  static const char* kinds[] = {"?", "barrier", "all_reduce", "broadcast", "all_gather", "reduce_scatter", "send"};
  int64_t k = h[1] >= 1 && h[1] <= 6 ? h[1] : 0;
  std::string s = kinds[k];
  if (static_cast<Kind>(k) == Kind::all_reduce || static_cast<Kind>(k) == Kind::reduce_scatter)
    s += std::string("(") + name(static_cast<ReduceOp>(h[2])) + ")";
  if (static_cast<Kind>(k) == Kind::broadcast) s += "(src=" + std::to_string(h[2]) + ")";
  if (h[4] < 0) return s;
  s += std::string(" of ") + python_name(static_cast<ScalarType>(h[3])) + " [";
  for (int64_t d = 0; d < h[4]; ++d) {
    if (d) s += ", ";
    s += d < kDims - 1 ? std::to_string(h[5 + d]) : "...";
    if (d >= kDims - 1) break;
  }
  return s + "]";
}

void agree(const Call& call) {
  MPI_Comm c = comm(call.op);
  int size = size_of_group();
  Header mine = header_of(call);
  std::vector<Header> all(size);
  check(MPI_Allgather(mine.data(), mine.size(), MPI_INT64_T, all.data(), mine.size(), MPI_INT64_T, c), call.op);
  KILN_CHECK(call.local_error.empty(), call.op, ": ", call.local_error);
  for (int r = 0; r < size; ++r)
    KILN_CHECK(all[r][0] == 0, call.op, ": rank ", r, " was called with invalid arguments (its own error says why)");
  std::string differ;
  for (int r = 1; r < size; ++r)
    if (all[r] != all[0]) differ += "; rank " + std::to_string(r) + " called " + describe(all[r]);
  KILN_CHECK(differ.empty(), call.op, ": the ranks' calls differ: rank 0 called ", describe(all[0]), differ);
}

}  // namespace kiln::distributed::mpi
