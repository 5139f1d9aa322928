#include "work.h"

#include <algorithm>
#include <memory>

#include "kiln/autograd.h"
#include "process_group.h"

namespace kiln::distributed {
namespace {

// Works in flight, for progress(): weak, so a finished Work is simply dropped.
std::vector<std::weak_ptr<Work::State>> in_flight;

// Drops the Works that are gone or finished; tests the others when `test`.
void sweep(bool test) {
  std::erase_if(in_flight, [test](const std::weak_ptr<Work::State>& w) {
    auto s = w.lock();
    if (!s || s->finished) return true;
    int done = 0;
    if (test) MPI_Testall(static_cast<int>(s->requests.size()), s->requests.data(), &done, MPI_STATUSES_IGNORE);
    return false;
  });
}

}  // namespace

void Work::State::complete() {
  if (finished) return;
  finished = true;
  int rc = MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
  mpi::check(rc, op);
  NoGradGuard no_grad;
  if (finish) finish();
}

Work::State::~State() {
  // MPI may still be writing into keep_alive's memory: wait before it goes.
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finished && !requests.empty() && !finalized)
    MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
}

void Work::wait() {
  if (state_) state_->complete();
}

bool Work::is_completed() {
  if (!state_ || state_->finished) return true;
  int done = 0;
  mpi::check(MPI_Testall(static_cast<int>(state_->requests.size()), state_->requests.data(), &done,
                         MPI_STATUSES_IGNORE),
             state_->op);
  return done != 0;
}

void progress() { sweep(true); }

namespace mpi {

Work started(const char* op, std::vector<MPI_Request> requests, std::vector<Tensor> keep_alive,
             std::function<void()> finish, bool async_op) {
  auto state = std::make_shared<Work::State>();
  state->op = op;
  state->requests = std::move(requests);
  state->keep_alive = std::move(keep_alive);
  state->finish = std::move(finish);
  Work work(state);
  if (async_op) {
    sweep(false);
    in_flight.push_back(state);
  }
  else
    work.wait();
  return work;
}

}  // namespace mpi
}  // namespace kiln::distributed
