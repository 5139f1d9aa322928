#include "kiln/warning.h"

#include <atomic>
#include <iostream>

namespace kiln {

void WarningHandler::process(const SourceLocation& loc, const std::string& msg, const bool verbatim) {
  std::cerr << "Warning: " << msg;
  if (!verbatim) std::cerr << " (function " << loc.function << ")";
  std::cerr << '\n';
}

namespace Warning {
namespace {
WarningHandler default_handler;
// One handler for the program, as in libtorch; atomic so that warnings from
// autograd's worker threads see the installed one.
std::atomic<WarningHandler*> handler{&default_handler};
std::atomic<bool> warn_always{false};
}  // namespace

void warn(const SourceLocation& loc, const std::string& msg, bool verbatim) {
  handler.load(std::memory_order_acquire)->process(loc, msg, verbatim);
}
void set_warning_handler(WarningHandler* h) noexcept {
  handler.store(h ? h : &default_handler, std::memory_order_release);
}
WarningHandler* get_warning_handler() noexcept { return handler.load(std::memory_order_acquire); }
void set_warnAlways(bool setting) noexcept { warn_always.store(setting); }
bool get_warnAlways() noexcept { return warn_always.load(); }
}  // namespace Warning

}  // namespace kiln
