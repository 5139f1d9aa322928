#include "process_group.h"

#include <cstdio>
#include <exception>

#include "kiln/distributed.h"
#include "kiln/error.h"

namespace kiln::distributed {
namespace mpi {
namespace {

struct Group {
  MPI_Comm comm = MPI_COMM_NULL;
  int rank = 0;
  int size = 1;
  bool we_initialised_mpi = false;
  std::terminate_handler previous = nullptr;
};
Group group;

// An exception leaving main() on one rank would leave the others waiting in
// their next collective forever; instead the rank says why and takes the
// whole job down (mpirun then ends every rank).
[[noreturn]] void abort_job() {
  std::string what = "std::terminate without an active exception";
  if (std::exception_ptr e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      what = x.what();
    } catch (...) {
      what = "an exception that is not a std::exception";
    }
  }
  std::fprintf(stderr, "kiln.distributed: rank %d of %d stops the job: %s\n", group.rank, group.size, what.c_str());
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::_Exit(1);
}

}  // namespace

MPI_Comm comm(const char* op) {
  KILN_CHECK(group.comm != MPI_COMM_NULL, op,
             ": the default process group has not been initialized (call kiln::distributed::init_process_group)");
  return group.comm;
}
int rank_of_group() { return group.rank; }
int size_of_group() { return group.size; }

void check(int rc, const char* op) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, text, &len);
  ::kiln::detail::fail(::kiln::detail::concat(op, ": MPI failed: ", std::string(text, len)));
}

MPI_Datatype mpi_type(ScalarType t) {
  switch (t) {
    case kBool: return MPI_C_BOOL;
    case kUInt8: return MPI_UINT8_T;
    case kInt8: return MPI_INT8_T;
    case kInt16: return MPI_INT16_T;
    case kInt32: return MPI_INT32_T;
    case kInt64: return MPI_INT64_T;
    case kFloat32: return MPI_FLOAT;
    case kFloat64: return MPI_DOUBLE;
  }
  return MPI_DATATYPE_NULL;
}

}  // namespace mpi

using mpi::group;

void init_process_group(const std::string& backend) {
  KILN_CHECK(backend == "mpi", "init_process_group: backend '", backend, "' is not available; kiln supports \"mpi\"");
  KILN_CHECK(group.comm == MPI_COMM_NULL, "init_process_group: the default process group is already initialized");
  int initialised = 0, finalised = 0;
  MPI_Initialized(&initialised);
  MPI_Finalized(&finalised);
  KILN_CHECK(!finalised, "init_process_group: MPI was already finalized in this process (MPI cannot start twice)");
  if (!initialised) {
    // One thread at a time calls MPI (the training thread, its gradient hooks).
    int provided = 0;
    mpi::check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided), "init_process_group");
    group.we_initialised_mpi = true;
  }
  MPI_Comm c;
  mpi::check(MPI_Comm_dup(MPI_COMM_WORLD, &c), "init_process_group");
  MPI_Comm_set_errhandler(c, MPI_ERRORS_RETURN);
  MPI_Comm_rank(c, &group.rank);
  MPI_Comm_size(c, &group.size);
  group.comm = c;
  group.previous = std::set_terminate(mpi::abort_job);
}

bool is_initialized() { return group.comm != MPI_COMM_NULL; }

void destroy_process_group() {
  MPI_Comm c = mpi::comm("destroy_process_group");
  std::set_terminate(group.previous);
  MPI_Comm_free(&c);
  group.comm = MPI_COMM_NULL;
  if (group.we_initialised_mpi) MPI_Finalize();
  group = mpi::Group{};
}

int64_t get_rank() {
  mpi::comm("get_rank");
  return group.rank;
}

int64_t get_world_size() {
  mpi::comm("get_world_size");
  return group.size;
}

const char* name(ReduceOp op) {
  switch (op) {
    case ReduceOp::SUM: return "SUM";
    case ReduceOp::AVG: return "AVG";
    case ReduceOp::MAX: return "MAX";
    case ReduceOp::MIN: return "MIN";
    case ReduceOp::PRODUCT: return "PRODUCT";
  }
  return "?";
}

}  // namespace kiln::distributed
