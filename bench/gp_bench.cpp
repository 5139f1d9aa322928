// kiln_gp_bench: the exact GP's negative log marginal likelihood + gradient
// (Scale * RBF kernel + noise, float64, one thread) three ways: kiln::gp's
// fused node, a hand-written gradient over the same LAPACK (the reference
// the issue sets), and libtorch's autograd on the generic formula (when
// found; gp_torch.cpp). Then n = 10,000: time against the dpotrf + dpotri
// floor and the peak RSS; and a full L-BFGS fit at n = 1000.
//
// Usage: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 kiln_gp_bench [reps] [--big | --fit]
#include <kiln/kiln.h>
#include <lapacke.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

#ifdef KILN_BENCH_HAVE_TORCH
double torch_nll_grad_seconds(const std::vector<double>& x, const std::vector<double>& y, int reps);
#endif

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double seconds(const std::function<void()>& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double time_median(int reps, const std::function<void()>& f) {
  f();  // warm (allocator, pages)
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) t.push_back(seconds(f));
  return median(t);
}

size_t status_kib(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::stoul(line.substr(std::strlen(key)));
  return 0;
}

// 1-D inputs on [0, 10] and a sine with pseudo-random noise, deterministic (gen_gp.py --bench-fit
// builds the same).
void problem(int64_t n, std::vector<double>& x, std::vector<double>& y) {
  x.resize(n);
  y.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    x[i] = 10.0 * std::fmod(i * 0.6180339887498949, 1.0);
    double h = std::sin(12.9898 * i) * 43758.5453;  // a hash-like pseudo-random number in [0, 1)
    y[i] = std::sin(x[i]) + 0.2 * (h - std::floor(h) - 0.5);
  }
}

// The hand gradient: K = s exp(-d^2 / 2l^2) + noise I; one dpotrf, one dpotrs,
// one dpotri; dNLL/dtheta = -1/2 sum (alpha alpha^T - K^-1) .* dK/dtheta.
double hand_nll_grad(const std::vector<double>& x, const std::vector<double>& y, double s, double l, double noise,
                     double grad[3]) {
  int64_t n = x.size();
  std::vector<double> K(n * n), alpha(y);
  for (int64_t j = 0; j < n; ++j)
    for (int64_t i = 0; i < n; ++i) {
      double d = x[i] - x[j];
      K[i + j * n] = s * std::exp(-d * d / (2 * l * l)) + (i == j ? noise : 0);
    }
  LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', n, K.data(), n);
  LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, 'L', n, 1, K.data(), n, alpha.data(), n);
  double nll = 0.5 * n * std::log(2 * std::numbers::pi);
  for (int64_t i = 0; i < n; ++i) nll += 0.5 * y[i] * alpha[i] + std::log(K[i + i * n]);
  LAPACKE_dpotri_work(LAPACK_COL_MAJOR, 'L', n, K.data(), n);
  double gs = 0, gl = 0, gn = 0;
  for (int64_t j = 0; j < n; ++j)
    for (int64_t i = j; i < n; ++i) {
      double w = (alpha[i] * alpha[j] - K[i + j * n]) * (i == j ? 0.5 : 1.0);  // lower triangle, both halves
      double d = x[i] - x[j], e = std::exp(-d * d / (2 * l * l));
      gs += w * e;
      gl += w * s * e * d * d / (l * l * l);
      if (i == j) gn += w;
    }
  grad[0] = -gs, grad[1] = -gl, grad[2] = -gn;
  return nll;
}

kiln::gp::ExactGP kiln_model(const std::vector<double>& x, const std::vector<double>& y) {
  kiln::Tensor X = kiln::tensor(x, kiln::kFloat64), Y = kiln::tensor(y, kiln::kFloat64);
  return kiln::gp::ExactGP(X, Y, kiln::gp::Scale(kiln::gp::RBF(1.0), 1.0), 0.1);
}

void kiln_nll_grad(const kiln::gp::ExactGP& m) {
  kiln::Tensor nll = -m.log_marginal_likelihood();
  nll.backward();
}

