#include <chrono>
#include <string>

#include "collectives.h"
#include "kiln/autograd.h"
#include "kiln/distributed.h"
#include "kiln/functions.h"

namespace kiln::distributed {
namespace {

struct Bucket {
  std::vector<int64_t> members;  // parameter indices, in the order their gradients usually arrive
  std::vector<int64_t> offsets;  // where each member's gradient lies in `flat`
  Tensor flat;
  int64_t pending = 0;           // members whose gradient has not arrived this backward
  Work work;
};

// Rank 0's value of every tensor on every rank, after checking that the
// ranks' lists agree (a mismatch raises on every rank, naming the tensor).
void broadcast_all(const std::vector<Tensor>& tensors, const char* what) {
  Tensor count = tensor({static_cast<int64_t>(tensors.size())});
  std::vector<Tensor> counts;
  all_gather(counts, count);
  for (size_t r = 0; r < counts.size(); ++r)
    KILN_CHECK(equal(counts[r], count), "DistributedDataParallel: the ranks' models differ: rank ", r, " has ",
               counts[r].item<int64_t>(), " ", what, ", rank ", get_rank(), " has ", tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    try {
      broadcast(tensors[i], 0);
    } catch (const Error& e) {
      throw Error("DistributedDataParallel: the ranks' models differ at " + std::string(what) + "[" +
                  std::to_string(i) + "]: " + e.what());
    }
  }
}

}  // namespace

struct Reducer::State {
  std::vector<Tensor> params;
  std::vector<Tensor> buffers;
  std::vector<unsigned> hooks;
  std::vector<Bucket> buckets;
  std::vector<int64_t> bucket_of, slot_of;  // per parameter (-1: needs no gradient)
  std::vector<char> arrived;                 // per parameter, this backward
  int64_t expected = 0, arrived_count = 0;
  size_t next_launch = 0;
  bool sync = true;
  double exposed_wait = 0;

