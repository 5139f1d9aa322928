// 3. Autograd, TensorFlow 2 style: the same engine through a GradientTape.
#include <kiln/kiln.h>
#include <kiln/tape.h>

#include <iostream>

#include "sections.h"

void tape_examples() {
  std::cout << "\n== 3. Autograd, TensorFlow 2 style (GradientTape) ==\n";
  kiln::Tensor x = kiln::arange(4.0);
  {
    kiln::GradientTape tape;
    tape.watch(x);
    kiln::Tensor y = 2 * kiln::tensordot(x, x, {0}, {0});
    std::cout << "y = 2 * tensordot(x, x) = " << y << "\ntape.gradient(y, x) = " << tape.gradient(y, x) << "\n";
  }
  {
    kiln::GradientTape tape;
    tape.watch(x);
    kiln::Tensor y = x * x;
    std::cout << "y = x * x (summed): tape.gradient(y, x) = " << tape.gradient(y, x) << "\n";
  }
  {
    kiln::GradientTape tape(/*persistent=*/true);
    tape.watch(x);
    kiln::Tensor y = x * x;
    kiln::Tensor u = kiln::stop_gradient(y);
    kiln::Tensor z = u * x;
    kiln::Tensor dz = tape.gradient(z, x);
    std::cout << "persistent tape, u = stop_gradient(x * x), z = u * x:\n  gradient(z, x) = " << dz
              << " == u: " << kiln::equal(dz, u) << "\n  gradient(y, x) = " << tape.gradient(y, x) << "\n";
  }
  {
    kiln::manual_seed(1);
    kiln::Tensor a = kiln::randn({});
    kiln::GradientTape tape;
    tape.watch(a);
    kiln::Tensor b = a * 2;
    while (b.norm().item<double>() < 1000) b = b * 2;
    kiln::Tensor d = b.sum().item<double>() > 0 ? b : 100 * b;
    std::cout << "control flow through the tape: gradient == d / a: "
              << kiln::allclose(tape.gradient(d, a), d / a) << "\n";
  }
}
