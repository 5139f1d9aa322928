// kiln::distributed: torch.distributed's process group and collectives over MPI.
//
// Start the program under an MPI launcher (`mpirun -np 2 ./train`, or
// tools/mpirun.sh); init_process_group("mpi") takes rank and world size from it.
// Collectives work in place on tensors of any dtype and layout: a contiguous
// tensor is handed to MPI as it is (no copy); a strided one is staged through
// a contiguous buffer and copied back. Before it moves data, every collective
// checks that all ranks called the same collective on tensors of the same
// dtype and shape (a small header exchange), so a mismatch is a kiln::Error on
// every rank, never a silent wrong sum. An exception that leaves main() on any
// rank aborts the whole job with that rank's message (no rank hangs).
//
// This header needs no MPI headers; only libkiln_distributed links MPI.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kiln/tensor.h"

namespace kiln::distributed {

// Bool tensors reduce logically (SUM and MAX are "or", PRODUCT and MIN are
// "and"), as torch's NCCL backend; AVG needs a floating-point tensor.
enum class ReduceOp { SUM, AVG, MAX, MIN, PRODUCT };
const char* name(ReduceOp op);

// A collective in flight. wait() blocks until it is done and its result is in
// the tensors (for a staged tensor, the copy back happens here); it raises
// kiln::Error when MPI reports a failure. A blocking call returns a completed
// Work. Dropping an unfinished Work waits for it (the buffers stay valid).
class Work {
 public:
  struct State;
  Work() = default;
  explicit Work(std::shared_ptr<State> state) : state_(std::move(state)) {}
  void wait();
  bool is_completed();

 private:
  std::shared_ptr<State> state_;
};

// backend "mpi" only. Initialises MPI unless the program already did.
void init_process_group(const std::string& backend = "mpi");
bool is_initialized();
// Finalises MPI when init_process_group initialised it.
void destroy_process_group();
int64_t get_rank();
int64_t get_world_size();
void barrier();

// `t` becomes the reduction of every rank's `t`.
Work all_reduce(const Tensor& t, ReduceOp op = ReduceOp::SUM, bool async_op = false);
// Every rank's `t` becomes rank `src`'s.
Work broadcast(const Tensor& t, int64_t src, bool async_op = false);
// outputs[r] becomes rank r's `t`; `outputs` holds world-size tensors shaped as `t`
// (an empty vector is filled with new tensors).
Work all_gather(std::vector<Tensor>& outputs, const Tensor& t, bool async_op = false);
// `output` becomes the reduction over ranks of their inputs[rank]; `inputs`
// holds world-size tensors shaped as `output`.
Work reduce_scatter(const Tensor& output, const std::vector<Tensor>& inputs, ReduceOp op = ReduceOp::SUM,
                    bool async_op = false);
// Point to point. The receiver checks the sender's dtype and shape against its own tensor.
void send(const Tensor& t, int64_t dst, int64_t tag = 0);
void recv(const Tensor& t, int64_t src, int64_t tag = 0);
Work isend(const Tensor& t, int64_t dst, int64_t tag = 0);
Work irecv(const Tensor& t, int64_t src, int64_t tag = 0);

// Drives MPI's progress on collectives in flight (MPI moves non-blocking
// collectives along only inside MPI calls); DistributedDataParallel calls it
// from its gradient hooks so a bucket's all-reduce advances during backward.
void progress();

// Averages the gradients of `parameters` over the ranks during backward: the
// engine of nn::parallel::DistributedDataParallel, for any list of leaf tensors.
// At construction it checks that every rank has the same parameters (count,
// dtypes, shapes) and copies rank 0's values to every rank. The parameters
// are grouped into buckets of about `bucket_cap_bytes` in reverse order (the
// order backward reaches them; the first bucket is capped at
// `first_bucket_cap_bytes` so communication starts early). A gradient hook
// copies each gradient into its bucket; a full bucket's all-reduce starts at
// once (non-blocking) while backward goes on; when the last gradient arrives
// the buckets are waited for and every .grad() holds the average over ranks,
// before the optimiser's step. Every parameter must receive a gradient in
// every synchronised backward.
class Reducer {
 public:
  struct State;
  explicit Reducer(std::vector<Tensor> parameters, std::vector<Tensor> buffers = {},
                   int64_t bucket_cap_bytes = 25 << 20, int64_t first_bucket_cap_bytes = 1 << 20);
  ~Reducer();
  Reducer(Reducer&& other) noexcept;  // the hooks follow (they hold the state, not the Reducer)
  Reducer(const Reducer&) = delete;
  Reducer& operator=(const Reducer&) = delete;

