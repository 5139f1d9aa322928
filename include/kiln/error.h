// kiln::Error: every bad input ends here, with a message naming the op.
#pragma once
#include <sstream>
#include <stdexcept>
#include <string>

namespace kiln {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {
template <class... Args>
std::string concat(const Args&... args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}
[[noreturn]] void fail(const std::string& message);
}  // namespace detail

}  // namespace kiln

// KILN_CHECK(cond, "op: ", parts...) throws kiln::Error with the parts joined.
#define KILN_CHECK(cond, ...)                                   \
  do {                                                          \
    if (!(cond)) ::kiln::detail::fail(::kiln::detail::concat(__VA_ARGS__)); \
  } while (0)
