// Shared by the test programs: expects `f` to throw kiln::Error whose message
// contains every fragment (the op's name, the offending shapes or dtypes).
#pragma once
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <initializer_list>
#include <string>

namespace kiln_test {

template <class F>
void expect_error(F&& f, std::initializer_list<const char*> fragments) {
  try {
    f();
    ADD_FAILURE() << "expected a kiln::Error containing \"" << *fragments.begin() << "\"";
  } catch (const kiln::Error& e) {
    std::string msg = e.what();
    for (const char* frag : fragments) EXPECT_NE(msg.find(frag), std::string::npos) << "message: " << msg;
  }
}

}  // namespace kiln_test
