// Axis scaling: data limits with matplotlib's 5% margins, and "nice" tick
// positions on 1-2-5 steps with labels formatted for that step.
#pragma once
#include <string>
#include <vector>

#include "model.h"

namespace kiln::plot {

struct Ticks {
  std::vector<double> values;
  std::vector<std::string> labels;
  // "1e6" when labels are scaled (matplotlib's offset text), else empty.
  std::string multiplier;
};

// At most max_bins + 1 ticks inside r, on a step of 1, 2 or 5 times a power of ten.
Ticks nice_ticks(Range r, int max_bins);

// A number as the summary prints it (shortest form that reads back exactly enough).
std::string format_number(double v);

}  // namespace kiln::plot
