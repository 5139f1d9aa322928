// What a running node may ask the engine.
#pragma once
#include <cstddef>
#include <cstdint>

#include "kiln/autograd.h"

namespace kiln::autograd {

// The node whose backward this thread is running, or null.
const Node* running_node();
// Which of `node`'s next edges the running pass needs a gradient for (bit i:
// edge i < 64): edges that lead somewhere and, for grad(), to an input asked
// for. Outside a backward pass of `node`, every edge that leads somewhere.
uint64_t needed_edges(const Node& node);
// The same for one edge (edges past 64 count when they lead somewhere).
bool task_should_compute_output(const Node& node, size_t edge);

}  // namespace kiln::autograd
