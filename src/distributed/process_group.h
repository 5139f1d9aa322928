// The one process group: MPI's world, duplicated so kiln's traffic never
// meets the program's own, with errors returned (not fatal) so they become
// kiln::Error. Only this folder sees MPI.
#pragma once
#include <mpi.h>

#include <string>

#include "kiln/dtype.h"

namespace kiln::distributed::mpi {

// The group's communicator; raises naming `op` when there is no process group.
MPI_Comm comm(const char* op);
int rank_of_group();
int size_of_group();
// Raises kiln::Error "<op>: MPI failed: <MPI's text>" unless rc is MPI_SUCCESS.
void check(int rc, const char* op);
MPI_Datatype mpi_type(ScalarType t);

}  // namespace kiln::distributed::mpi
