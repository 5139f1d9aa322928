// Built against an installed kiln's distributed component alone (no MPI
// headers or libraries named here): each rank adds rank + 1.
#include <kiln/distributed.h>
#include <kiln/functions.h>

#include <iostream>

int main() {
  namespace dist = kiln::distributed;
  dist::init_process_group("mpi");
  auto t = kiln::full({2}, static_cast<double>(dist::get_rank() + 1), kiln::dtype(kiln::kFloat64));
  dist::all_reduce(t);
  if (dist::get_rank() == 0) std::cout << "world=" << dist::get_world_size() << " sum=" << t[1].item<double>() << "\n";
  dist::destroy_process_group();
  return 0;
}
