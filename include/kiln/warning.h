// Warnings as libtorch raises them: a message goes to the installed
// WarningHandler (by default, printed to stderr); a program replaces the
// handler to collect, silence or rethrow warnings.
#pragma once
#include <atomic>
#include <cstdint>
#include <string>

#include "kiln/error.h"

namespace kiln {

struct SourceLocation {
  const char* function;
  const char* file;
  uint32_t line;
};

class WarningHandler {
 public:
  virtual ~WarningHandler() = default;
  // The default handler prints the message to stderr.
  virtual void process(const SourceLocation& source_location, const std::string& msg, const bool verbatim);
};

namespace Warning {
// Hands a warning to the current handler.
void warn(const SourceLocation& source_location, const std::string& msg, bool verbatim);
// The handler for the whole program (null restores the default); the caller
// keeps it alive while it is installed.
void set_warning_handler(WarningHandler* handler) noexcept;
WarningHandler* get_warning_handler() noexcept;

class WarningHandlerGuard {
 public:
  WarningHandlerGuard(WarningHandler* new_handler) : prev_(get_warning_handler()) { set_warning_handler(new_handler); }
  ~WarningHandlerGuard() { set_warning_handler(prev_); }
  WarningHandlerGuard(const WarningHandlerGuard&) = delete;
  WarningHandlerGuard& operator=(const WarningHandlerGuard&) = delete;

 private:
  WarningHandler* prev_;
};

// Warnings raised once per process are raised every time while set.
void set_warnAlways(bool setting) noexcept;
bool get_warnAlways() noexcept;
struct WarnAlways {
  explicit WarnAlways(bool setting = true) : prev_(get_warnAlways()) { set_warnAlways(setting); }
  ~WarnAlways() { set_warnAlways(prev_); }
  WarnAlways(const WarnAlways&) = delete;
  WarnAlways& operator=(const WarnAlways&) = delete;

 private:
  bool prev_;
};
}  // namespace Warning

// The name later libtorch versions give the same functions.
namespace WarningUtils = Warning;

}  // namespace kiln

// KILN_WARN("op: ", parts...) raises a warning with the parts joined;
// KILN_WARN_ONCE only the first time (every time under WarnAlways).
#define KILN_WARN(...) \
  ::kiln::Warning::warn({__func__, __FILE__, static_cast<uint32_t>(__LINE__)}, ::kiln::detail::concat(__VA_ARGS__), false)
#define KILN_WARN_ONCE(...)                                                  \
  do {                                                                       \
    static std::atomic<bool> kiln_warned_once{false};                        \
    if (!kiln_warned_once.exchange(true) || ::kiln::Warning::get_warnAlways()) \
      KILN_WARN(__VA_ARGS__);                                                \
  } while (0)