  void assign_buckets(int64_t cap, int64_t first_cap);
  Tensor on_gradient(int64_t i, const Tensor& g);
  void launch_ready_buckets();
  void finish(int64_t last, const Tensor& last_grad, Tensor& replacement);
};

void Reducer::State::assign_buckets(int64_t cap, int64_t first_cap) {
  bucket_of.assign(params.size(), -1);
  slot_of.assign(params.size(), -1);
  // Backward reaches the last-registered parameters first.
  std::vector<int64_t> open_bucket(kNumScalarTypes, -1);  // per dtype
  std::vector<int64_t> open_bytes(kNumScalarTypes, 0);
  for (int64_t i = static_cast<int64_t>(params.size()) - 1; i >= 0; --i) {
    const Tensor& p = params[i];
    if (!p.requires_grad()) continue;
    int d = static_cast<int>(p.dtype());
    if (open_bucket[d] < 0) {
      open_bucket[d] = static_cast<int64_t>(buckets.size());
      open_bytes[d] = 0;
      buckets.emplace_back();
    }
    Bucket& b = buckets[open_bucket[d]];
    bucket_of[i] = open_bucket[d];
    slot_of[i] = static_cast<int64_t>(b.members.size());
    b.offsets.push_back(b.members.empty() ? 0 : b.offsets.back() + params[b.members.back()].numel());
    b.members.push_back(i);
    open_bytes[d] += p.numel() * static_cast<int64_t>(p.element_size());
    ++expected;
    if (open_bytes[d] >= (open_bucket[d] == 0 ? first_cap : cap)) open_bucket[d] = -1;
  }
  for (Bucket& b : buckets) {
    const Tensor& last = params[b.members.back()];
    b.flat = zeros({b.offsets.back() + last.numel()}, dtype(last.dtype()));
    b.pending = static_cast<int64_t>(b.members.size());
  }
  arrived.assign(params.size(), 0);
}

// Buckets start in index order on every rank, so the ranks' non-blocking
// all-reduces pair up even when gradients arrive in a different order.
void Reducer::State::launch_ready_buckets() {
  while (next_launch < buckets.size() && buckets[next_launch].pending == 0) {
    Bucket& b = buckets[next_launch++];
    b.work = mpi::start_all_reduce(b.flat, ReduceOp::AVG, true);
  }
  progress();
}

Tensor Reducer::State::on_gradient(int64_t i, const Tensor& g) {
  if (!sync) return Tensor();
  KILN_CHECK(!arrived[i], "DistributedDataParallel: parameter ", i,
             " received a second gradient before every parameter received one; each parameter must take part in "
             "the loss of every synchronised backward (the previous backward left ",
             expected - arrived_count, " parameters without a gradient)");
  NoGradGuard no_grad;
  Bucket& b = buckets[bucket_of[i]];
  const Tensor& p = params[i];
  Tensor slot = b.flat.narrow(0, b.offsets[slot_of[i]], p.numel()).view(p.sizes());
  // What .grad() will hold once this gradient is accumulated (no_sync steps included).
  slot.copy_(g);
  if (p.grad().defined()) slot.add_(p.grad());
  arrived[i] = 1;
  --b.pending;
  ++arrived_count;
  launch_ready_buckets();
  Tensor replacement;
  if (arrived_count == expected) finish(i, g, replacement);
  return replacement;
}

// The last gradient has arrived: every bucket is in flight. Wait for them and
// put the averages into .grad(). The other parameters' gradients are already
// accumulated; the last one's is accumulated after this hook returns, so the
// hook hands it the average (or zeros to add, when .grad() already exists).
void Reducer::State::finish(int64_t last, const Tensor& last_grad, Tensor& replacement) {
  auto start = std::chrono::steady_clock::now();
  for (Bucket& b : buckets) b.work.wait();
  exposed_wait = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (Bucket& b : buckets) {
    for (size_t s = 0; s < b.members.size(); ++s) {
      int64_t i = b.members[s];
      Tensor avg = b.flat.narrow(0, b.offsets[s], params[i].numel()).view(params[i].sizes());
      if (i != last) {
        params[i].mutable_grad().copy_(avg);
      } else if (params[i].grad().defined()) {
        params[i].mutable_grad().copy_(avg);
        replacement = zeros_like(last_grad);
      } else {
        replacement = avg.clone();
      }
    }
    b.pending = static_cast<int64_t>(b.members.size());
    b.work = Work();
  }
  std::fill(arrived.begin(), arrived.end(), 0);
  arrived_count = 0;
  next_launch = 0;
}

Reducer::Reducer(std::vector<Tensor> parameters, std::vector<Tensor> buffers, int64_t bucket_cap_bytes,
                 int64_t first_bucket_cap_bytes)
    : state_(std::make_unique<State>()) {
  KILN_CHECK(bucket_cap_bytes > 0 && first_bucket_cap_bytes > 0,
             "DistributedDataParallel: bucket caps must be positive, got ", bucket_cap_bytes, " and ",
             first_bucket_cap_bytes);
  for (size_t i = 0; i < parameters.size(); ++i)
    KILN_CHECK(parameters[i].defined() && parameters[i].is_leaf(), "DistributedDataParallel: parameter ", i,
               " is not a defined leaf tensor");
  state_->params = std::move(parameters);
  state_->buffers = std::move(buffers);
  {
    NoGradGuard no_grad;
    broadcast_all(state_->params, "parameters");
    broadcast_all(state_->buffers, "buffers");
  }
  state_->assign_buckets(bucket_cap_bytes, first_bucket_cap_bytes);
  State* s = state_.get();
  for (size_t i = 0; i < s->params.size(); ++i)
    if (s->bucket_of[i] >= 0)
      s->hooks.push_back(s->params[i].register_hook(
          [s, i](const Tensor& g) -> Tensor { return s->on_gradient(static_cast<int64_t>(i), g); }));
    else
      s->hooks.push_back(0);
}

Reducer::Reducer(Reducer&& other) noexcept = default;

Reducer::~Reducer() {
  if (!state_) return;  // moved from
  for (size_t i = 0; i < state_->params.size(); ++i)
    if (state_->bucket_of[i] >= 0) state_->params[i].remove_hook(state_->hooks[i]);
  // A backward that ended early (an exception) may leave buckets in flight.
  for (Bucket& b : state_->buckets) b.work = Work();
}

Reducer::NoSync::NoSync(State* state) : state_(state), previous_(state->sync) { state_->sync = false; }
Reducer::NoSync::~NoSync() { state_->sync = previous_; }
Reducer::NoSync Reducer::no_sync() { return NoSync(state_.get()); }

std::vector<std::vector<int64_t>> Reducer::buckets() const {
  std::vector<std::vector<int64_t>> out;
  for (const Bucket& b : state_->buckets) out.push_back(b.members);
  return out;
}

double Reducer::last_exposed_wait_seconds() const { return state_->exposed_wait; }

void Reducer::broadcast_buffers() {
  NoGradGuard no_grad;
  for (const Tensor& b : state_->buffers) broadcast(b, 0);
}

}  // namespace kiln::distributed
