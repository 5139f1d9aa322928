#include "collectives.h"

#include <climits>
#include <string>

#include "agreement.h"
#include "kiln/autograd.h"
#include "kiln/functions.h"
#include "process_group.h"
#include "work.h"

namespace kiln::distributed {
namespace {

using mpi::Call;
using mpi::Kind;

// MPI reads and writes a contiguous tensor where it lies; a strided one is
// copied to a contiguous buffer first, and back by unstage().
Tensor staged(const Tensor& t) { return t.is_contiguous() ? t : t.contiguous(); }
void unstage(Tensor t, const Tensor& buf) {
  if (!buf.is_same(t)) t.copy_(buf);
}

int count_of(const Tensor& t) { return static_cast<int>(t.numel()); }

// What is wrong with `t` as a collective's tensor on this rank, or "".
std::string tensor_error(const Tensor& t) {
  if (!t.defined()) return "the tensor is undefined";
  if (t.numel() > INT_MAX)
    return "a tensor of " + std::to_string(t.numel()) + " elements exceeds MPI's count limit (2^31 - 1)";
  return "";
}

std::string op_error(const Tensor& t, ReduceOp op) {
  if (!t.defined()) return "";
  if (op == ReduceOp::AVG && !t.is_floating_point())
    return std::string("ReduceOp::AVG needs a floating-point tensor, got ") + python_name(t.dtype());
  return "";
}

// Bool tensors reduce logically, as torch's NCCL backend does.
MPI_Op mpi_op(ReduceOp op, ScalarType t) {
  if (t == kBool) return op == ReduceOp::PRODUCT || op == ReduceOp::MIN ? MPI_LAND : MPI_LOR;
  switch (op) {
    case ReduceOp::SUM:
    case ReduceOp::AVG: return MPI_SUM;
    case ReduceOp::MAX: return MPI_MAX;
    case ReduceOp::MIN: return MPI_MIN;
    case ReduceOp::PRODUCT: return MPI_PROD;
  }
  return MPI_OP_NULL;
}

// A tensor's shape and dtype must match `like`'s.
std::string like_error(const char* what, size_t i, const Tensor& t, const Tensor& like) {
  if (!t.defined()) return std::string(what) + "[" + std::to_string(i) + "] is undefined";
  if (t.dtype() == like.dtype() && t.sizes() == like.sizes()) return "";
  return ::kiln::detail::concat(what, "[", i, "] is ", python_name(t.dtype()), " ", t.sizes(), " but the tensor is ",
                                python_name(like.dtype()), " ", like.sizes());
}

std::string list_error(const char* what, const std::vector<Tensor>& list, const Tensor& like) {
  size_t world = static_cast<size_t>(mpi::size_of_group());
  if (list.size() != world)
    return std::string(what) + " holds " + std::to_string(list.size()) + " tensors, the world size is " +
           std::to_string(world);
  for (size_t i = 0; i < list.size(); ++i)
    if (auto e = like_error(what, i, list[i], like); !e.empty()) return e;
  return "";
}

}  // namespace

namespace mpi {

Work start_all_reduce(const Tensor& t, ReduceOp op, bool async_op) {
  MPI_Comm c = comm("all_reduce");
  Tensor buf = staged(t);
  std::vector<MPI_Request> req(async_op ? 1 : 0);
  MPI_Datatype type = mpi_type(t.dtype());
  if (async_op)
    check(MPI_Iallreduce(MPI_IN_PLACE, buf.data_ptr(), count_of(buf), type, mpi_op(op, t.dtype()), c, &req[0]),
          "all_reduce");
  else
    check(MPI_Allreduce(MPI_IN_PLACE, buf.data_ptr(), count_of(buf), type, mpi_op(op, t.dtype()), c), "all_reduce");
  int world = size_of_group();
  return started("all_reduce", std::move(req), {t, buf},
                 [t, buf, op, world]() mutable {
                   if (op == ReduceOp::AVG) buf.div_(world);
                   unstage(t, buf);
                 },
                 async_op);
}

}  // namespace mpi

Work all_reduce(const Tensor& t, ReduceOp op, bool async_op) {
  NoGradGuard no_grad;
  std::string error = tensor_error(t);
  if (error.empty()) error = op_error(t, op);
  mpi::agree({"all_reduce", Kind::all_reduce, static_cast<int64_t>(op), &t, error});
  return mpi::start_all_reduce(t, op, async_op);
}

Work broadcast(const Tensor& t, int64_t src, bool async_op) {
  NoGradGuard no_grad;
  std::string error = tensor_error(t);
  if (error.empty() && (src < 0 || src >= mpi::size_of_group()))
    error = "src " + std::to_string(src) + " is not a rank of a world of " + std::to_string(mpi::size_of_group());
  mpi::agree({"broadcast", Kind::broadcast, src, &t, error});
  MPI_Comm c = mpi::comm("broadcast");
  Tensor buf = staged(t);
  std::vector<MPI_Request> req(async_op ? 1 : 0);
  MPI_Datatype type = mpi::mpi_type(t.dtype());
  int root = static_cast<int>(src);
  if (async_op)
    mpi::check(MPI_Ibcast(buf.data_ptr(), count_of(buf), type, root, c, &req[0]), "broadcast");
  else
    mpi::check(MPI_Bcast(buf.data_ptr(), count_of(buf), type, root, c), "broadcast");
  bool receives = mpi::rank_of_group() != root;
  return mpi::started("broadcast", std::move(req), {t, buf},
                      [t, buf, receives] {
                        if (receives) unstage(t, buf);
                      },
                      async_op);
}

Work all_gather(std::vector<Tensor>& outputs, const Tensor& t, bool async_op) {
  NoGradGuard no_grad;
  std::string error = tensor_error(t);
  if (error.empty() && outputs.empty())
    for (int r = 0; r < mpi::size_of_group(); ++r) outputs.push_back(empty(t.sizes(), dtype(t.dtype())));
  if (error.empty()) error = list_error("outputs", outputs, t);
  if (error.empty() && t.numel() * mpi::size_of_group() > INT_MAX)
    error = "the gathered tensors exceed MPI's count limit (2^31 - 1 elements)";
  mpi::agree({"all_gather", Kind::all_gather, 0, &t, error});
  MPI_Comm c = mpi::comm("all_gather");
  Tensor send = staged(t);
  int64_t n = t.numel();
  Tensor flat = empty({n * mpi::size_of_group()}, dtype(t.dtype()));
  std::vector<MPI_Request> req(async_op ? 1 : 0);
  MPI_Datatype type = mpi::mpi_type(t.dtype());
  if (async_op)
    mpi::check(MPI_Iallgather(send.data_ptr(), n, type, flat.data_ptr(), n, type, c, &req[0]), "all_gather");
  else
    mpi::check(MPI_Allgather(send.data_ptr(), n, type, flat.data_ptr(), n, type, c), "all_gather");
  std::vector<Tensor> outs = outputs;  // handles to the caller's tensors
  return mpi::started("all_gather", std::move(req), {send, flat},
                      [outs, flat, n]() mutable {
                        for (size_t r = 0; r < outs.size(); ++r)
                          outs[r].copy_(flat.narrow(0, r * n, n).view(outs[r].sizes()));
                      },
                      async_op);
}

Work reduce_scatter(const Tensor& output, const std::vector<Tensor>& inputs, ReduceOp op, bool async_op) {
  NoGradGuard no_grad;
  std::string error = tensor_error(output);
  if (error.empty()) error = op_error(output, op);
  if (error.empty()) error = list_error("inputs", inputs, output);
  if (error.empty() && output.numel() * mpi::size_of_group() > INT_MAX)
    error = "the scattered tensors exceed MPI's count limit (2^31 - 1 elements)";
  mpi::agree({"reduce_scatter", Kind::reduce_scatter, static_cast<int64_t>(op), &output, error});
  MPI_Comm c = mpi::comm("reduce_scatter");
  int64_t n = output.numel();
  Tensor flat = empty({n * mpi::size_of_group()}, dtype(output.dtype()));
  for (size_t r = 0; r < inputs.size(); ++r) flat.narrow(0, r * n, n).view(output.sizes()).copy_(inputs[r]);
  Tensor out = staged(output);
  std::vector<MPI_Request> req(async_op ? 1 : 0);
  MPI_Datatype type = mpi::mpi_type(output.dtype());
  MPI_Op mop = mpi_op(op, output.dtype());
  if (async_op)
    mpi::check(MPI_Ireduce_scatter_block(flat.data_ptr(), out.data_ptr(), n, type, mop, c, &req[0]),
               "reduce_scatter");
  else
    mpi::check(MPI_Reduce_scatter_block(flat.data_ptr(), out.data_ptr(), n, type, mop, c), "reduce_scatter");
  int world = mpi::size_of_group();
  return mpi::started("reduce_scatter", std::move(req), {flat, out, output},
                      [output, out, op, world]() mutable {
                        if (op == ReduceOp::AVG) out.div_(world);
                        unstage(output, out);
                      },
                      async_op);
}

void barrier() { mpi::agree({"barrier", Kind::barrier}); }

}  // namespace kiln::distributed
