// Helpers for the file tests: a scratch directory, raw file bytes, reference
// tensors built from a formula both C++ and the Python scripts share, and a
// runner for /usr/bin/python3 scripts.
#pragma once
#include <gtest/gtest.h>
#include <kiln/kiln.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace io_test {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("kiln_io_" + std::to_string(::getpid()) + "_" + info->test_suite_name() + "_" + info->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() { fs::remove_all(path_); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// The shared formula: element i (flat C order) of the reference tensor.
//   float: i * 0.25 - 1.5     int32: 3i - 7     int64: 3i - 7 + 2^40     bool: i % 3 == 0
inline kiln::Tensor reference(kiln::ScalarType dtype, const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  kiln::Tensor t = kiln::empty(shape, dtype);
  for (int64_t i = 0; i < n; ++i) {
    switch (dtype) {
      case kiln::kFloat32: t.data_ptr<float>()[i] = static_cast<float>(i * 0.25 - 1.5); break;
      case kiln::kFloat64: t.data_ptr<double>()[i] = i * 0.25 - 1.5; break;
      case kiln::kInt32: t.data_ptr<int32_t>()[i] = static_cast<int32_t>(3 * i - 7); break;
      case kiln::kInt64: t.data_ptr<int64_t>()[i] = 3 * i - 7 + (int64_t{1} << 40); break;
      case kiln::kBool: t.data_ptr<bool>()[i] = i % 3 == 0; break;
    }
  }
  return t;
}

// Same dtype, shape and bytes.
inline ::testing::AssertionResult identical(const kiln::Tensor& got, const kiln::Tensor& want) {
  if (got.dtype() != want.dtype())
    return ::testing::AssertionFailure() << "dtype " << got.dtype() << " != " << want.dtype();
  if (got.sizes().vec() != want.sizes().vec())
    return ::testing::AssertionFailure() << "shape " << got.sizes() << " != " << want.sizes();
  kiln::Tensor a = got.contiguous(), b = want.contiguous();
  if (std::memcmp(a.data_ptr(), b.data_ptr(), a.numel() * a.element_size()) != 0)
    return ::testing::AssertionFailure() << "values differ";
  return ::testing::AssertionSuccess();
}

inline const char* kPython = "/usr/bin/python3";

// True when /usr/bin/python3 can import every module in `modules` (space separated).
inline bool python_has(const std::string& modules) {
  std::string cmd = std::string(kPython) + " -c 'import " + modules + "' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

// Runs `script` with the arguments; returns the exit status (0 = success).
inline int run_python(const ScratchDir& dir, const std::string& script, const std::string& args) {
  std::string file = dir / "script.py";
  write_bytes(file, script);
  std::string cmd = std::string(kPython) + " " + file + " " + args;
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// The same formula in Python (numpy), shared by the interop scripts.
inline const char* kPythonReference = R"(
import numpy as np
CODES = {'float32': '<f4', 'float64': '<f8', 'int32': '<i4', 'int64': '<i8', 'bool': '|b1'}
def reference(dtype, shape):
    i = np.arange(int(np.prod(shape)), dtype=np.int64)
    if dtype in ('float32', 'float64'):
        v = i * 0.25 - 1.5
    elif dtype == 'int32':
        v = 3 * i - 7
    elif dtype == 'int64':
        v = 3 * i - 7 + 2**40
    else:
        v = i % 3 == 0
    return v.astype(dtype).reshape(shape)
)";

}  // namespace io_test
