// What a running node may ask the engine.
#pragma once
#include <cstddef>

#include "kiln/autograd.h"

namespace kiln::autograd {

// Whether the backward pass running `node` needs the gradient for its next
// edge `edge`: the edge leads somewhere, and (for grad()) to an input asked
// for. Outside a backward pass, whether the edge leads somewhere.
bool task_should_compute_output(const Node& node, size_t edge);

}  // namespace kiln::autograd