void small_sizes(int reps) {
  std::printf("| n | kiln fused | hand gradient (LAPACK) | libtorch autograd | kiln/hand | kiln/libtorch |\n|---|---|---|---|---|---|\n");
  for (int64_t n : {500, 1000, 2000}) {
    std::vector<double> x, y;
    problem(n, x, y);
    auto m = kiln_model(x, y);
    double tk = time_median(reps, [&] { kiln_nll_grad(m); });
    double g[3];
    double th = time_median(reps, [&] { hand_nll_grad(x, y, 1.0, 1.0, 0.1, g); });
#ifdef KILN_BENCH_HAVE_TORCH
    double tt = torch_nll_grad_seconds(x, y, reps);
    std::printf("| %lld | %.1f ms | %.1f ms | %.1f ms | %.2f | %.2f |\n", (long long)n, tk * 1e3, th * 1e3, tt * 1e3,
                tk / th, tk / tt);
#else
    std::printf("| %lld | %.1f ms | %.1f ms | - | %.2f | - |\n", (long long)n, tk * 1e3, th * 1e3, tk / th);
#endif
    std::fflush(stdout);
  }
}

void big(int reps) {
  int64_t n = 10000;
  std::vector<double> x, y;
  problem(n, x, y);
  // The floor: one dpotrf and one dpotri on the n x n matrix.
  std::vector<double> A(n * n);
  auto fill = [&] {
    for (int64_t j = 0; j < n; ++j)
      for (int64_t i = 0; i < n; ++i) {
        double d = x[i] - x[j];
        A[i + j * n] = std::exp(-d * d / 2) + (i == j ? 0.1 : 0);
      }
  };
  std::vector<double> floor_t;
  for (int r = 0; r < reps; ++r) {
    fill();
    floor_t.push_back(seconds([&] {
      LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'L', n, A.data(), n);
      LAPACKE_dpotri_work(LAPACK_COL_MAJOR, 'L', n, A.data(), n);
    }));
  }
  A.clear();
  A.shrink_to_fit();
  size_t before = status_kib("VmRSS:");
  auto m = kiln_model(x, y);
  std::vector<double> kt;
  for (int r = 0; r < reps; ++r) kt.push_back(seconds([&] { kiln_nll_grad(m); }));
  size_t peak = status_kib("VmHWM:");
  double matrix_mib = n * n * 8.0 / (1 << 20);
  std::printf("n = 10000: kiln NLL + gradient %.2f s, dpotrf + dpotri %.2f s (ratio %.2f); peak RSS growth %.0f MiB = "
              "%.2f n x n matrices (%.0f MiB each)\n",
              median(kt), median(floor_t), median(kt) / median(floor_t), (peak - before) / 1024.0,
              (peak - before) / 1024.0 / matrix_mib, matrix_mib);
}

// A full fit at n = 1000 from lengthscale 1, outputscale 1, noise 0.1 (scikit-learn's side:
// tools/golden/gen_gp.py --bench-fit on the same data).
void fit() {
  std::vector<double> x, y;
  problem(1000, x, y);
  auto m = kiln_model(x, y);
  kiln::gp::FitReport report;
  double t = seconds([&] { report = m.fit(kiln::gp::FitOptions().verbose(std::getenv("GP_VERBOSE") != nullptr)); });
  std::printf("fit n = 1000 (L-BFGS): %.2f s, %lld evaluations, log marginal likelihood %.6f\n", t,
              (long long)report.evaluations, report.log_marginal_likelihood);
}

}  // namespace

int main(int argc, char** argv) {
  kiln::set_num_threads(1);
  int reps = argc > 1 && argv[1][0] != '-' ? std::atoi(argv[1]) : 5;
  bool want_big = false, want_fit = false;
  for (int i = 1; i < argc; ++i) {
    want_big |= std::strcmp(argv[i], "--big") == 0;
    want_fit |= std::strcmp(argv[i], "--fit") == 0;
  }
  if (want_big) big(std::max(1, reps));
  else if (want_fit) fit();
  else small_sizes(reps);
}
