#include "autograd/anomaly.h"

#include <execinfo.h>

#include <cstdlib>

#include "autograd/engine.h"
#include "kiln/autograd_function.h"
#include "kiln/functions.h"
#include "kiln/warning.h"

namespace kiln::autograd {
namespace anomaly {

std::atomic<bool> enabled{false};

namespace {
std::atomic<bool> check_nan{true};
// "binary(mangled+0x1f) [0x...]" with the name demangled where it can be.
std::string readable(const char* frame) {
  std::string text(frame);
  size_t open = text.find('('), plus = text.find('+', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || plus == std::string::npos || plus == open + 1) return text;
  return text.substr(0, open + 1) + detail::demangle(text.substr(open + 1, plus - open - 1).c_str()) +
         text.substr(plus);
}

// The calling thread's stack, innermost first, without the frames inside
// the recording itself.
std::string call_stack() {
  constexpr int kMaxFrames = 64, kOwnFrames = 3;
  void* frames[kMaxFrames];
  const int n = backtrace(frames, kMaxFrames);
  char** symbols = backtrace_symbols(frames, n);
  if (!symbols) return "(no stack available)\n";
  std::string out;
  for (int i = kOwnFrames; i < n; ++i)
    out += "frame #" + std::to_string(i - kOwnFrames) + ": " + readable(symbols[i]) + "\n";
  std::free(symbols);
  return out;
}

void warn_stacks(const Node& node) {
  const AnomalyMetadata* m = node.anomaly_.get();
  KILN_WARN("Error detected in ", node.name(), ". Traceback of forward call that caused the error:\n",
            m ? m->traceback : std::string("(not recorded: anomaly mode was off when the node was created)\n"));
  for (; m && m->parent; m = m->parent.get())
    KILN_WARN("\n\nPrevious calculation was induced by ", m->parent_name,
              ". Traceback of forward call that induced the previous calculation:\n", m->parent->traceback);
}

}  // namespace

std::shared_ptr<const AnomalyMetadata> record() {
  auto m = std::make_shared<AnomalyMetadata>();
  m->traceback = call_stack();
  // A node recorded by another node's backward (create_graph) points to that node's record.
  if (const Node* parent = running_node(); parent && parent->anomaly_) {
    m->parent = parent->anomaly_;
    m->parent_name = parent->name();
  }
  return m;
}

Node::GradList run_checked(Node& node, Node::GradList&& grads) {
  try {
    Node::GradList outputs = node.run(std::move(grads));
    if (check_nan.load(std::memory_order_relaxed))
      for (size_t i = 0; i < outputs.size(); ++i) {
        const Tensor& o = outputs[i];
        KILN_CHECK(!o.defined() || !is_floating_point(o.dtype()) || !kiln::isnan(o).any().item<bool>(), "Function '",
                   node.name(), "' returned nan values in its ", i, "th output.");
      }
    return outputs;
  } catch (...) {
    warn_stacks(node);
    throw;
  }
}

}  // namespace anomaly

bool AnomalyMode::is_enabled() { return anomaly::enabled.load(std::memory_order_relaxed); }
bool AnomalyMode::should_check_nan() { return anomaly::check_nan.load(std::memory_order_relaxed); }
void AnomalyMode::set_enabled(bool enabled, bool check_nan) {
  anomaly::enabled.store(enabled, std::memory_order_relaxed);
  anomaly::check_nan.store(check_nan, std::memory_order_relaxed);
}

DetectAnomalyGuard::DetectAnomalyGuard(bool check_nan)
    : previous_(AnomalyMode::is_enabled()), previous_check_nan_(AnomalyMode::should_check_nan()) {
  AnomalyMode::set_enabled(true, check_nan);
}
DetectAnomalyGuard::~DetectAnomalyGuard() { AnomalyMode::set_enabled(previous_, previous_check_nan_); }
bool DetectAnomalyGuard::is_enabled() { return AnomalyMode::is_enabled(); }

}  // namespace kiln::autograd
