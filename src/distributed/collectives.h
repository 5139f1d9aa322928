// The collectives' data movement without the agreement step, for callers that
// have already established that every rank agrees (DistributedDataParallel's
// buckets, whose layout is checked once at construction).
#pragma once
#include "kiln/distributed.h"

namespace kiln::distributed::mpi {

// `t` must be contiguous; AVG divides by the world size when the reduction completes.
Work start_all_reduce(const Tensor& t, ReduceOp op, bool async_op);

}  // namespace kiln::distributed::mpi
