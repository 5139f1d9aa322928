// send/recv: the sender's header (dtype and shape) travels ahead of the data
// with the same tag, so the receiver checks it against its own tensor.
#include <climits>
#include <memory>

#include "agreement.h"
#include "kiln/autograd.h"
#include "process_group.h"
#include "work.h"

namespace kiln::distributed {
namespace {

using mpi::Call;
using mpi::Header;
using mpi::Kind;

int peer_rank(const char* op, const char* role, int64_t peer, const Tensor& t) {
  mpi::comm(op);
  int world = mpi::size_of_group();
  KILN_CHECK(peer >= 0 && peer < world, op, ": ", role, " ", peer, " is not a rank of a world of ", world);
  KILN_CHECK(peer != mpi::rank_of_group(), op, ": rank ", peer, " cannot ", op, " to or from itself");
  KILN_CHECK(t.defined(), op, ": the tensor is undefined");
  KILN_CHECK(t.numel() <= INT_MAX, op, ": a tensor of ", t.numel(), " elements exceeds MPI's count limit (2^31 - 1)");
  return static_cast<int>(peer);
}

int mpi_tag(const char* op, int64_t tag) {
  KILN_CHECK(tag >= 0 && tag <= 32767, op, ": tag ", tag, " is outside MPI's guaranteed range [0, 32767]");
  return static_cast<int>(tag);
}

}  // namespace

Work isend(const Tensor& t, int64_t dst, int64_t tag) {
  NoGradGuard no_grad;
  int peer = peer_rank("send", "dst", dst, t);
  int mtag = mpi_tag("send", tag);
  MPI_Comm c = mpi::comm("send");
  auto header = std::make_shared<Header>(mpi::header_of({"send", Kind::send, 0, &t}));
  Tensor buf = t.is_contiguous() ? t : t.contiguous();
  std::vector<MPI_Request> req(2);
  mpi::check(MPI_Isend(header->data(), header->size(), MPI_INT64_T, peer, mtag, c, &req[0]), "send");
  mpi::check(MPI_Isend(buf.data_ptr(), buf.numel(), mpi::mpi_type(t.dtype()), peer, mtag, c, &req[1]), "send");
  return mpi::started("send", std::move(req), {buf}, [header] {}, true);
}

Work irecv(const Tensor& t, int64_t src, int64_t tag) {
  NoGradGuard no_grad;
  int peer = peer_rank("recv", "src", src, t);
  int mtag = mpi_tag("recv", tag);
  MPI_Comm c = mpi::comm("recv");
  auto header = std::make_shared<Header>();
  Tensor buf = t.is_contiguous() ? t : t.contiguous();
  std::vector<MPI_Request> req(2);
  mpi::check(MPI_Irecv(header->data(), header->size(), MPI_INT64_T, peer, mtag, c, &req[0]), "recv");
  mpi::check(MPI_Irecv(buf.data_ptr(), buf.numel(), mpi::mpi_type(t.dtype()), peer, mtag, c, &req[1]), "recv");
  return mpi::started("recv", std::move(req), {t, buf},
                      [header, out = Tensor(t), buf, peer]() mutable {
                        Header mine = mpi::header_of({"recv", Kind::send, 0, &out});
                        KILN_CHECK(*header == mine, "recv: rank ", peer, " sent ", mpi::describe(*header),
                                   " but the receiving tensor is ", mpi::describe(mine));
                        if (!buf.is_same(out)) out.copy_(buf);
                      },
                      true);
}

void send(const Tensor& t, int64_t dst, int64_t tag) { isend(t, dst, tag).wait(); }
void recv(const Tensor& t, int64_t src, int64_t tag) { irecv(t, src, tag).wait(); }

}  // namespace kiln::distributed
