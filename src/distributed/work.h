// What a collective in flight holds: its MPI requests, the tensors MPI reads
// and writes (kept alive until it is done), and the step that finishes it
// (copy a staged buffer back, divide for AVG, check what arrived).
#pragma once
#include <mpi.h>

#include <functional>
#include <vector>

#include "kiln/distributed.h"

namespace kiln::distributed {

struct Work::State {
  const char* op = "";
  std::vector<MPI_Request> requests;
  std::vector<Tensor> keep_alive;
  std::function<void()> finish;
  bool finished = false;
  ~State();
  // Waits for the requests, then runs `finish` once.
  void complete();
};

namespace mpi {
// A Work for a collective that has already been posted; `finish` runs when it completes.
Work started(const char* op, std::vector<MPI_Request> requests, std::vector<Tensor> keep_alive,
             std::function<void()> finish, bool async_op);
}  // namespace mpi

}  // namespace kiln::distributed
