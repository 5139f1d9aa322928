// kiln::Error: every bad input ends here, with a message naming the op.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace kiln {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class IntArrayRef;
enum class ScalarType : int8_t;

namespace detail {

// A message built from parts as KILN_CHECK's arguments: text, numbers,
// shapes and dtypes are appended here without a string stream (this header
// is in every user's program). Other types fall back to their operator<<,
// which needs <sstream> where they are used.
class Message {
 public:
  Message& operator<<(const char* s);
  Message& operator<<(const std::string& s);
  Message& operator<<(char c);
  Message& operator<<(bool b);
  Message& operator<<(int v) { return *this << static_cast<long long>(v); }
  Message& operator<<(long v) { return *this << static_cast<long long>(v); }
  Message& operator<<(long long v);
  Message& operator<<(unsigned v) { return *this << static_cast<unsigned long long>(v); }
  Message& operator<<(unsigned long v) { return *this << static_cast<unsigned long long>(v); }
  Message& operator<<(unsigned long long v);
  Message& operator<<(float v) { return *this << static_cast<double>(v); }
  Message& operator<<(double v);
  Message& operator<<(const IntArrayRef& shape);
  Message& operator<<(ScalarType t);
  template <class T>
    requires(!std::is_arithmetic_v<T> && !std::is_convertible_v<const T&, const char*> &&
             !std::is_convertible_v<const T&, std::string> && !std::is_convertible_v<const T&, const IntArrayRef&> &&
             !std::is_same_v<T, ScalarType>)
  Message& operator<<(const T& v) {
    streamed(v);
    return *this;
  }
  std::string text;

 private:
  template <class T, class Stream = std::ostringstream>
  void streamed(const T& v) {
    Stream os;
    os << v;
    text += os.str();
  }
};

template <class... Args>
std::string concat(const Args&... args) {
  Message m;
  (m << ... << args);
  return std::move(m.text);
}
[[noreturn]] void fail(const std::string& message);

}  // namespace detail

// The arguments written one after another into a string, as c10::str.
template <class... Args>
std::string str(const Args&... args) {
  return detail::concat(args...);
}

}  // namespace kiln

// KILN_CHECK(cond, "op: ", parts...) throws kiln::Error with the parts joined.
#define KILN_CHECK(cond, ...)                                   \
  do {                                                          \
    if (!(cond)) ::kiln::detail::fail(::kiln::detail::concat(__VA_ARGS__)); \
  } while (0)
