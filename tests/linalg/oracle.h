// Test helpers for the linalg suite: deterministic inputs built the same way
// in kiln and in Python, and an oracle that runs a torch snippet through
// /usr/bin/python3 and returns its results as kiln tensors.
#pragma once
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "common/expect_error.h"

namespace linalg_test {

using kiln::Tensor;

// sin(0.37 i + seed) + cos(0.11 i^2 + seed) / 2 reshaped: sign-mixed, full
// rank as matrices, reproducible in Python.
inline Tensor mk(kiln::IntArrayRef shape, double seed = 0.0, kiln::ScalarType dtype = kiln::kFloat64) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  Tensor i = kiln::arange(n, kiln::dtype(kiln::kFloat64));
  return (kiln::sin(i * 0.37 + seed) + kiln::cos(i * i * 0.11 + seed) * 0.5).reshape(shape).to(dtype);
}

// A well-conditioned symmetric positive-definite batch of `shape` [..., n, n]: X X^T + n I.
inline Tensor spd(kiln::IntArrayRef shape, double seed = 0.0, kiln::ScalarType dtype = kiln::kFloat64) {
  Tensor x = mk(shape, seed);
  int64_t n = shape[shape.size() - 1];
  return (x.matmul(x.mT()) + kiln::eye(n, kiln::dtype(kiln::kFloat64)) * double(n)).to(dtype);
}

// The Python side of mk and spd.
inline const char* kPrelude = R"PY(
import torch, math
torch.set_default_dtype(torch.float64)
def mk(*shape, seed=0.0, dtype=torch.float64):
    n = math.prod(shape)
    i = torch.arange(n, dtype=torch.float64)
    return (torch.sin(i * 0.37 + seed) + torch.cos(i * i * 0.11 + seed) * 0.5).reshape(shape).to(dtype)
def spd(*shape, seed=0.0, dtype=torch.float64):
    x = mk(*shape, seed=seed)
    return (x @ x.mT + torch.eye(shape[-1]) * shape[-1]).to(dtype)
out = []
)PY";

inline bool have_torch() {
  static int ok = -1;
  if (ok < 0) ok = std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") == 0;
  return ok == 1;
}

// Runs `code` (which appends tensors to `out`) under torch; returns them as
// float64 kiln tensors. Throws when Python fails.
inline std::vector<Tensor> torch_eval(const std::string& code) {
  char path[] = "/tmp/kiln_linalg_oracle_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("oracle: cannot create a temp file");
  close(fd);
  {
    std::ofstream py(path);
    py << kPrelude << code << R"PY(
for t in out:
    t = torch.as_tensor(t).detach().to(torch.float64)
    print(' '.join(str(s) for s in t.shape) + ';' + ' '.join(repr(float(v)) for v in t.reshape(-1).tolist()))
)PY";
  }
  std::string cmd = std::string("/usr/bin/python3 ") + path + " 2>/dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string text;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) text.append(buf, n);
  int status = pclose(pipe);
  std::remove(path);
  if (status != 0) throw std::runtime_error("oracle: python failed on:\n" + code);
  std::vector<Tensor> results;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    size_t semi = line.find(';');
    std::istringstream shape_s(line.substr(0, semi)), values_s(line.substr(semi + 1));
    std::vector<int64_t> shape;
    std::vector<double> values;
    for (int64_t s; shape_s >> s;) shape.push_back(s);
    for (std::string v; values_s >> v;) values.push_back(std::stod(v));
    results.push_back(kiln::tensor(values, kiln::dtype(kiln::kFloat64)).reshape(shape));
  }
  return results;
}

#define SKIP_WITHOUT_TORCH() \
  if (!linalg_test::have_torch()) GTEST_SKIP() << "torch is not installed"

// Same shape and values within tolerance (compared in float64).
inline void expect_close(const Tensor& actual, const Tensor& expected, double tol = 1e-10, const char* what = "") {
  ASSERT_EQ(actual.sizes().vec(), expected.sizes().vec()) << what;
  Tensor a = actual.detach().to(kiln::kFloat64).contiguous(), e = expected.detach().to(kiln::kFloat64).contiguous();
  const double* pa = a.data_ptr<double>();
  const double* pe = e.data_ptr<double>();
  for (int64_t i = 0; i < a.numel(); ++i) {
    if (std::isinf(pe[i])) {
      EXPECT_EQ(pa[i], pe[i]) << what << " at flat index " << i;
      continue;
    }
    ASSERT_NEAR(pa[i], pe[i], tol * (1 + std::abs(pe[i]))) << what << " at flat index " << i;
  }
}

using kiln_test::expect_error;

// float64 leaf copies requiring grad.
inline Tensor leaf(const Tensor& t) { return t.detach().to(kiln::kFloat64).clone().requires_grad_(true); }

}  // namespace linalg_test
