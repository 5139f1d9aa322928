// Built out of tree against an installed kiln: proves headers, library and
// package config are complete.
#include <kiln/kiln.h>

#include <iostream>

int main() {
  auto x = kiln::arange(4.0).requires_grad_();
  auto y = 2 * (x * x).sum();
  y.backward();
  std::cout << "y=" << y.item<double>() << " grad3=" << x.grad()[3].item<double>() << "\n";
  return 0;
}
