// libtorch's column of kiln_gp_bench: the same NLL + gradient through
// libtorch's generic autograd (cholesky, cholesky_solve, log of the diagonal).
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>
#include <vector>

double torch_nll_grad_seconds(const std::vector<double>& x, const std::vector<double>& y, int reps) {
  torch::set_num_threads(1);
  auto opt = torch::dtype(torch::kFloat64);
  int64_t n = x.size();
  torch::Tensor X = torch::tensor(x, opt).unsqueeze(1), Y = torch::tensor(y, opt);
  torch::Tensor raw_s = torch::zeros({}, opt.requires_grad(true)), raw_l = torch::zeros({}, opt.requires_grad(true)),
                raw_n = torch::full({}, std::log(0.1), opt.requires_grad(true));
  auto step = [&] {
    torch::Tensor Z = X / raw_l.exp();
    torch::Tensor K = raw_s.exp() * torch::exp(-0.5 * torch::cdist(Z, Z).square()) + raw_n.exp() * torch::eye(n, opt);
    torch::Tensor L = torch::linalg::cholesky(K);
    torch::Tensor alpha = torch::cholesky_solve(Y.unsqueeze(1), L).squeeze(1);
    torch::Tensor nll = 0.5 * torch::dot(Y, alpha) + L.diagonal().log().sum() + 0.5 * n * std::log(2 * std::numbers::pi);
    nll.backward();
  };
  step();
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    step();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}
