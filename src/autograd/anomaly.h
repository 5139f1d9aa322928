// Anomaly mode (DetectAnomalyGuard), as torch::autograd's: a node recorded
// while it is on keeps the call stack that created it and, when another
// node's backward created it (create_graph), that node's record too. A node
// whose backward throws or (with check_nan) returns NaN then reports those
// stacks as warnings before the error propagates.
#pragma once
#include <atomic>
#include <memory>
#include <string>

#include "kiln/autograd.h"

namespace kiln::autograd {

struct AnomalyMetadata {
  std::string traceback;  // the call stack that recorded the node
  std::string parent_name;
  std::shared_ptr<const AnomalyMetadata> parent;  // the node whose backward recorded this one
};

namespace anomaly {
// Process-wide, as libtorch's; read (relaxed) on every node's creation.
extern std::atomic<bool> enabled;
// The record for a node being created now (anomaly mode on).
std::shared_ptr<const AnomalyMetadata> record();
// node.run(grads) under the checks: NaN results, and the stacks on any error.
Node::GradList run_checked(Node& node, Node::GradList&& grads);
}  // namespace anomaly

}  // namespace kiln::autograd
