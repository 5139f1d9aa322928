// kiln::Error's messages: the parts KILN_CHECK joins, formatted as an
// std::ostream would (numbers as %g, shapes as [2, 3], dtypes as libtorch's names).
#include "kiln/error.h"

#include <cstdio>

#include "kiln/array_ref.h"
#include "kiln/dtype.h"

namespace kiln::detail {

Message& Message::operator<<(const char* s) {
  text += s;
  return *this;
}
Message& Message::operator<<(const std::string& s) {
  text += s;
  return *this;
}
Message& Message::operator<<(char c) {
  text += c;
  return *this;
}
Message& Message::operator<<(bool b) {
  text += b ? '1' : '0';
  return *this;
}
Message& Message::operator<<(long long v) {
  text += std::to_string(v);
  return *this;
}
Message& Message::operator<<(unsigned long long v) {
  text += std::to_string(v);
  return *this;
}
Message& Message::operator<<(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  text += buf;
  return *this;
}
Message& Message::operator<<(const IntArrayRef& shape) {
  text += '[';
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) text += ", ";
    text += std::to_string(shape[i]);
  }
  text += ']';
  return *this;
}
Message& Message::operator<<(ScalarType t) {
  text += type_name(t);
  return *this;
}

void fail(const std::string& message) { throw Error(message); }

}  // namespace kiln::detail
