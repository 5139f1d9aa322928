// The tour: walks through the source notes (shared/SEEDS.md) in order, prints
// each example the way the notes show it, and writes every figure into an
// output folder with an index.html. Usage: tour [output-dir] (default kiln-tour).
#include <kiln/kiln.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <numbers>
#include <string>
#include <vector>

#include "figures.h"
#include "sections.h"

namespace {

using kiln::Tensor;

void heading(const std::string& title) { std::cout << "\n== " << title << " ==\n"; }

// ---- 1. Derivatives, gradients, the chain rule
double f(double x) { return 3 * x * x - 4 * x; }

void derivatives(Figures& figs) {
  heading("1. Derivatives and the tangent line");
  double h = 0.1;
  for (int i = 0; i < 5; ++i) {
    Tensor x = kiln::tensor(1.0 + h, kiln::kFloat64), one = kiln::tensor(1.0, kiln::kFloat64);
    Tensor lim = ((3 * x * x - 4 * x) - (3 * one * one - 4 * one)) / h;
    std::cout << std::fixed << std::setprecision(5) << "h=" << h << ", numerical limit=" << lim.item<double>()
              << "\n";
    h *= 0.1;
  }
  std::cout.unsetf(std::ios::fixed);
  // The slope at 1 by autograd, for the tangent y = 2x - 3.
  Tensor x1 = kiln::tensor(1.0, kiln::dtype(kiln::kFloat64).requires_grad(true));
  Tensor u = 3 * x1 * x1 - 4 * x1;
  u.backward();
  double slope = x1.grad().item<double>(), intercept = f(1) - slope;
  std::cout << "f'(1) = " << slope << ", tangent: y = " << slope << "x " << (intercept < 0 ? "- " : "+ ")
            << std::abs(intercept) << "\n";
  Tensor xs = kiln::arange(0.0, 3.0, 0.1, kiln::kFloat64);
  figs.tangent(xs, 3 * xs * xs - 4 * xs, slope * xs + intercept);
}

// ---- 2. Autograd, PyTorch style
Tensor control_flow(const Tensor& a) {
  Tensor b = a * 2;
  while (b.norm().item<double>() < 1000) b = b * 2;
  return b.sum().item<double>() > 0 ? b : 100 * b;
}

void autograd_pytorch(Figures& figs) {
  heading("2. Autograd, PyTorch style");
  Tensor x = kiln::tensor(2.0, kiln::requires_grad());
  Tensor y = 2 * x * x + 3 * x + 1;
  y.backward();
  std::cout << "y = 2x^2 + 3x + 1 at x = 2: dy/dx = " << x.grad() << "\n";

  Tensor m = kiln::tensor({{1.0, 2.0}, {3.0, 4.0}}, kiln::requires_grad());
  Tensor s = (m * m + 2 * m + 1).sum();
  s.backward();
  std::cout << "sum(x^2 + 2x + 1) = " << s << "\nx.grad = " << m.grad() << "\n";

  x = kiln::arange(4.0).requires_grad_();
  std::cout << "x = " << x << "\n";
  y = 2 * kiln::dot(x, x);
  std::cout << "y = 2 * dot(x, x) = " << y << "\n";
  y.backward();
  std::cout << "x.grad = " << x.grad() << "\nx.grad == 4 * x: " << (x.grad() == 4 * x) << "\n";
  x.mutable_grad().zero_();
  y = x.sum();
  y.backward();
  std::cout << "after zero_, grad of x.sum() = " << x.grad() << "\n";
  x.mutable_grad().zero_();
  y = x * x;
  y.sum().backward();
  std::cout << "y = x * x, y.sum().backward(): x.grad = " << x.grad() << "\n";

  x.mutable_grad().zero_();
  y = x * x;
  Tensor u = y.detach();
  Tensor z = u * x;
  z.sum().backward();
  std::cout << "detach: x.grad == u: " << (x.grad() == u) << "\n";
  x.mutable_grad().zero_();
  y.sum().backward();
  std::cout << "y.sum().backward() afterwards: x.grad == 2 * x: " << (x.grad() == 2 * x) << "\n";

  kiln::manual_seed(0);
  Tensor a = kiln::randn({}, kiln::requires_grad());
  Tensor d = control_flow(a);
  d.backward();
  // d is a * 2^k or 100 * a * 2^k: equal up to the rounding of that product.
  std::cout << "control flow: a.grad == d / a: " << kiln::allclose(a.grad(), d / a) << "\n";

  Tensor angles = kiln::linspace(0, 2 * std::numbers::pi, 25).requires_grad_();
  Tensor out = (2 * kiln::sin(angles) + 1).sum();
  out.backward();
  std::cout << "a = linspace(0, 2pi, 25); a.grad == 2 cos(a): "
            << kiln::allclose(angles.grad(), 2 * kiln::cos(angles.detach()), 1e-5, 1e-6) << "\n";
  figs.sine(angles.detach(), kiln::sin(angles.detach()), angles.grad());

  // Gradient descent learns y = kx + b from (1, 5) and (2, 7): one neuron,
  // nn::Linear(1, 1), trained by SGD on the mean squared error.
  Tensor xs = kiln::tensor({1.0, 2.0}), ys = kiln::tensor({5.0, 7.0});
  kiln::nn::Linear line(1, 1);
  kiln::optim::SGD sgd(line->parameters(), kiln::optim::SGDOptions(0.1));
  for (int step = 0; step < 2000; ++step) {
    sgd.zero_grad();
    kiln::nn::functional::mse_loss(line(xs.unsqueeze(1)), ys.unsqueeze(1)).backward();
    sgd.step();
  }
  Tensor k = line->weight.detach().squeeze(), b = line->bias.detach().squeeze();
  std::cout << std::setprecision(4) << "learned k = " << k.item<double>() << ", b = " << b.item<double>()
            << ", prediction at x = 3: " << line(kiln::tensor({{3.0}})).item<double>() << "\n";
  figs.learned_line(xs, ys, k.item<double>(), b.item<double>());

  // Forward accumulation: one pass carries a tangent, O(1) extra memory.
  {
    namespace fwd = kiln::autograd::forward_ad;
    fwd::dual_level level;
    Tensor p = kiln::arange(4.0);
    Tensor dual = fwd::make_dual(p, kiln::ones({4}));
    auto [value, tangent] = fwd::unpack_dual((2 * dual * dual).sum());
    std::cout << "forward mode: d/dt sum(2 (x + t)^2) at t = 0 is " << tangent << " (reverse mode: sum of 4x = "
              << (4 * p).sum() << ")\n";
  }
}

// ---- 4. Linear algebra
void linear_algebra() {
  heading("4. Linear algebra");
  Tensor x = kiln::arange(4);
  std::cout << "x = " << x << ", x[3] = " << x[3] << ", len(x) = " << x.size(0) << ", x.shape = " << x.sizes()
            << "\n";
  Tensor A = kiln::arange(20, kiln::kFloat32).reshape({5, 4});
  std::cout << "A = " << A << "\nA.T = " << A.t() << "\n";
  Tensor B = A.clone();
  std::cout << "A * B (Hadamard) = " << A * B << "\nA + 2 = " << A + 2 << "\n";
  std::cout << "A.sum() = " << A.sum() << "\nA.sum(axis 0) = " << A.sum({0}) << "\nA.sum(axis 1) = " << A.sum({1})
            << "\nA.sum(axes 0, 1) = " << A.sum({0, 1}) << "\n";
  std::cout << "A.mean() = " << A.mean() << " = A.sum() / A.numel() = " << A.sum() / A.numel() << "\n";
  std::cout << "A.mean(axis 0) = " << A.mean({0}) << "\n";
  Tensor sum_A = A.sum({1}, true);
  std::cout << "sum_A = A.sum(axis 1, keepdims) = " << sum_A << "\nA / sum_A = " << A / sum_A << "\n";
  std::cout << "A.cumsum(axis 0) = " << A.cumsum(0) << "\n";
  Tensor y = kiln::ones({4});
  Tensor xf = kiln::arange(4.0);
  std::cout << "dot(x, y) = " << kiln::dot(xf, y) << "\nmv(A, x) = " << kiln::mv(A, xf)
            << "\nmm(A, ones(4, 3)) = " << kiln::mm(A, kiln::ones({4, 3})) << "\n";
  Tensor u = kiln::tensor({3.0, -4.0});
  std::cout << "L2 norm of [3, -4] = " << u.norm() << ", L1 norm = " << u.abs().sum()
            << "\nFrobenius norm of ones(4, 9) = " << kiln::ones({4, 9}).norm() << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path out = argc > 1 ? argv[1] : "kiln-tour";
  try {
    Figures figs(out);
    derivatives(figs);
    autograd_pytorch(figs);
    tape_examples();
    linear_algebra();
    probability(figs);
    gaussian_processes(figs);
    figs.write_index();
    std::cout << "\nFigures written to " << out.string() << "/ (index.html)\n";
  } catch (const kiln::Error& e) {
    std::cerr << "tour: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