  // While a NoSync lives, backward accumulates gradients locally; the next
  // backward outside one averages the accumulated gradients.
  class NoSync {
   public:
    explicit NoSync(State* state);
    ~NoSync();
    NoSync(const NoSync&) = delete;
    NoSync& operator=(const NoSync&) = delete;

   private:
    State* state_;
    bool previous_;
  };
  [[nodiscard]] NoSync no_sync();

  // The parameters' indices in each bucket, in the order the buckets are reduced.
  std::vector<std::vector<int64_t>> buckets() const;
  // Seconds the last synchronised backward spent waiting for all-reduces
  // after its last gradient (communication not hidden behind backward).
  double last_exposed_wait_seconds() const;
  // Copies rank 0's buffers to every rank (DistributedDataParallel does so before each forward).
  void broadcast_buffers();

 private:
  std::unique_ptr<State> state_;
};

}  // namespace kiln::distributed

namespace kiln::nn::parallel {

class DistributedDataParallelOptions {
 public:
  // The buckets' size; the first bucket (the last layers) is capped at 1 MiB, as torch's.
  DistributedDataParallelOptions& bucket_cap_mb(double mb) {
    bucket_cap_mb_ = mb;
    return *this;
  }
  double bucket_cap_mb() const { return bucket_cap_mb_; }
  // Copy rank 0's buffers (running statistics) to every rank before each forward.
  DistributedDataParallelOptions& broadcast_buffers(bool on) {
    broadcast_buffers_ = on;
    return *this;
  }
  bool broadcast_buffers() const { return broadcast_buffers_; }

 private:
  double bucket_cap_mb_ = 25;
  bool broadcast_buffers_ = true;
};

// torch.nn.parallel.DistributedDataParallel for a kiln::nn module (a holder
// such as nn::Sequential, or a std::shared_ptr to a module; anything with
// parameters(), buffers() and forward()):
//   nn::parallel::DistributedDataParallel ddp(model);
//   auto loss = loss_fn(ddp(x_shard), y_shard);
//   loss.backward();           // gradients averaged over the ranks
//   optimizer.step();
// At construction rank 0's parameters and buffers are copied to every rank
// (ranks whose models differ in parameter shapes raise); ddp(args...) runs the
// module's forward; ddp->... reaches the module. See distributed::Reducer for
// how the gradients travel.
template <class Model>
class DistributedDataParallel {
 public:
  explicit DistributedDataParallel(Model model, const DistributedDataParallelOptions& options = {})
      : model_(std::move(model)),
        broadcast_buffers_(options.broadcast_buffers()),
        reducer_(model_->parameters(), model_->buffers(), bytes(options.bucket_cap_mb()),
                 bytes(options.bucket_cap_mb() < 1 ? options.bucket_cap_mb() : 1)) {}

  template <class... Args>
  decltype(auto) operator()(Args&&... args) {
    if (broadcast_buffers_) reducer_.broadcast_buffers();
    return model_->forward(std::forward<Args>(args)...);
  }
  template <class... Args>
  decltype(auto) forward(Args&&... args) {
    return (*this)(std::forward<Args>(args)...);
  }
  Model& operator->() { return model_; }
  Model& module() { return model_; }
  // While the guard lives, backward accumulates gradients locally (gradient accumulation).
  [[nodiscard]] distributed::Reducer::NoSync no_sync() { return reducer_.no_sync(); }
  distributed::Reducer& reducer() { return reducer_; }

 private:
  static int64_t bytes(double mb) { return static_cast<int64_t>(mb * (1 << 20)); }
  Model model_;
  bool broadcast_buffers_;
  distributed::Reducer reducer_;
};

}  // namespace kiln::nn::parallel
